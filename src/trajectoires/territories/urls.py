from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_index, name="index"),
    path("nouveau/", views.territory_new, name="new"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
]
