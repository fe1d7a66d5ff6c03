"""Version 1 of the JSON API, mounted at /api/v1/ (outside the language prefixes).

Schema at /api/v1/openapi.json, docs at /api/v1/docs (ninja's Swagger UI, served from our static
files: its page has no inline script or style, so it works under the site's Content Security Policy).
"""

from django.urls import re_path
from ninja import NinjaAPI, Swagger

from . import (
    actors,
    areas,
    assessments,
    capacity,
    celebrations,
    change_frame,
    coherence,
    contract_coherence,
    contract_records,
    contract_reports,
    contracts,
    controversies,
    controversy_records,
    diagnostics,
    documents,
    effects,
    evaluation,
    funding_overview,
    indicators,
    journal,
    me,
    narratives,
    network,
    outcomes,
    participation,
    pilots,
    programmes,
    referential,
    stories,
    territories,
    trajectory,
    vision,
)
from .auth import PUBLIC
from .errors import api_view, install_error_handlers, read_only, unknown_address


class TrajectoiresAPI(NinjaAPI):
    """NinjaAPI whose every address — operations, schema, docs, and any unknown address below it —
    answers in the request's language and in the one error shape (see `errors.api_view`)."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = api_view(pattern.callback)
        patterns.append(re_path(r"^[\s\S]*$", api_view(unknown_address), name="unknown"))
        return patterns, app_name, namespace


api = TrajectoiresAPI(
    title="Trajectoires API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "The alliance's data: the official geography, territories in transition, the référentiel. "
        "Public data needs no credentials; otherwise sign in on the site (session cookie, and the "
        "X-CSRFToken header for writes) or send a personal token: `Authorization: Bearer trj_…`. "
        'Every error answers `{"error": {"status", "code", "message", "fields"}}`, in the '
        "language of the request (Accept-Language; French by default)."
    ),
    auth=PUBLIC,
    docs=Swagger(settings={"validatorUrl": None}),  # no call to the online validator (CSP, privacy)
    docs_decorator=read_only,
)
# Every operation names its JSON body `payload`, so validation errors name the body's own fields.
install_error_handlers(api, body_names={"payload"})
api.add_router("/areas/", areas.router)
api.add_router("/territories/", territories.router)
api.add_router("/territories/", journal.router)
api.add_router("/territories/", vision.router)
api.add_router("/territories/", narratives.router)
api.add_router("/territories/", celebrations.router)
api.add_router("/territories/", actors.router)
api.add_router("/territories/", network.router)
api.add_router("/territories/", documents.router)
api.add_router("/territories/", coherence.router)
api.add_router("/territories/", trajectory.router)
api.add_router("/territories/", pilots.router)
api.add_router("/territories/", participation.router)
api.add_router("/territories/", capacity.router)
api.add_router("/territories/", controversies.router)
api.add_router("/territories/", controversy_records.router)
api.add_router("/territories/", outcomes.router)
api.add_router("/territories/", assessments.router)
api.add_router("/territories/", diagnostics.router)
api.add_router("/territories/", change_frame.router)
api.add_router("/territories/", stories.router)
api.add_router("/territories/", effects.router)
api.add_router("/territories/", indicators.router)
api.add_router("/territories/", evaluation.router)
api.add_router("/territories/", contracts.router)
api.add_router("/territories/", contract_coherence.router)
api.add_router("/territories/", contract_records.router)
api.add_router("/territories/", contract_reports.router)
api.add_router("/funders/", programmes.router)
api.add_router("/funders/", contract_reports.funders_router)
api.add_router("/funders/", funding_overview.funders_router)
api.add_router("/funding/", funding_overview.router)
api.add_router("/transferability-sheets/", pilots.sheets_router)
api.add_router("/referential/", referential.router)
api.add_router("/me", me.router)
