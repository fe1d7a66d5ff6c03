from django.urls import path

from . import capacity_views as views

app_name = "capacity"
urlpatterns = [
    path("", views.team_page, name="index"),
    path("formations/nouvelle/", views.training_new, name="training_new"),
    path("formations/<int:pk>/", views.training_page, name="training"),
    path("formations/<int:pk>/modifier/", views.training_edit, name="training_edit"),
    path("formations/<int:pk>/supprimer/", views.training_remove, name="training_delete"),
    path("organisation/modifier/", views.structure_edit, name="structure_edit"),
]
