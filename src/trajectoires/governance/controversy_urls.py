from django.urls import path

from . import controversy_record_views as records
from . import controversy_views as views

app_name = "controversies"
urlpatterns = [
    path("", views.controversies_page, name="index"),
    path("nouvelle/", views.controversy_new, name="new"),
    path("<int:pk>/", views.controversy_detail, name="detail"),
    path("<int:pk>/modifier/", views.controversy_edit, name="edit"),
    path("<int:pk>/supprimer/", views.controversy_remove, name="delete"),
    path("<int:pk>/etape/", views.controversy_move_page, name="move"),
    path("<int:pk>/decision/", views.controversy_decision_page, name="decision"),
    path("<int:pk>/parties/nouvelle/", records.party_new, name="party_new"),
    path("<int:pk>/parties/<int:party>/modifier/", records.party_edit, name="party_edit"),
    path("<int:pk>/parties/<int:party>/supprimer/", records.party_remove, name="party_delete"),
    path("<int:pk>/expertise/nouvelle/", records.expertise_new, name="expertise_new"),
    path("<int:pk>/etat/nouveau/", records.state_new, name="state_new"),
    path("<int:pk>/etat/<int:number>/", records.state_detail, name="state"),
    path("<int:pk>/etat/<int:number>/cosigner/", records.state_cosign_page, name="state_cosign"),
    path("<int:pk>/suivi/nouveau/", records.follow_up_new, name="follow_up_new"),
    path("<int:pk>/suivi/<int:follow_up>/", records.follow_up_done_page, name="follow_up_done"),
]
