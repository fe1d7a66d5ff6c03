from django.urls import path

from . import document_views as views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("nouveau/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/modifier/", views.document_edit, name="edit"),
    path("<int:pk>/supprimer/", views.document_remove, name="delete"),
]
