from django.urls import path

from . import network_views as views

app_name = "network"
urlpatterns = [
    path("", views.rounds_page, name="index"),
    path("reseau/", views.network_page, name="graph"),
    path("modele-liens.csv", views.ties_csv_template, name="ties_template"),
    path("enquetes/nouvelle/", views.round_new, name="round_new"),
    path("enquetes/<int:pk>/", views.round_page, name="round"),
    path("enquetes/<int:pk>/modifier/", views.round_edit, name="round_edit"),
    path("enquetes/<int:pk>/supprimer/", views.round_delete, name="round_delete"),
    path("enquetes/<int:pk>/recalculer/", views.round_recompute, name="round_recompute"),
    path("enquetes/<int:pk>/liens/", views.tie_add, name="tie_add"),
    path("enquetes/<int:pk>/liens/import/", views.ties_upload, name="ties_import"),
    path("enquetes/<int:pk>/liens/<int:tie_pk>/modifier/", views.tie_edit, name="tie_edit"),
    path("enquetes/<int:pk>/liens/<int:tie_pk>/supprimer/", views.tie_remove, name="tie_delete"),
]
