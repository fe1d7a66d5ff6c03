from django.urls import path

from . import team_views, views

app_name = "territories"
urlpatterns = [
    path("", views.territory_index, name="index"),
    path("nouveau/", views.territory_new, name="new"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
    path("<slug:slug>/equipe/", team_views.team_page, name="team"),
    path("<slug:slug>/equipe/inviter/", team_views.team_invite, name="team_invite"),
    path("<slug:slug>/equipe/<int:pk>/role/", team_views.team_member_role, name="team_role"),
    path("<slug:slug>/equipe/<int:pk>/retirer/", team_views.team_member_remove, name="team_remove"),
    path("<slug:slug>/historique/", team_views.territory_audit, name="audit"),
]
