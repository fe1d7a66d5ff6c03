from django.urls import path

from . import effect_views as views

app_name = "effects"
urlpatterns = [
    path("", views.effects_page, name="index"),
    path("periodes/<int:period>/<slug:effect>/apprecier/", views.effect_new, name="new"),
    path("<int:pk>/", views.effect_detail, name="detail"),
    path("<int:pk>/modifier/", views.effect_edit, name="edit"),
    path("<int:pk>/supprimer/", views.effect_remove, name="delete"),
]
