from django.urls import path

from . import round_views, story_views

app_name = "stories"
urlpatterns = [
    path("", story_views.stories_page, name="index"),
    path("nouvelle/", story_views.story_new, name="new"),
    path("<int:pk>/", story_views.story_detail, name="detail"),
    path("<int:pk>/modifier/", story_views.story_edit, name="edit"),
    path("<int:pk>/supprimer/", story_views.story_remove, name="delete"),
    path("<int:pk>/verification/", story_views.story_verification, name="verify"),
    path("<int:pk>/retour/", story_views.story_feedback_page, name="feedback"),
    path("tours/nouveau/", round_views.round_new, name="round_new"),
    path("tours/<int:pk>/", round_views.round_detail, name="round"),
    path("tours/<int:pk>/modifier/", round_views.round_edit, name="round_edit"),
    path("tours/<int:pk>/supprimer/", round_views.round_remove, name="round_delete"),
    path("cadre/", round_views.frame_page, name="frame"),
    path("cadre/domaines/nouveau/", round_views.domain_form, name="domain_new"),
    path("cadre/domaines/<int:pk>/modifier/", round_views.domain_form, name="domain_edit"),
    path("cadre/domaines/<int:pk>/supprimer/", round_views.domain_remove, name="domain_delete"),
    path("cadre/periodes/nouvelle/", round_views.period_form, name="period_new"),
    path("cadre/periodes/<int:pk>/modifier/", round_views.period_form, name="period_edit"),
    path("cadre/periodes/<int:pk>/supprimer/", round_views.period_remove, name="period_delete"),
]
