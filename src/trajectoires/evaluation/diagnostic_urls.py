from django.urls import path

from . import diagnostic_views as views

app_name = "diagnostics"
urlpatterns = [
    path("", views.diagnostics_page, name="index"),
    path("nouveau/", views.diagnostic_new, name="new"),
    path("<int:pk>/", views.diagnostic_detail, name="detail"),
    path("<int:pk>/modifier/", views.diagnostic_edit, name="edit"),
    path("<int:pk>/statut/<slug:to>/", views.diagnostic_move_page, name="move"),
    path("<int:pk>/supprimer/", views.diagnostic_remove, name="delete"),
    path("<int:pk>/diagnostic.json", views.diagnostic_json, name="json"),
    path("<int:pk>/entretiens.csv", views.diagnostic_csv, name="csv"),
    path("<int:pk>/partages/nouveau/", views.share_new, name="share"),
    path("<int:pk>/partages/<int:share>/retirer/", views.share_remove, name="unshare"),
    path("<int:pk>/lecteurs-des-notes/", views.note_readers_page, name="readers"),
    path("<int:pk>/entretiens/nouveau/", views.interview_new, name="interview_new"),
    path("<int:pk>/entretiens/<int:number>/modifier/", views.interview_edit, name="interview_edit"),
    path("<int:pk>/entretiens/<int:number>/effacer/", views.interview_erase_page, name="interview_erase"),
]
