from django.urls import path

from . import evaluation_views as views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_page, name="index"),
    path("rapports/nouveau/", views.report_new, name="report_new"),
    path("rapports/<int:pk>/", views.report_detail, name="report"),
    path("rapports/<int:pk>/pdf/", views.report_download, name="report_download"),
]
