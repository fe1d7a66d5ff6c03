from django.urls import path

from . import views

app_name = "referential"
urlpatterns = [path("", views.referential_page, name="index")]
