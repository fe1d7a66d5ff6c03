from django.urls import path

from . import narrative_views as views

app_name = "narratives"
urlpatterns = [
    path("", views.narrative_list, name="list"),
    path("nouveau/", views.narrative_new, name="new"),
    path("<int:pk>/", views.narrative_detail, name="detail"),
    path("<int:pk>/modifier/", views.narrative_edit, name="edit"),
    path("<int:pk>/supprimer/", views.narrative_remove, name="delete"),
    path("<int:pk>/fichier/", views.narrative_file, name="file"),
]
