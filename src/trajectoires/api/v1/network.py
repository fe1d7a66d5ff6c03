"""A territory's survey rounds, their cooperation ties and the network metrics stored for each.

The same rights as the pages: a round is read by whoever its visibility allows, written by the
territory's admins and editors; anything else answers 404, like a missing round. An actor the
caller may not read appears with its category only (`name` is null, `visible` false).
Metrics are computed in the background after every change: until they are, `metrics.status` is
`pending` and the figures are null.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor, RoundMetrics, SurveyRound, Tie, TieFrequency, TieType
from trajectoires.cooperation.network_forms import SurveyRoundForm
from trajectoires.cooperation.network_permissions import can_add_survey_round, can_edit_survey_round
from trajectoires.cooperation.network_selectors import (
    ActorView,
    access_survey_round,
    access_tie,
    metrics_of,
    readable_actor_ids,
    round_network,
    round_ties,
    survey_rounds,
)
from trajectoires.cooperation.rounds import (
    survey_round_create,
    survey_round_delete,
    survey_round_update,
    tie_create,
    tie_delete,
)
from trajectoires.core.visibility import Visibility
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["cooperation network"])
SCORE = {"minimum": 1, "maximum": 4}


class TypeFiguresOut(Schema):
    tie_count: int
    density: float
    cross_category_share: float


class MetricsOut(Schema):
    status: RoundMetrics.Status = Field(description="pending (being computed), ready or failed.")
    computed_at: datetime.datetime | None
    actor_count: int | None = Field(description="Actors of the territory (isolates included).")
    tie_count: int | None
    density: float | None = Field(
        description="Linked pairs ÷ possible pairs, ties of several types as one link."
    )
    cross_category_share: float | None = Field(description="Share of the ties between two categories.")
    fantastic_four_complete: bool | None = Field(
        description="The four categories all present and each tied directly to the three others."
    )
    category_matrix: dict[str, dict[str, int]] | None = Field(
        description="Ties between each pair of actor categories (codes), both halves filled."
    )
    by_tie_type: dict[str, TypeFiguresOut] | None


class RoundOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    held_on: datetime.date
    notes: str
    visibility: Visibility
    metrics: MetricsOut


class RoundPage(PageOut):
    results: list[RoundOut]


class RoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    held_on: str = Field(description="YYYY-MM-DD, not in the future.", json_schema_extra={"format": "date"})
    notes: str = ""
    visibility: Visibility = Visibility.PRIVATE


class NetworkActorRef(Schema):
    id: int
    name: str | None = Field(description="Null when the caller may not read the actor's record.")
    category: str = Field(description="Code of the référentiel's actor category.")
    visible: bool


class TieOut(Schema):
    id: int
    source: NetworkActorRef
    target: NetworkActorRef
    tie_type: TieType
    frequency: TieFrequency
    quality: int
    openness: int | None
    reliability: int | None
    shared_mission: int | None
    influence: int | None
    involvement: int | None
    resources: int | None


class TiePage(PageOut):
    results: list[TieOut]


class TieIn(Schema):
    """Two actors of the round's territory, by id; PARTNER scores from 1 to 4, or null."""

    model_config = ConfigDict(extra="forbid")

    source: int
    target: int
    tie_type: str = Field(json_schema_extra={"enum": TieType.values})
    frequency: str = Field(json_schema_extra={"enum": TieFrequency.values})
    quality: int = Field(json_schema_extra=SCORE)
    openness: int | None = Field(None, json_schema_extra=SCORE)
    reliability: int | None = Field(None, json_schema_extra=SCORE)
    shared_mission: int | None = Field(None, json_schema_extra=SCORE)
    influence: int | None = Field(None, json_schema_extra=SCORE)
    involvement: int | None = Field(None, json_schema_extra=SCORE)
    resources: int | None = Field(None, json_schema_extra=SCORE)


class NodeOut(NetworkActorRef):
    degree: float = Field(description="Degree centrality (normalised).")
    betweenness: float = Field(description="Betweenness centrality (normalised).")


class NetworkQuery(Schema):
    type: TieType | None = Field(None, description="Only the ties of this type (figures of that type).")


class NetworkOut(Schema):
    round: RoundOut
    tie_type: TieType | None
    figures: TypeFiguresOut | None = Field(
        description="For the tie type asked, or every type; null while pending."
    )
    nodes: list[NodeOut] = Field(description="Empty while the metrics are being computed.")
    edges: list[TieOut]


def _metrics_out(metrics: RoundMetrics | None) -> dict[str, Any]:
    ready = metrics is not None and metrics.status == RoundMetrics.Status.READY
    out: dict[str, Any] = {
        "status": metrics.status if metrics else RoundMetrics.Status.PENDING,
        "computed_at": metrics.computed_at if metrics else None,
    }
    for name in ("actor_count", "tie_count", "density", "cross_category_share", "fantastic_four_complete"):
        out[name] = getattr(metrics, name) if ready else None
    out["category_matrix"] = metrics.category_matrix if ready else None
    out["by_tie_type"] = (
        {
            tie_type: {key: figures[key] for key in ("tie_count", "density", "cross_category_share")}
            for tie_type, figures in metrics.by_tie_type.items()
        }
        if ready
        else None
    )
    return out


def _round_out(survey_round: SurveyRound) -> dict[str, Any]:
    return {
        "id": survey_round.pk,
        "territory": survey_round.territory.slug,
        "title": survey_round.title,
        "held_on": survey_round.held_on,
        "notes": survey_round.notes,
        "visibility": survey_round.visibility,
        "metrics": _metrics_out(metrics_of(survey_round)),
    }


def _actor_ref(actor: ActorView) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "category": actor.category.code,
        "visible": actor.name is not None,
    }


def _tie_out(tie: Tie, source: ActorView, target: ActorView) -> dict[str, Any]:
    values = {
        name: getattr(tie, name) for name in TieOut.model_fields if name not in ("id", "source", "target")
    }
    return {"id": tie.pk, "source": _actor_ref(source), "target": _actor_ref(target), **values}


def _writable_round(request: HttpRequest, slug: str, pk: int) -> SurveyRound:
    survey_round = access_survey_round(request.user, territory_get(slug), pk)
    if not can_edit_survey_round(request.user, survey_round):
        raise Http404
    return survey_round


def _round_values(payload: RoundIn) -> dict[str, Any]:
    form = SurveyRoundForm(data=payload.model_dump())
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


@router.get(
    "/{slug:slug}/rounds/",
    response={200: RoundPage, **error_responses(401, 404, 422)},
    summary="List a territory's survey rounds, with their metrics",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_rounds(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    return paginate(request, survey_rounds(request.user, territory_get(slug)), pages, _round_out)


@router.get(
    "/{slug:slug}/rounds/{int:pk}",
    response={200: RoundOut, **error_responses(401, 404)},
    summary="Read a survey round and its metrics",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_round(request: HttpRequest, slug: str, pk: int):
    return _round_out(access_survey_round(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/rounds/",
    auth=SIGNED_IN,
    response={201: RoundOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Create a survey round (admins, editors)",
)
def create_round(request: HttpRequest, slug: str, payload: RoundIn):
    territory = territory_get(slug)
    if not can_add_survey_round(request.user, territory):
        raise Http404
    survey_round = service_call(
        lambda: survey_round_create(actor=request.user, territory=territory, **_round_values(payload))
    )
    return Status(201, _round_out(access_survey_round(request.user, territory, survey_round.pk)))


@router.put(
    "/{slug:slug}/rounds/{int:pk}",
    auth=SIGNED_IN,
    response={200: RoundOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a survey round's title, date, notes and visibility (admins, editors)",
)
def update_round(request: HttpRequest, slug: str, pk: int, payload: RoundIn):
    survey_round = _writable_round(request, slug, pk)
    service_call(
        lambda: survey_round_update(actor=request.user, survey_round=survey_round, **_round_values(payload))
    )
    return _round_out(access_survey_round(request.user, survey_round.territory, pk))


@router.delete(
    "/{slug:slug}/rounds/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a survey round with its ties and metrics (admins, editors)",
)
def delete_round(request: HttpRequest, slug: str, pk: int):
    service_call(
        lambda: survey_round_delete(actor=request.user, survey_round=_writable_round(request, slug, pk))
    )
    return Status(204, None)


@router.get(
    "/{slug:slug}/rounds/{int:pk}/ties/",
    response={200: TiePage, **error_responses(401, 404, 422)},
    summary="List the ties of a survey round",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_ties(request: HttpRequest, slug: str, pk: int, pages: Query[PageQuery]):
    survey_round = access_survey_round(request.user, territory_get(slug), pk)
    readable = readable_actor_ids(request.user, survey_round.territory_id)

    def out(tie: Tie) -> dict[str, Any]:
        return _tie_out(tie, ActorView.of(tie.source, readable), ActorView.of(tie.target, readable))

    return paginate(request, round_ties(survey_round), pages, out)


@router.post(
    "/{slug:slug}/rounds/{int:pk}/ties/",
    auth=SIGNED_IN,
    response={201: TieOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Record a tie between two actors of the territory (admins, editors)",
)
def create_tie(request: HttpRequest, slug: str, pk: int, payload: TieIn):
    survey_round = _writable_round(request, slug, pk)
    values = payload.model_dump()
    found = Actor.objects.in_bulk([values["source"], values["target"]])
    unknown = {
        name: [_("No actor has this id.")] for name in ("source", "target") if values[name] not in found
    }
    if unknown:
        raise invalid(unknown)
    values |= {"source": found[values["source"]], "target": found[values["target"]]}
    tie = service_call(lambda: tie_create(actor=request.user, survey_round=survey_round, **values))
    readable = readable_actor_ids(request.user, survey_round.territory_id)
    tie = round_ties(survey_round).get(pk=tie.pk)
    return Status(201, _tie_out(tie, ActorView.of(tie.source, readable), ActorView.of(tie.target, readable)))


@router.delete(
    "/{slug:slug}/rounds/{int:pk}/ties/{int:tie_pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a tie (admins, editors)",
)
def delete_tie(request: HttpRequest, slug: str, pk: int, tie_pk: int):
    survey_round = _writable_round(request, slug, pk)
    service_call(lambda: tie_delete(actor=request.user, tie=access_tie(survey_round, tie_pk)))
    return Status(204, None)


@router.get(
    "/{slug:slug}/rounds/{int:pk}/network",
    response={200: NetworkOut, **error_responses(401, 404, 422)},
    summary="Read a round's network: nodes with their centralities, edges, stored figures",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_network(request: HttpRequest, slug: str, pk: int, query: Query[NetworkQuery]):
    survey_round = access_survey_round(request.user, territory_get(slug), pk)
    network = round_network(request.user, survey_round, tie_type=query.type or "")
    figures = network.figures
    return {
        "round": _round_out(survey_round),
        "tie_type": network.tie_type or None,
        "figures": {key: figures[key] for key in ("tie_count", "density", "cross_category_share")}
        if figures
        else None,
        "nodes": [
            _actor_ref(node.actor) | {"degree": node.degree, "betweenness": node.betweenness}
            for node in network.nodes
        ],
        "edges": [_tie_out(row.tie, row.source, row.target) for row in network.ties],
    }
