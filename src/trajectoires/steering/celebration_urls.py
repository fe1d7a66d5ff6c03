from django.urls import path

from . import celebration_views as views

app_name = "celebrations"
urlpatterns = [
    path("", views.celebration_list, name="list"),
    path("nouvelle/", views.celebration_new, name="new"),
    path("<int:pk>/", views.celebration_detail, name="detail"),
    path("<int:pk>/modifier/", views.celebration_edit, name="edit"),
    path("<int:pk>/supprimer/", views.celebration_remove, name="delete"),
]
