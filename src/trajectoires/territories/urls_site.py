"""Pages that belong to no single territory: invitations and the platform-wide audit log."""

from django.urls import path

from . import team_views

app_name = "trust"
urlpatterns = [
    path("invitations/<str:token>/", team_views.invitation_page, name="invitation"),
    path("historique/", team_views.audit_all, name="audit"),
]
