"""A territory's pilots (K9) and their transferability sheets, with the same rights and rules as the
pages: anyone reads what a pilot's visibility allows; admins, editors and contributors start pilots;
admins, editors and the author change them, record their iterations and write their sheet. A
forbidden pilot answers exactly like a missing one (404); a closed pilot refuses a new iteration
(409). A published sheet is read by every signed-in member of the alliance whatever its pilot's
visibility (and by anyone when the pilot is public): `/transferability-sheets/` lists them."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.planning.iterations import ensure_open, iteration_record
from trajectoires.planning.models import IterationDecision, Pilot, PilotStatus, TransferabilitySheet
from trajectoires.planning.permissions import can_edit_pilot
from trajectoires.planning.pilot_forms import IterationForm, PilotForm, SheetForm
from trajectoires.planning.pilots import (
    access_pilot,
    pilot_create,
    pilot_delete,
    pilot_update,
    pilots_of,
    written_pilot,
    written_pilot_as_written,
)
from trajectoires.planning.sheets import (
    published_sheets,
    sheet_page,
    sheet_publish,
    sheet_save,
    sheet_unpublish,
)
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .journal import ActorRef
from .narratives import OrientationRef
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["pilots"])
sheets_router = Router(tags=["transferability sheets"])


class IterationOut(Schema):
    number: int
    held_on: datetime.date
    tried: str
    observed: str
    evidence: str
    decision: IterationDecision
    adjustment: str = Field(description="The decision taken and why.")


class SheetState(Schema):
    written: bool
    published_at: datetime.datetime | None


class PilotOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    hypothesis: str
    scope: str
    started_on: datetime.date
    status: PilotStatus = Field(description="Set by the decision of the latest iteration.")
    actors: list[ActorRef] = Field(description="The actors involved the caller may see.")
    orientations: list[OrientationRef] = Field(
        description="The orientations served, if the caller reads the vision."
    )
    lessons: str
    iterations: list[IterationOut]
    sheet: SheetState
    visibility: Visibility


class PilotPage(PageOut):
    results: list[PilotOut]


class PilotQuery(Schema):
    status: PilotStatus | None = Field(None, description="Only pilots of this status.")


class PilotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    hypothesis: str = Field(json_schema_extra={"minLength": 1})
    scope: str = Field(json_schema_extra={"minLength": 1})
    started_on: str = Field(
        description="YYYY-MM-DD, at most a year ahead", json_schema_extra={"format": "date"}
    )
    actors: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    orientations: list[int] = Field(default_factory=list, description="Ids of the vision's orientations.")
    lessons: str = ""
    visibility: Visibility = Visibility.PRIVATE


class IterationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    held_on: str = Field(
        description="YYYY-MM-DD, from the pilot's start to today", json_schema_extra={"format": "date"}
    )
    tried: str = Field(json_schema_extra={"minLength": 1})
    observed: str = Field(json_schema_extra={"minLength": 1})
    evidence: str = ""
    decision: IterationDecision
    adjustment: str = Field(description="The decision taken and why.", json_schema_extra={"minLength": 1})
    lessons: str = Field("", description="Replace the pilot's lessons; required to stop a pilot without any.")


class SheetPilot(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    status: PilotStatus
    hypothesis: str


class SheetOut(Schema):
    pilot: SheetPilot
    context: str
    prerequisites: str
    costs: str
    pitfalls: str
    contacts: str
    published_at: datetime.datetime | None


class SheetList(PageOut):
    results: list[SheetOut]


class SheetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    context: str = ""
    prerequisites: str = ""
    costs: str = ""
    pitfalls: str = ""
    contacts: str = ""


def _sheet_state(pilot: Pilot) -> dict[str, Any]:
    sheet = getattr(pilot, "sheet", None)
    return {"written": sheet is not None, "published_at": sheet.published_at if sheet else None}


def _written_out(request: HttpRequest, territory, pilot: Pilot) -> dict[str, Any]:
    """The pilot as written, even when its writer may not read it (a contributor's private pilot)."""
    readable = written_pilot(request.user, territory, pilot)
    return _out(readable or written_pilot_as_written(request.user, territory, pilot))


def _out(pilot: Pilot) -> dict[str, Any]:
    return {
        "id": pilot.pk,
        "territory": pilot.territory.slug,
        "title": pilot.title,
        "hypothesis": pilot.hypothesis,
        "scope": pilot.scope,
        "started_on": pilot.started_on,
        "status": pilot.status,
        "actors": [{"id": actor.pk, "name": actor.name} for actor in pilot.actors.all()],
        "orientations": [{"id": o.pk, "title": o.title} for o in pilot.orientations.all()],
        "lessons": pilot.lessons,
        "iterations": [_iteration_out(iteration) for iteration in pilot.iterations.all()],
        "sheet": _sheet_state(pilot),
        "visibility": pilot.visibility,
    }


def _iteration_out(iteration) -> dict[str, Any]:
    fields = ("number", "held_on", "tried", "observed", "evidence", "decision", "adjustment")
    return {field: getattr(iteration, field) for field in fields}


def _sheet_out(pilot: Pilot, sheet: TransferabilitySheet | None) -> dict[str, Any]:
    sections = {name: getattr(sheet, name) if sheet else "" for name in TransferabilitySheet.SECTIONS}
    return {
        "pilot": {
            "id": pilot.pk,
            "territory": pilot.territory.slug,
            "title": pilot.title,
            "status": pilot.status,
            "hypothesis": pilot.hypothesis,
        },
        **sections,
        "published_at": sheet.published_at if sheet else None,
    }


def _valid(form) -> dict[str, Any]:
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


def _editable(request: HttpRequest, slug: str, pk: int) -> Pilot:
    """The pilot, if the caller may change it; otherwise the same 404 as a missing one."""
    pilot = access_pilot(request.user, territory_get(slug), pk)
    if not can_edit_pilot(request.user, pilot):
        raise Http404
    return pilot


@router.get(
    "/{slug:slug}/pilots/",
    response={200: PilotPage, **error_responses(401, 404, 422)},
    summary="List a territory's pilots",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_pilots(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[PilotQuery]):
    """The pilots the caller may read, latest start first, optionally of one status."""
    pilots = pilots_of(request.user, territory_get(slug))
    if query.status:
        pilots = pilots.filter(status=query.status)
    return paginate(request, pilots, pages, _out)


@router.get(
    "/{slug:slug}/pilots/{int:pk}",
    response={200: PilotOut, **error_responses(401, 404)},
    summary="Read a pilot, its iterations and the state of its sheet",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_pilot(request: HttpRequest, slug: str, pk: int):
    return _out(access_pilot(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/pilots/",
    auth=SIGNED_IN,
    response={201: PilotOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Start a pilot (admins, editors, contributors); it starts running",
)
def create_pilot(request: HttpRequest, slug: str, payload: PilotIn):
    territory = territory_get(slug)
    data = _valid(PilotForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    pilot = service_call(lambda: pilot_create(actor=request.user, territory=territory, **data))
    return Status(201, _written_out(request, territory, pilot))


@router.put(
    "/{slug:slug}/pilots/{int:pk}",
    auth=SIGNED_IN,
    response={200: PilotOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Replace a pilot (admins, editors, its author); its status follows its iterations",
)
def update_pilot(request: HttpRequest, slug: str, pk: int, payload: PilotIn):
    territory = territory_get(slug)
    pilot = access_pilot(request.user, territory, pk)
    data = _valid(PilotForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    service_call(lambda: pilot_update(actor=request.user, pilot=pilot, **data))
    return _written_out(request, territory, pilot)


@router.delete(
    "/{slug:slug}/pilots/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a pilot, its iterations and its sheet (admins, editors, its author)",
)
def delete_pilot(request: HttpRequest, slug: str, pk: int):
    pilot = access_pilot(request.user, territory_get(slug), pk)
    service_call(lambda: pilot_delete(actor=request.user, pilot=pilot))
    return Status(204, None)


@router.post(
    "/{slug:slug}/pilots/{int:pk}/iterations",
    auth=SIGNED_IN,
    response={201: PilotOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Record the pilot's next iteration; its decision sets the pilot's status",
)
def create_iteration(request: HttpRequest, slug: str, pk: int, payload: IterationIn):
    pilot = _editable(request, slug, pk)
    service_call(lambda: ensure_open(pilot), conflict=True)
    data = _valid(IterationForm(data=payload.model_dump()))
    service_call(lambda: iteration_record(actor=request.user, pilot=pilot, **data))
    return Status(201, _out(access_pilot(request.user, pilot.territory, pk)))


@router.get(
    "/{slug:slug}/pilots/{int:pk}/sheet",
    response={200: SheetOut, **error_responses(401, 404)},
    summary="Read a pilot's transferability sheet (empty sections before it is written)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_sheet(request: HttpRequest, slug: str, pk: int):
    page = sheet_page(request.user, territory_get(slug), pk)
    return _sheet_out(page.pilot, page.sheet)


@router.put(
    "/{slug:slug}/pilots/{int:pk}/sheet",
    auth=SIGNED_IN,
    response={200: SheetOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Write a pilot's transferability sheet (those who edit the pilot)",
)
def update_sheet(request: HttpRequest, slug: str, pk: int, payload: SheetIn):
    pilot = _editable(request, slug, pk)
    data = _valid(SheetForm(data=payload.model_dump()))
    sheet = service_call(lambda: sheet_save(actor=request.user, pilot=pilot, **data))
    return _sheet_out(pilot, sheet)


@router.post(
    "/{slug:slug}/pilots/{int:pk}/sheet/publish",
    auth=SIGNED_IN,
    response={200: SheetOut, **error_responses(401, 403, 404, 422)},
    summary="Publish a sheet to the alliance; every section must be written (one error per empty one)",
)
def publish_sheet(request: HttpRequest, slug: str, pk: int):
    pilot = _editable(request, slug, pk)
    sheet = service_call(lambda: sheet_publish(actor=request.user, pilot=pilot))
    return _sheet_out(pilot, sheet)


@router.post(
    "/{slug:slug}/pilots/{int:pk}/sheet/unpublish",
    auth=SIGNED_IN,
    response={200: SheetOut, **error_responses(401, 403, 404)},
    summary="Withdraw a sheet from the alliance: it reads as its pilot again",
)
def unpublish_sheet(request: HttpRequest, slug: str, pk: int):
    pilot = _editable(request, slug, pk)
    sheet = service_call(lambda: sheet_unpublish(actor=request.user, pilot=pilot))
    return _sheet_out(pilot, sheet if sheet.pk else None)


@sheets_router.get(
    "/",
    response={200: SheetList, **error_responses(401, 404, 422)},
    summary="List the published transferability sheets the caller may read",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_sheets(request: HttpRequest, pages: Query[PageQuery]):
    """Every published sheet of the alliance for a signed-in caller; those of public pilots for
    anyone else. Latest published first."""
    return paginate(
        request, published_sheets(request.user), pages, lambda sheet: _sheet_out(sheet.pilot, sheet)
    )
