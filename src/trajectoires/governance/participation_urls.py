from django.urls import path

from . import participation_views as views

app_name = "participation"
urlpatterns = [
    path("", views.spaces_page, name="index"),
    path("espaces/nouveau/", views.space_new, name="space_new"),
    path("espaces/<int:pk>/", views.space_detail, name="space"),
    path("espaces/<int:pk>/modifier/", views.space_edit, name="space_edit"),
    path("espaces/<int:pk>/supprimer/", views.space_remove, name="space_delete"),
    path("espaces/<int:pk>/reunions/nouvelle/", views.meeting_new, name="meeting_new"),
    path("espaces/<int:pk>/reunions/<int:meeting>/", views.meeting_detail, name="meeting"),
    path("decisions/", views.decisions_page, name="decisions"),
    path("decisions/nouvelle/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/modifier/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/supprimer/", views.decision_remove, name="decision_delete"),
]
