from django.urls import path

from . import pilot_views as views

app_name = "pilots"
urlpatterns = [
    path("", views.pilots_page, name="list"),
    path("nouveau/", views.pilot_new, name="new"),
    path("<int:pk>/", views.pilot_page, name="detail"),
    path("<int:pk>/modifier/", views.pilot_edit, name="edit"),
    path("<int:pk>/supprimer/", views.pilot_remove, name="delete"),
    path("<int:pk>/iterations/nouvelle/", views.pilot_iterate, name="iterate"),
    path("<int:pk>/fiche/", views.sheet_detail, name="sheet"),
    path("<int:pk>/fiche/modifier/", views.sheet_edit, name="sheet_edit"),
    path("<int:pk>/fiche/publier/", views.sheet_publish_view, name="publish"),
    path("<int:pk>/fiche/depublier/", views.sheet_unpublish_view, name="unpublish"),
]
