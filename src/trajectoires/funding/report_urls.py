from django.urls import path

from . import report_views as views

urlpatterns = [
    path("rapports/", views.territory_reports, name="reports"),
    path("<int:pk>/rapports/", views.report_new, name="report_new"),
    path("<int:pk>/rapports/<int:year>/", views.report_page, name="report"),
    path("<int:pk>/rapports/<int:year>/modifier/", views.report_edit, name="report_edit"),
    path("<int:pk>/rapports/<int:year>/soumettre/", views.report_send, name="report_submit"),
    path("<int:pk>/rapports/<int:year>/avis/", views.report_reply, name="report_review"),
]
