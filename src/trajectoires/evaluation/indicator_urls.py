from django.urls import path

from . import indicator_views as views

app_name = "indicators"
urlpatterns = [
    path("", views.indicators_page, name="index"),
    path("nouveau/", views.indicator_new, name="new"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/modifier/", views.indicator_edit, name="edit"),
    path("<int:pk>/supprimer/", views.indicator_remove, name="delete"),
    path("<int:pk>/valeurs/<int:period>/", views.value_form, name="value"),
    path("<int:pk>/valeurs/<int:period>/supprimer/", views.value_remove, name="value_delete"),
]
