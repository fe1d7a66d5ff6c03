"""A territory's controversy register (K6, C3), with the same rights and rules as the pages.

- Anyone reads what a controversy's visibility allows, with all it gathered: its parties and their
  positions, the expertise, the versions of the état de la controverse, its follow-up and the steps
  of its life cycle.
- Admins, editors and contributors report one, state a party's position and bring expertise; admins,
  editors and its author change it; a contributor changes the parties they wrote. The team (admins,
  editors) moves it through its life cycle, writes the état de la controverse, the decision and its
  follow-up; a party's own platform account co-signs the latest état for that party.
- A forbidden record or write answers exactly like a missing one (404).
- A party that is an actor the caller may not read keeps its id and category, without its name
  (`name` is null); a group's contact e-mail is given to the territory team only (null for anyone
  else); a forum the caller may not read is null.
Input is checked by the schemas, then by the services, which name the field at fault (422). What
the instruction gathers (parties, expertise, états, follow-up) is written in `controversy_records`.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.governance.controversies import (
    ControversyStory,
    PartyView,
    access_controversy,
    controversy_delete,
    controversy_register,
    controversy_report,
    controversy_story,
    controversy_update,
    subject_area_choices,
)
from trajectoires.governance.controversy_lifecycle import controversy_move, decision_write, next_stages
from trajectoires.governance.models import (
    Controversy,
    ControversyStage,
    Decision,
    Expertise,
    ExpertiseKind,
    FollowUp,
    ParticipationSpace,
    StageTransition,
    StateOfControversy,
)
from trajectoires.governance.permissions import (
    can_add_controversy,
    can_edit_controversy,
    can_steer_controversy,
)
from trajectoires.governance.spaces import readable_spaces
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["controversies"])
PATH = "/{slug:slug}/controversies/"
ONE = PATH + "{int:pk}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
SUBJECT = {"minLength": 1, "maxLength": 200}


# Answers -----------------------------------------------------------------------------------------


class PartyActorOut(Schema):
    id: int
    name: str | None = Field(description="Null when the caller may not read the actor.")
    category: str = Field(description="The code of its actor category in the référentiel.")


class PartyOut(Schema):
    id: int
    actor: PartyActorOut | None = Field(description="Null for a group of inhabitants (or a deleted actor).")
    group_name: str
    contact_email: str | None = Field(description="A group's address: for the territory team only.")
    position: str
    arguments: str
    sources: list[str]
    declared_interests: str


class ExpertiseOut(Schema):
    id: int
    kind: ExpertiseKind
    title: str
    dated: datetime.date
    summary: str
    source: str


class StateOut(Schema):
    number: int = Field(description="The version, from 1.")
    statement: str
    minority_view: str
    signatories: list[int] = Field(description="Ids of the parties who co-signed this version.")
    written_at: datetime.datetime


class FollowUpOut(Schema):
    id: int
    action: str
    due_on: datetime.date
    done_on: datetime.date | None


class TransitionOut(Schema):
    from_stage: ControversyStage | None = Field(description="Null for its reporting.")
    to_stage: ControversyStage
    reason: str
    at: datetime.datetime


class ControversySummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    subject: str
    description: str
    stage: ControversyStage
    stage_changed_at: datetime.datetime | None
    forum: int | None = Field(description="The participation space where it is instructed, if readable.")
    subject_areas: list[str] = Field(description="Codes of essential needs.")
    party_count: int
    decided_on: datetime.date | None
    visibility: Visibility


class ControversyOut(ControversySummary):
    decision_text: str
    instruction_use: str = Field(description="How the decision used the instruction.")
    related_decisions: list[int] = Field(description="Ids of the related decisions the caller may read.")
    next_stages: list[ControversyStage] = Field(description="The stages it may move to.")
    reopened: int = Field(description="How many times it was reopened.")
    parties: list[PartyOut]
    expertise: list[ExpertiseOut]
    states: list[StateOut] = Field(description="The versions of the état de la controverse, latest first.")
    follow_ups: list[FollowUpOut]
    transitions: list[TransitionOut] = Field(description="The steps of its life cycle, oldest first.")


class ControversyPage(PageOut):
    results: list[ControversySummary]


class ControversyQuery(Schema):
    stage: ControversyStage | None = Field(None, description="Only controversies at this stage.")
    forum: int | None = Field(None, description="Only those instructed in this participation space (id).")
    area: str = Field("", description="Only those about this essential need (its code).", max_length=100)


# Requests ----------------------------------------------------------------------------------------


class ControversyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(json_schema_extra=SUBJECT)
    description: str = Field(json_schema_extra={"minLength": 1})
    forum: int | None = Field(None, description="The id of a participation space of the territory.")
    subject_areas: list[str] = Field(default_factory=list, description="Codes of essential needs.")
    visibility: Visibility = Visibility.PRIVATE


class ControversyPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(None, json_schema_extra=SUBJECT)
    description: str | None = None
    forum: int | None = Field(None, description="The id of a participation space; null for none.")
    subject_areas: list[str] | None = Field(None, description="Codes of essential needs.")
    visibility: Visibility | None = None


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: ControversyStage
    reason: str = Field(json_schema_extra={"minLength": 1})


class ControversyDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision_text: str
    instruction_use: str = Field(description="How the decision used the instruction.")
    related_decisions: list[int] = Field(
        default_factory=list, description="Ids of decisions of the territory (replaces the links)."
    )


# Serialising -------------------------------------------------------------------------------------


def party_out(view: PartyView, contacts: bool) -> dict[str, Any]:
    party, actor = view.party, view.actor
    return {
        "id": party.pk,
        "actor": {"id": actor.id, "name": actor.name, "category": actor.category.code} if actor else None,
        "group_name": party.group_name,
        "contact_email": party.contact_email if contacts else None,
        "position": party.position,
        "arguments": party.arguments,
        "sources": view.source_lines,
        "declared_interests": party.declared_interests,
    }


def expertise_out(expertise: Expertise) -> dict[str, Any]:
    fields = ("id", "kind", "title", "dated", "summary", "source")
    return {field: getattr(expertise, field) for field in fields}


def state_out(state: StateOfControversy) -> dict[str, Any]:
    return {
        "number": state.number,
        "statement": state.statement,
        "minority_view": state.minority_view,
        "signatories": sorted(party.pk for party in state.signatories.all()),
        "written_at": state.written_at,
    }


def follow_up_out(follow_up: FollowUp) -> dict[str, Any]:
    return {field: getattr(follow_up, field) for field in ("id", "action", "due_on", "done_on")}


def _transition_out(step: StageTransition) -> dict[str, Any]:
    return {
        "from_stage": step.from_stage or None,
        "to_stage": step.to_stage,
        "reason": step.reason,
        "at": step.at,
    }


def _summary(controversy: Controversy, areas, party_count: int) -> dict[str, Any]:
    readable_forum = controversy.forum_id and getattr(controversy, "forum_visible", False)
    return {
        "id": controversy.pk,
        "territory": controversy.territory.slug,
        "subject": controversy.subject,
        "description": controversy.description,
        "stage": controversy.stage,
        "stage_changed_at": controversy.stage_changed_at,
        "forum": controversy.forum_id if readable_forum else None,
        "subject_areas": [item.code for item in areas],
        "party_count": party_count,
        "decided_on": controversy.decided_on,
        "visibility": controversy.visibility,
    }


def _story_out(viewer, story: ControversyStory) -> dict[str, Any]:
    controversy = story.controversy
    contacts = can_steer_controversy(viewer, controversy)
    return _summary(controversy, story.subject_areas, len(story.parties)) | {
        "decision_text": controversy.decision_text,
        "instruction_use": controversy.instruction_use,
        "related_decisions": [decision.pk for decision in story.decisions],
        "next_stages": next_stages(controversy),
        "reopened": story.reopened,
        "parties": [party_out(view, contacts) for view in story.parties],
        "expertise": [expertise_out(expertise) for expertise in story.expertise],
        "states": [state_out(view.state) for view in story.states],
        "follow_ups": [follow_up_out(follow_up) for follow_up in story.follow_ups],
        "transitions": [_transition_out(step) for step in story.transitions],
    }


def _written_out(viewer, territory: Territory, controversy: Controversy) -> dict[str, Any]:
    """The controversy as the caller now reads it — or, when they may no longer read it (a
    contributor who made it private), its own fields without what it gathered, which only the team
    reads."""
    try:
        return _story_out(viewer, controversy_story(viewer, territory, controversy.pk))
    except Http404:
        forums = readable_spaces(viewer, territory)
        controversy.forum_visible = forums.filter(pk=controversy.forum_id).exists()
        areas = list(controversy.subject_areas.order_by("position", "id"))
        transitions = list(controversy.transitions.order_by("at", "id"))
        return _story_out(viewer, ControversyStory(controversy, areas, [], [], [], [], transitions, []))


# Reading the request -----------------------------------------------------------------------------


def _forum(forum_id: int | None) -> ParticipationSpace | None:
    """The space named by its id; whether the caller may choose it is the service's to say."""
    if forum_id is None:
        return None
    forum = ParticipationSpace.objects.filter(pk=forum_id).first()
    if forum is None:
        raise invalid({"forum": [_("Choose a participation space of this territory.")]})
    return forum


def _areas(codes: list[str]) -> list:
    known = {item.code: item for item in subject_area_choices()}
    if unknown := [code for code in codes if code not in known]:
        raise invalid(
            {"subject_areas": [_("Unknown essential needs: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return [known[code] for code in codes]


def _controversy_values(sent: dict[str, Any]) -> dict[str, Any]:
    if "forum" in sent:
        sent["forum"] = _forum(sent["forum"])
    if "subject_areas" in sent:
        sent["subject_areas"] = _areas(sent["subject_areas"] or [])
    return sent


def _decisions_of(viewer, territory: Territory, ids: list[int]) -> list[Decision]:
    found = visible_to(Decision.objects.filter(territory=territory, pk__in=ids), viewer).in_bulk()
    if any(pk not in found for pk in ids):
        raise invalid({"related_decisions": [_("Choose decisions of this territory.")]})
    return [found[pk] for pk in dict.fromkeys(ids)]


def steered_controversy(request: HttpRequest, slug: str, pk: int) -> Controversy:
    """A controversy the caller reads and steers (the team), or a 404."""
    controversy = access_controversy(request.user, territory_get(slug), pk)
    if not can_steer_controversy(request.user, controversy):
        raise Http404
    return controversy


# The register ------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: ControversyPage, **error_responses(401, 404, 422)},
    summary="List a territory's controversies",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_controversies(
    request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[ControversyQuery]
):
    """The controversies the caller may read, latest first, optionally at one stage, in one forum
    and about one essential need."""
    controversies = controversy_register(
        request.user, territory_get(slug), stage=query.stage or "", forum=query.forum, area=query.area
    ).select_related("territory")
    return paginate(
        request, controversies, pages, lambda c: _summary(c, c.subject_areas.all(), c.party_count)
    )


@router.get(
    ONE,
    response={200: ControversyOut, **error_responses(401, 404)},
    summary="Read a controversy with its parties, expertise, états, follow-up and life cycle",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_controversy(request: HttpRequest, slug: str, pk: int):
    return _story_out(request.user, controversy_story(request.user, territory_get(slug), pk))


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: ControversyOut, **WRITE_ERRORS},
    summary="Report a controversy (admins, editors, contributors); it starts « reported »",
)
def report_controversy(request: HttpRequest, slug: str, payload: ControversyIn):
    territory = territory_get(slug)
    if not can_add_controversy(request.user, territory):
        raise Http404
    values = _controversy_values(payload.model_dump())
    controversy = service_call(lambda: controversy_report(actor=request.user, territory=territory, **values))
    return Status(201, _written_out(request.user, territory, controversy))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: ControversyOut, **WRITE_ERRORS},
    summary="Change a controversy's subject, description, forum, subject areas or visibility "
    "(admins, editors, its author)",
)
def update_controversy(request: HttpRequest, slug: str, pk: int, payload: ControversyPatch):
    territory = territory_get(slug)
    controversy = access_controversy(request.user, territory, pk)
    if not can_edit_controversy(request.user, controversy):
        raise Http404
    values = _controversy_values(payload.model_dump(exclude_unset=True))
    service_call(lambda: controversy_update(actor=request.user, controversy=controversy, **values))
    return _written_out(request.user, territory, controversy)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a controversy and all it gathered (admins, editors, its author)",
)
def delete_controversy(request: HttpRequest, slug: str, pk: int):
    controversy = access_controversy(request.user, territory_get(slug), pk)
    service_call(lambda: controversy_delete(actor=request.user, controversy=controversy))
    return Status(204, None)


# Its life cycle ----------------------------------------------------------------------------------


@router.post(
    ONE + "/transitions",
    auth=SIGNED_IN,
    response={201: TransitionOut, **WRITE_ERRORS},
    summary="Move a controversy to another stage, saying why (admins, editors); the parties are told",
)
def move_controversy(request: HttpRequest, slug: str, pk: int, payload: TransitionIn):
    """A move its preconditions refuse answers 422, the reason on `to_stage`."""
    controversy = steered_controversy(request, slug, pk)
    step = service_call(
        lambda: controversy_move(
            actor=request.user, controversy=controversy, to_stage=payload.to_stage, reason=payload.reason
        )
    )
    return Status(201, _transition_out(step))


@router.put(
    ONE + "/decision",
    auth=SIGNED_IN,
    response={200: ControversyOut, **WRITE_ERRORS},
    summary="Write the decision, how it used the instruction, and its related decisions (admins, editors)",
)
def write_decision(request: HttpRequest, slug: str, pk: int, payload: ControversyDecisionIn):
    controversy = steered_controversy(request, slug, pk)
    territory = controversy.territory
    decisions = _decisions_of(request.user, territory, payload.related_decisions)
    service_call(
        lambda: decision_write(
            actor=request.user,
            controversy=controversy,
            decision_text=payload.decision_text,
            instruction_use=payload.instruction_use,
            related_decisions=decisions,
        )
    )
    return _written_out(request.user, territory, controversy)
