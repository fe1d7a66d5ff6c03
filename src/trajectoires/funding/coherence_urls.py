from django.urls import path

from . import coherence_views as views

urlpatterns = [
    path("<int:pk>/coherence/", views.coherence_page, name="coherence"),
    path("<int:pk>/coherence/exigences/", views.requirement_new, name="requirement_new"),
    path(
        "<int:pk>/coherence/exigences/<int:requirement>/retirer/",
        views.requirement_delete,
        name="requirement_delete",
    ),
]
