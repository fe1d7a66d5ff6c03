from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from trajectoires.api.v1 import api
from trajectoires.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("trajectoires.site.urls")),
    path("annuaire/", include("trajectoires.geo.urls")),
    path("territoires/<slug:slug>/journal/", include("trajectoires.steering.urls")),
    path("territoires/<slug:slug>/vision/", include("trajectoires.steering.vision_urls")),
    path("territoires/<slug:slug>/tableau-de-bord/", include("trajectoires.dashboard.urls")),
    path("territoires/<slug:slug>/recits/", include("trajectoires.steering.narrative_urls")),
    path("territoires/<slug:slug>/celebrations/", include("trajectoires.steering.celebration_urls")),
    path("territoires/<slug:slug>/acteurs/", include("trajectoires.cooperation.urls")),
    path("territoires/<slug:slug>/cooperation/", include("trajectoires.cooperation.network_urls")),
    path("territoires/<slug:slug>/documents/", include("trajectoires.planning.document_urls")),
    path("territoires/<slug:slug>/coherence/", include("trajectoires.planning.coherence_urls")),
    path("territoires/<slug:slug>/trajectoire/", include("trajectoires.planning.trajectory_urls")),
    path("territoires/<slug:slug>/pilotes/", include("trajectoires.planning.pilot_urls")),
    path("territoires/<slug:slug>/participation/", include("trajectoires.governance.participation_urls")),
    path("territoires/<slug:slug>/controverses/", include("trajectoires.governance.controversy_urls")),
    path("territoires/<slug:slug>/capacite/", include("trajectoires.governance.capacity_urls")),
    path("territoires/<slug:slug>/evaluation/resultats/", include("trajectoires.evaluation.outcome_urls")),
    path("territoires/<slug:slug>/evaluation/histoires/", include("trajectoires.evaluation.story_urls")),
    path(
        "territoires/<slug:slug>/evaluation/autoevaluation/",
        include("trajectoires.evaluation.assessment_urls"),
    ),
    path(
        "territoires/<slug:slug>/evaluation/diagnostic/",
        include("trajectoires.evaluation.diagnostic_urls"),
    ),
    path("territoires/<slug:slug>/evaluation/effets/", include("trajectoires.evaluation.effect_urls")),
    path(
        "territoires/<slug:slug>/evaluation/indicateurs/",
        include("trajectoires.evaluation.indicator_urls"),
    ),
    path("territoires/<slug:slug>/evaluation/", include("trajectoires.evaluation.evaluation_urls")),
    path("territoires/<slug:slug>/contrats/", include("trajectoires.funding.urls")),
    path("fiches-de-transferabilite/", include("trajectoires.planning.sheet_urls")),
    path("territoires/", include("trajectoires.territories.urls")),
    path("financeurs/<slug:slug>/", include("trajectoires.funding.funder_urls")),
    path("financements/", include("trajectoires.funding.alliance_urls")),
    path("financeurs/", include("trajectoires.territories.urls_funders")),
    path("", include("trajectoires.territories.urls_site")),
    path("referentiel/", include("trajectoires.referential.urls")),
    path("compte/", include("trajectoires.accounts.urls")),
    prefix_default_language=False,
)
