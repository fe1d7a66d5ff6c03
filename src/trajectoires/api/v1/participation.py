"""A territory's participation spaces, their meetings, and its decisions with the participation level
each reached (K4, S2), with the same rights and rules as the pages: anyone reads what a record's
visibility allows; admins, editors and contributors add spaces and decisions; admins, editors and
the author change them and record a space's meetings. A meeting reads as its space. A forbidden
record answers exactly like a missing one (404). A member or attendee the caller may not read keeps
its id and category, without its name (`name` is null)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.visibility import Visibility
from trajectoires.governance.decisions import (
    access_decision,
    decision_create,
    decision_delete,
    decision_update,
    decisions_of,
    readable_level_distribution,
)
from trajectoires.governance.models import Decision, Meeting, ParticipationSpace, SpaceKind
from trajectoires.governance.participation_forms import DecisionForm, MeetingForm, SpaceForm
from trajectoires.governance.permissions import can_edit_space
from trajectoires.governance.spaces import (
    access_meeting,
    access_space,
    meeting_record,
    space_create,
    space_delete,
    space_update,
    spaces_of,
)
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["participation"])


class MemberOut(Schema):
    id: int
    name: str | None = Field(description="Null when the caller may not read the actor.")
    category: str = Field(description="The code of its actor category in the référentiel.")


class MeetingSummary(Schema):
    id: int
    held_on: datetime.date
    attendee_count: int


class SpaceOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    name: str
    kind: SpaceKind
    purpose: str
    members: list[MemberOut]
    meetings: list[MeetingSummary] = Field(description="Latest first.")
    visibility: Visibility


class SpacePage(PageOut):
    results: list[SpaceOut]


class SpaceQuery(Schema):
    kind: SpaceKind | None = Field(None, description="Only spaces of this kind.")


class SpaceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    kind: SpaceKind
    purpose: str = ""
    members: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    visibility: Visibility = Visibility.PRIVATE


class MeetingOut(Schema):
    id: int
    space: int
    held_on: datetime.date
    agenda: str
    minutes: str
    attendees: list[MemberOut]


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    held_on: str = Field(description="YYYY-MM-DD, at most a year ahead", json_schema_extra={"format": "date"})
    agenda: str = Field(json_schema_extra={"minLength": 1})
    minutes: str = Field("", description="Once the meeting has taken place.")
    attendees: list[int] = Field(
        default_factory=list, description="Ids of members of the space, once the meeting has taken place."
    )


class LevelOut(Schema):
    code: str
    label: str
    rank: int = Field(description="1 (inform) to 5 (co-decide).")


class SpaceRef(Schema):
    id: int
    name: str


class DecisionOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    description: str
    decided_on: datetime.date
    participation_level: LevelOut
    space: SpaceRef | None = Field(description="Null when there is none or the caller may not read it.")
    co_construction_started_on: datetime.date | None
    visibility: Visibility


class DecisionPage(PageOut):
    results: list[DecisionOut]


class DecisionQuery(Schema):
    level: str | None = Field(None, description="Only decisions at this level (its code).")
    space: int | None = Field(None, description="Only decisions taken in this space (its id).")
    year: int | None = Field(None, description="Only decisions of this year.")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    description: str = ""
    decided_on: str = Field(
        description="YYYY-MM-DD, at most a year ahead", json_schema_extra={"format": "date"}
    )
    participation_level: str = Field(
        description="The code of a level of the ladder: inform, consult, concert, co_construct, co_decide."
    )
    space: int | None = Field(None, description="The id of a participation space of the territory.")
    co_construction_started_on: str | None = Field(
        None,
        description=(
            "YYYY-MM-DD: on the decision's date at the latest, not in the future; none for inform or consult."
        ),
        json_schema_extra={"format": "date"},
    )
    visibility: Visibility = Visibility.PRIVATE


class YearOut(Schema):
    year: int
    counts: dict[str, int] = Field(description="Decisions at each level (by code).")
    total: int
    top_down_share: float | None = Field(description="Share decided at inform or consult.")
    shared_share: float | None = Field(description="Share co-constructed or co-decided.")


class LevelsOut(Schema):
    levels: list[str] = Field(description="The level codes, from inform to co-decide.")
    years: list[YearOut] = Field(description="Every year from the first decision to the last.")
    overall: YearOut = Field(description="Every year together (`year` is 0).")


def _member(view: ActorView) -> dict[str, Any]:
    return {"id": view.id, "name": view.name, "category": view.category.code}


def _space_out(space: ParticipationSpace, readable: set[int]) -> dict[str, Any]:
    return {
        "id": space.pk,
        "territory": space.territory.slug,
        "name": space.name,
        "kind": space.kind,
        "purpose": space.purpose,
        "members": [_member(ActorView.of(actor, readable)) for actor in space.members.all()],
        "meetings": [
            {"id": m.pk, "held_on": m.held_on, "attendee_count": m.attendee_count}
            for m in space.meetings.all()
        ],
        "visibility": space.visibility,
    }


def _meeting_out(meeting: Meeting, readable: set[int]) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "space": meeting.space_id,
        "held_on": meeting.held_on,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attendees": [_member(ActorView.of(actor, readable)) for actor in meeting.attendees.all()],
    }


def _counts_out(row, year: int) -> dict[str, Any]:
    return {
        "year": year,
        "counts": row.counts,
        "total": row.total,
        "top_down_share": row.top_down_share,
        "shared_share": row.shared_share,
    }


def _decision_out(decision: Decision) -> dict[str, Any]:
    level = decision.participation_level
    space = decision.space if decision.space_id and decision.space_visible else None
    return {
        "id": decision.pk,
        "territory": decision.territory.slug,
        "title": decision.title,
        "description": decision.description,
        "decided_on": decision.decided_on,
        "participation_level": {"code": level.code, "label": level.label, "rank": level.extra.get("rank", 0)},
        "space": {"id": space.pk, "name": space.name} if space else None,
        "co_construction_started_on": decision.co_construction_started_on,
        "visibility": decision.visibility,
    }


def _valid(form) -> dict[str, Any]:
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


# Spaces ------------------------------------------------------------------------------------------


@router.get(
    "/{slug:slug}/spaces/",
    response={200: SpacePage, **error_responses(401, 404, 422)},
    summary="List a territory's participation spaces",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_spaces(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[SpaceQuery]):
    """The spaces the caller may read, by name, with their members and meetings."""
    territory = territory_get(slug)
    spaces = spaces_of(request.user, territory)
    if query.kind:
        spaces = spaces.filter(kind=query.kind)
    readable = readable_actor_ids(request.user, territory.pk)
    return paginate(request, spaces, pages, lambda space: _space_out(space, readable))


@router.get(
    "/{slug:slug}/spaces/{int:pk}",
    response={200: SpaceOut, **error_responses(401, 404)},
    summary="Read a participation space, its members and meetings",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_space(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    return _space_out(
        access_space(request.user, territory, pk), readable_actor_ids(request.user, territory.pk)
    )


@router.post(
    "/{slug:slug}/spaces/",
    auth=SIGNED_IN,
    response={201: SpaceOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Add a participation space (admins, editors, contributors)",
)
def create_space(request: HttpRequest, slug: str, payload: SpaceIn):
    territory = territory_get(slug)
    data = _valid(SpaceForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    space = service_call(lambda: space_create(actor=request.user, territory=territory, **data))
    return Status(201, read_space(request, slug, space.pk))


@router.put(
    "/{slug:slug}/spaces/{int:pk}",
    auth=SIGNED_IN,
    response={200: SpaceOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Replace a participation space (admins, editors, its author); hidden members stay",
)
def update_space(request: HttpRequest, slug: str, pk: int, payload: SpaceIn):
    territory = territory_get(slug)
    space = access_space(request.user, territory, pk)
    data = _valid(SpaceForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    service_call(lambda: space_update(actor=request.user, space=space, **data))
    return read_space(request, slug, pk)


@router.delete(
    "/{slug:slug}/spaces/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a participation space and its meetings; its decisions stay, in no space",
)
def delete_space(request: HttpRequest, slug: str, pk: int):
    space = access_space(request.user, territory_get(slug), pk)
    service_call(lambda: space_delete(actor=request.user, space=space))
    return Status(204, None)


@router.post(
    "/{slug:slug}/spaces/{int:pk}/meetings",
    auth=SIGNED_IN,
    response={201: MeetingOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a meeting of a space (those who may edit it); attendees among its members",
)
def create_meeting(request: HttpRequest, slug: str, pk: int, payload: MeetingIn):
    territory = territory_get(slug)
    space = access_space(request.user, territory, pk)
    if not can_edit_space(request.user, space):
        raise Http404
    data = _valid(MeetingForm(data=payload.model_dump(), viewer=request.user, space=space))
    meeting = service_call(lambda: meeting_record(actor=request.user, space=space, **data))
    return Status(201, read_meeting(request, slug, pk, meeting.pk))


@router.get(
    "/{slug:slug}/spaces/{int:pk}/meetings/{int:meeting}",
    response={200: MeetingOut, **error_responses(401, 404)},
    summary="Read a meeting of a space: agenda, attendees, minutes",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_meeting(request: HttpRequest, slug: str, pk: int, meeting: int):
    territory = territory_get(slug)
    found = access_meeting(request.user, access_space(request.user, territory, pk), meeting)
    return _meeting_out(found, readable_actor_ids(request.user, territory.pk))


# Decisions ---------------------------------------------------------------------------------------


@router.get(
    "/{slug:slug}/decisions/",
    response={200: DecisionPage, **error_responses(401, 404, 422)},
    summary="List a territory's decisions and their participation level",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_decisions(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[DecisionQuery]):
    """The decisions the caller may read, latest first, optionally of one level, space and year."""
    decisions = decisions_of(
        request.user, territory_get(slug), level=query.level or "", space=query.space, year=query.year
    )
    return paginate(request, decisions, pages, _decision_out)


@router.get(
    "/{slug:slug}/decisions/levels",
    response={200: LevelsOut, **error_responses(401, 404)},
    summary="The distribution of participation levels per year (S2: how much was decided top-down)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def decision_levels(request: HttpRequest, slug: str):
    """Over the decisions the caller may read."""
    distribution = readable_level_distribution(request.user, territory_get(slug))
    return {
        "levels": list(distribution.levels),
        "years": [_counts_out(row, row.year) for row in distribution.years],
        "overall": _counts_out(distribution.overall, 0),
    }


@router.get(
    "/{slug:slug}/decisions/{int:pk}",
    response={200: DecisionOut, **error_responses(401, 404)},
    summary="Read a decision",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_decision(request: HttpRequest, slug: str, pk: int):
    return _decision_out(access_decision(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/decisions/",
    auth=SIGNED_IN,
    response={201: DecisionOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a decision (admins, editors, contributors)",
)
def create_decision(request: HttpRequest, slug: str, payload: DecisionIn):
    territory = territory_get(slug)
    data = _valid(DecisionForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    decision = service_call(lambda: decision_create(actor=request.user, territory=territory, **data))
    return Status(201, _decision_out(access_decision(request.user, territory, decision.pk)))


@router.put(
    "/{slug:slug}/decisions/{int:pk}",
    auth=SIGNED_IN,
    response={200: DecisionOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Replace a decision (admins, editors, its author); a space the caller cannot read stays",
)
def update_decision(request: HttpRequest, slug: str, pk: int, payload: DecisionIn):
    territory = territory_get(slug)
    decision = access_decision(request.user, territory, pk)
    form = DecisionForm(
        data=payload.model_dump(), viewer=request.user, territory=territory, decision=decision
    )
    data = _valid(form)
    service_call(lambda: decision_update(actor=request.user, decision=decision, **data))
    return _decision_out(access_decision(request.user, territory, pk))


@router.delete(
    "/{slug:slug}/decisions/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a decision (admins, editors, its author)",
)
def delete_decision(request: HttpRequest, slug: str, pk: int):
    decision = access_decision(request.user, territory_get(slug), pk)
    service_call(lambda: decision_delete(actor=request.user, decision=decision))
    return Status(204, None)
