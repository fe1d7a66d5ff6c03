from django.urls import path

from . import trajectory_views as views

app_name = "trajectory"
urlpatterns = [
    path("", views.trajectory_index, name="index"),
    path("actions/nouvelle/", views.action_new, name="new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="edit"),
    path("actions/<int:pk>/supprimer/", views.action_remove, name="delete"),
]
