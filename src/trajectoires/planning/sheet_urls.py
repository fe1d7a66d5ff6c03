from django.urls import path

from . import pilot_views as views

app_name = "sheets"
urlpatterns = [
    path("", views.sheets_page, name="list"),
]
