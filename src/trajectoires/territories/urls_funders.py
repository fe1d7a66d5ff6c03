from django.urls import path

from . import funder_views, team_views

app_name = "funders"
FUNDER = {"kind": "funder"}
urlpatterns = [
    path("", funder_views.funder_index, name="index"),
    path("nouveau/", funder_views.funder_new, name="new"),
    path("<slug:slug>/", funder_views.funder_detail, name="detail"),
    path("<slug:slug>/partenariats/", funder_views.partnership_new, name="partnership_new"),
    path("<slug:slug>/equipe/", team_views.team_page, FUNDER, name="team"),
    path("<slug:slug>/equipe/inviter/", team_views.team_invite, FUNDER, name="team_invite"),
    path("<slug:slug>/equipe/<int:pk>/role/", team_views.team_member_role, FUNDER, name="team_role"),
    path("<slug:slug>/equipe/<int:pk>/retirer/", team_views.team_member_remove, FUNDER, name="team_remove"),
]
