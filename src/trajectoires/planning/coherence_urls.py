from django.urls import path

from . import coherence_views as views

app_name = "coherence"
urlpatterns = [
    path("", views.matrix_page, name="matrix"),
    path("<int:document>/<int:orientation>/", views.cell_page, name="cell"),
    path("<int:document>/<int:orientation>/evaluer/", views.assess_page, name="assess"),
]
