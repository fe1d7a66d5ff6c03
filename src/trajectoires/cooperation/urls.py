from django.urls import path

from . import actor_views

app_name = "actors"
urlpatterns = [
    path("", actor_views.actors_page, name="list"),
    path("nouveau/", actor_views.actor_new, name="new"),
    path("importer/", actor_views.actor_import_page, name="import"),
    path("modele.csv", actor_views.actor_template, name="template"),
    path("<int:pk>/", actor_views.actor_page, name="detail"),
    path("<int:pk>/modifier/", actor_views.actor_edit, name="edit"),
    path("<int:pk>/supprimer/", actor_views.actor_delete_page, name="delete"),
    path("<int:pk>/donnees.json", actor_views.actor_export_download, name="export"),
    path("<int:pk>/effacer/", actor_views.actor_erase_page, name="erase"),
]
