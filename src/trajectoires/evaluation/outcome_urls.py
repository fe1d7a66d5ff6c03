from django.urls import path

from . import outcome_views as views

app_name = "outcomes"
urlpatterns = [
    path("", views.outcomes_page, name="index"),
    path("nouveau/", views.outcome_new, name="new"),
    path("<int:pk>/", views.outcome_detail, name="detail"),
    path("<int:pk>/modifier/", views.outcome_edit, name="edit"),
    path("<int:pk>/supprimer/", views.outcome_remove, name="delete"),
    path("<int:pk>/corroborations/nouvelle/", views.substantiation_new, name="substantiation_new"),
]
