from django.urls import path

from . import assessment_views as views

app_name = "assessments"
urlpatterns = [
    path("", views.campaigns_page, name="index"),
    path("nouvelle/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/modifier/", views.campaign_edit, name="edit"),
    path("<int:pk>/clore/", views.campaign_close_page, name="close"),
    path("<int:pk>/supprimer/", views.campaign_remove, name="delete"),
    path("<int:pk>/repondre/", views.answer_new, name="answer"),
    path("<int:pk>/reponses/<int:response>/modifier/", views.response_edit, name="response_edit"),
    path("<int:pk>/reponses/<int:response>/supprimer/", views.response_remove, name="response_delete"),
]
