from django.urls import path

from . import vision_views

app_name = "vision"
urlpatterns = [
    path("", vision_views.vision_page, name="detail"),
    path("modifier/", vision_views.vision_edit, name="edit"),
    path("historique/", vision_views.vision_history, name="history"),
]
