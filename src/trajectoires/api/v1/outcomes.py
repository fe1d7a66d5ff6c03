"""A territory's harvested outcomes (K8–K10), with the same rights and rules as the pages.

- Anyone reads what an outcome's visibility allows, with its substantiations (they read as their
  outcome) and the actions of the trajectory it is linked to that the caller may read.
- Admins, editors and contributors harvest outcomes and record substantiations; admins and editors
  change or delete any outcome, a contributor their own.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input (422).
- An actor the caller may not read keeps its id and category, without its name (`name` is null); a
  substantiator who left the map is null.
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.outcomes`.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import Agreement, ChangeKind, Outcome, Substantiation, Valence
from trajectoires.evaluation.outcomes import (
    OutcomePage,
    SubstantiationView,
    access_outcome,
    outcome_create,
    outcome_delete,
    outcome_list,
    outcome_page,
    outcome_update,
    substantiation_add,
)
from trajectoires.evaluation.permissions import can_add_outcome, can_edit_outcome, can_substantiate
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["outcomes"])
PATH = "/{slug:slug}/outcomes/"
ONE = PATH + "{int:pk}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
SHORT = {"minLength": 1, "maxLength": 200}
TEXT = {"minLength": 1}


# Answers -----------------------------------------------------------------------------------------


class OutcomeActorOut(Schema):
    id: int
    name: str | None = Field(description="Null when the caller may not read the actor.")
    category: str = Field(description="The code of its actor category in the référentiel.")


class SubstantiationOut(Schema):
    id: int
    substantiator: OutcomeActorOut | None = Field(description="Null once the actor left the map.")
    agreement: Agreement
    comment: str
    given_on: datetime.date


class OutcomeSummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    who: str = Field(description="Who changed.")
    actor: OutcomeActorOut | None = Field(description="The actor of the map who changed, if named.")
    change_kind: ChangeKind
    description: str = Field(description="What changed.")
    observed_on: datetime.date
    place: str
    significance: str = Field(description="Why it is significant.")
    contribution: str = Field(description="How the territory's work contributed.")
    intended: bool
    valence: Valence
    visibility: Visibility
    substantiation_count: int
    agreeing_count: int = Field(description="How many substantiations agree.")


class OutcomeOut(OutcomeSummary):
    actions: list[int] = Field(description="Ids of the linked actions the caller may read.")
    substantiations: list[SubstantiationOut] = Field(description="Oldest first.")


class OutcomeListOut(PageOut):
    results: list[OutcomeSummary]


class OutcomeQuery(Schema):
    change_kind: ChangeKind | None = Field(None, description="Only outcomes of this kind of change.")
    valence: Valence | None = Field(None, description="Only positive, or only negative, outcomes.")
    intended: bool | None = Field(None, description="Only intended, or only unintended, outcomes.")


# Requests ----------------------------------------------------------------------------------------


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    who: str = Field(json_schema_extra=SHORT)
    actor: int | None = Field(None, description="The id of the actor of the map who changed, if any.")
    change_kind: ChangeKind
    description: str = Field(json_schema_extra=TEXT)
    observed_on: datetime.date = Field(description="Not in the future.")
    place: str = Field("", json_schema_extra={"maxLength": 200})
    significance: str = Field(json_schema_extra=TEXT)
    contribution: str = Field(json_schema_extra=TEXT)
    intended: bool = True
    valence: Valence
    actions: list[int] = Field(default_factory=list, description="Ids of actions of the trajectory.")
    visibility: Visibility = Visibility.PRIVATE


class OutcomePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    who: str | None = Field(None, json_schema_extra=SHORT)
    actor: int | None = Field(None, description="The id of an actor of the map; null for none.")
    change_kind: ChangeKind | None = None
    description: str | None = None
    observed_on: datetime.date | None = None
    place: str | None = Field(None, json_schema_extra={"maxLength": 200})
    significance: str | None = None
    contribution: str | None = None
    intended: bool | None = None
    valence: Valence | None = None
    actions: list[int] | None = Field(
        None, description="Ids of actions (replaces those the caller may read; the others stay)."
    )
    visibility: Visibility | None = None


class SubstantiationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    substantiator: int = Field(description="The id of an actor of the map, independent of the harvester.")
    agreement: Agreement
    comment: str = Field(json_schema_extra=TEXT)
    given_on: datetime.date = Field(description="After the outcome was observed, not in the future.")


# Serialising -------------------------------------------------------------------------------------


def _actor_out(view: ActorView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {"id": view.id, "name": view.name, "category": view.category.code}


def substantiation_out(view: SubstantiationView) -> dict[str, Any]:
    item = view.substantiation
    return {
        "id": item.pk,
        "substantiator": _actor_out(view.person),
        "agreement": item.agreement,
        "comment": item.comment,
        "given_on": item.given_on,
    }


def _summary(outcome: Outcome, actor: ActorView | None, counts: tuple[int, int]) -> dict[str, Any]:
    fields = ("who", "change_kind", "description", "observed_on", "place", "significance", "contribution")
    return {
        "id": outcome.pk,
        "territory": outcome.territory.slug,
        "actor": _actor_out(actor),
        **{field: getattr(outcome, field) for field in fields},
        "intended": outcome.intended,
        "valence": outcome.valence,
        "visibility": outcome.visibility,
        "substantiation_count": counts[0],
        "agreeing_count": counts[1],
    }


def _page_out(page: OutcomePage) -> dict[str, Any]:
    agreeing = sum(1 for view in page.substantiations if view.substantiation.agreement == Agreement.AGREES)
    return _summary(page.outcome, page.actor, (len(page.substantiations), agreeing)) | {
        "actions": [action.pk for action in page.actions],
        "substantiations": [substantiation_out(view) for view in page.substantiations],
    }


def _written_out(viewer, territory: Territory, outcome: Outcome) -> dict[str, Any]:
    """The outcome as the caller now reads it — or, when they may no longer read it (a contributor
    who made it private), its own fields without its substantiations, which read as it does."""
    try:
        return _page_out(outcome_page(viewer, territory, outcome.pk))
    except Http404:
        readable = readable_actor_ids(viewer, territory.pk)
        actor = ActorView.of(outcome.actor, readable) if outcome.actor else None
        linked = readable_actions(viewer, territory).filter(outcomes=outcome)
        actions = list(linked.order_by("title"))
        return _page_out(OutcomePage(outcome, actor, actions, []))


# Reading the request -----------------------------------------------------------------------------


def _actor(field: str, actor_id: int | None) -> Actor | None:
    """The actor named by its id; whether the caller may choose it is the service's to say."""
    if actor_id is None:
        return None
    actor = Actor.objects.select_related("category").filter(pk=actor_id).first()
    if actor is None:
        raise invalid({field: [_("Choose an actor of this territory.")]})
    return actor


def _actions(ids: list[int]) -> list[Action]:
    found = Action.objects.in_bulk(ids)
    if any(pk not in found for pk in ids):
        raise invalid({"actions": [_("Choose actions of this territory's trajectory.")]})
    return [found[pk] for pk in dict.fromkeys(ids)]


def _outcome_values(sent: dict[str, Any]) -> dict[str, Any]:
    if "actor" in sent:
        sent["actor_record"] = _actor("actor", sent.pop("actor"))
    if "actions" in sent:
        sent["actions"] = _actions(sent["actions"] or [])
    return sent


def edited_outcome(request: HttpRequest, slug: str, pk: int) -> Outcome:
    """An outcome the caller reads and may change, or a 404."""
    outcome = access_outcome(request.user, territory_get(slug), pk)
    if not can_edit_outcome(request.user, outcome):
        raise Http404
    return outcome


# Operations --------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: OutcomeListOut, **error_responses(401, 404, 422)},
    summary="List a territory's harvested outcomes",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_outcomes(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[OutcomeQuery]):
    """The outcomes the caller may read, latest observed first, optionally of one kind of change,
    one valence, intended or not."""
    territory = territory_get(slug)
    outcomes = outcome_list(
        request.user,
        territory,
        change_kind=query.change_kind or "",
        valence=query.valence or "",
        intended=query.intended,
    ).select_related("territory", "actor__category")
    readable = readable_actor_ids(request.user, territory.pk)

    def row(outcome: Outcome) -> dict[str, Any]:
        actor = ActorView.of(outcome.actor, readable) if outcome.actor else None
        return _summary(outcome, actor, (outcome.substantiation_count, outcome.agreeing_count))

    return paginate(request, outcomes, pages, row)


@router.get(
    ONE,
    response={200: OutcomeOut, **error_responses(401, 404)},
    summary="Read an outcome with its actions and substantiations",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_outcome(request: HttpRequest, slug: str, pk: int):
    return _page_out(outcome_page(request.user, territory_get(slug), pk))


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: OutcomeOut, **WRITE_ERRORS},
    summary="Harvest an outcome (admins, editors, contributors)",
)
def create_outcome(request: HttpRequest, slug: str, payload: OutcomeIn):
    territory = territory_get(slug)
    if not can_add_outcome(request.user, territory):
        raise Http404
    values = _outcome_values(payload.model_dump())
    outcome = service_call(lambda: outcome_create(actor=request.user, territory=territory, **values))
    return Status(201, _written_out(request.user, territory, outcome))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: OutcomeOut, **WRITE_ERRORS},
    summary="Change an outcome, its actor of the map or its actions (admins, editors, its harvester)",
)
def update_outcome(request: HttpRequest, slug: str, pk: int, payload: OutcomePatch):
    outcome = edited_outcome(request, slug, pk)
    values = _outcome_values(payload.model_dump(exclude_unset=True))
    service_call(lambda: outcome_update(actor=request.user, outcome=outcome, **values))
    return _written_out(request.user, outcome.territory, outcome)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete an outcome and its substantiations (admins, editors, its harvester)",
)
def delete_outcome(request: HttpRequest, slug: str, pk: int):
    outcome = edited_outcome(request, slug, pk)
    service_call(lambda: outcome_delete(actor=request.user, outcome=outcome))
    return Status(204, None)


@router.post(
    ONE + "/substantiations",
    auth=SIGNED_IN,
    response={201: SubstantiationOut, **WRITE_ERRORS},
    summary="Record an independent person's view of an outcome (admins, editors, contributors)",
)
def substantiate_outcome(request: HttpRequest, slug: str, pk: int, payload: SubstantiationIn):
    """The independent person is an actor of the map, not the harvester, and gives one view."""
    outcome = access_outcome(request.user, territory_get(slug), pk)
    if not can_substantiate(request.user, outcome.territory):
        raise Http404
    person = _actor("substantiator", payload.substantiator)
    substantiation: Substantiation = service_call(
        lambda: substantiation_add(
            actor=request.user,
            outcome=outcome,
            substantiator=person,
            agreement=payload.agreement,
            comment=payload.comment,
            given_on=payload.given_on,
        )
    )
    readable = readable_actor_ids(request.user, outcome.territory_id)
    return Status(201, substantiation_out(SubstantiationView(substantiation, ActorView.of(person, readable))))
