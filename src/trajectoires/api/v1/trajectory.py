"""A territory's trajectory (S5): its actions, the orientations they serve, and the services of
the administration they bring together.

Read through the caller's visibility like every territory record; a forbidden action answers
exactly like a missing one (404). Admins, editors and contributors add actions; admins, editors and
the author change or delete them. Services are given by name: matched whatever their case to the
territory's existing services (`…/services`), or created."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.planning.action_forms import ActionForm
from trajectoires.planning.actions import (
    KEY_ACTION_GRID,
    ActionFilters,
    access_action,
    action_create,
    action_delete,
    action_update,
    actions_of,
    can_read_action,
    services_of,
)
from trajectoires.planning.models import Action, ActionStatus
from trajectoires.planning.trajectory import trajectory_of
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.narratives import vision_orientations
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["trajectory"])


class ServiceOut(Schema):
    id: int
    name: str


class OrientationRef(Schema):
    id: int
    title: str


class ActionRef(Schema):
    id: int
    title: str


class ActionOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    description: str
    owner_service: ServiceOut | None
    services: list[ServiceOut] = Field(description="The other services involved.")
    status: ActionStatus
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    budget: float | None = Field(description="In euros, to the cent.")
    orientations: list[OrientationRef] = Field(
        description="The orientations it serves, if the caller reads the vision."
    )
    key_actions: list[str] = Field(description="Codes of the référentiel's key actions (K1…K10).")
    visibility: Visibility


class ActionPage(PageOut):
    results: list[ActionOut]


class ActionQuery(Schema):
    status: ActionStatus | None = Field(None, description="Only actions with this status.")
    service: int | None = Field(
        None, ge=1, description="Only actions this service (id) owns or is involved in."
    )
    key_action: str | None = Field(
        None, max_length=20, description="Only actions tagged with this key action."
    )


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    description: str = ""
    owner_service: str = Field("", description="The name of the service that carries it.")
    services: list[str] = Field(default_factory=list, description="Names of the other services involved.")
    status: ActionStatus = ActionStatus.PLANNED
    starts_on: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    ends_on: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    budget: float | None = Field(None, description="In euros, to the cent, from 0 to 1,000,000,000.")
    orientations: list[int] = Field(default_factory=list, description="Ids of the vision's orientations.")
    key_actions: list[str] = Field(default_factory=list, description="K1…K10")
    visibility: Visibility = Visibility.PRIVATE


class OrientationActionsOut(Schema):
    id: int
    title: str
    actions: list[ActionRef]


class ActionServicesOut(Schema):
    id: int
    title: str
    services: list[str] = Field(description="Names of its services: the owner first, then the others.")


class SiloCell(Schema):
    orientation: int
    actions: int


class SiloRowOut(Schema):
    service: ServiceOut
    by_orientation: list[SiloCell] = Field(description="Actions involving the service, per orientation.")
    actions: int = Field(description="Every action involving the service.")


class SilosOut(Schema):
    actions: list[ActionServicesOut]
    across_silos: int = Field(description="Actions involving at least two services.")
    across_silos_share: float | None = Field(description="Their share of the actions; null without actions.")
    table: list[SiloRowOut]


class TrajectoryOut(Schema):
    actions: int = Field(description="The actions counted (those the caller reads, filtered).")
    orientations: list[OrientationActionsOut]
    orientations_without_action: list[OrientationRef]
    actions_without_orientation: list[ActionRef]
    silos: SilosOut


def _service(service) -> dict[str, Any] | None:
    return {"id": service.pk, "name": service.name} if service is not None else None


def _out(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "territory": action.territory.slug,
        "title": action.title,
        "description": action.description,
        "owner_service": _service(action.owner_service),
        "services": [_service(service) for service in action.services.all()],
        "status": action.status,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "budget": float(action.budget) if action.budget is not None else None,
        "orientations": [{"id": o.pk, "title": o.title} for o in action.orientations.all()],
        "key_actions": [item.code for item in action.key_actions.all()],
        "visibility": action.visibility,
    }


def _key_action_codes(codes: list[str], field: str) -> list[str]:
    """The codes, if all are key actions of the current référentiel (which holds every code of the
    older versions); the form keeps an action's own rows for the codes it keeps (decision 0009)."""
    known = set(referential_items(KEY_ACTION_GRID).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise invalid({field: [_("Unknown key actions: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    return codes


def _filters(query: ActionQuery) -> ActionFilters:
    key_action = _key_action_codes([query.key_action], "key_action")[0] if query.key_action else ""
    return ActionFilters(status=query.status or "", service=query.service, key_action=key_action)


def _data(request: HttpRequest, territory, payload: ActionIn, action: Action | None = None) -> dict[str, Any]:
    """The payload validated by the page's form; the services' names go to the service as sent."""
    data = payload.model_dump() | {
        "key_actions": _key_action_codes(payload.key_actions, "key_actions"),
        "services": "",
    }
    form = ActionForm(data=data, viewer=request.user, territory=territory, action=action)
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data | {"services": payload.services}


def _written_out(request: HttpRequest, territory, action: Action) -> dict[str, Any]:
    """The action as written, even when its writer may not read it (a contributor may write a
    private action, which only the team reads): then with the orientations the writer reads."""
    if can_read_action(request.user, action):
        return _out(access_action(request.user, territory, action.pk))
    readable = vision_orientations(request.user, territory).filter(actions=action)
    return _out(action) | {"orientations": [{"id": o.pk, "title": o.title} for o in readable]}


@router.get(
    "/{slug:slug}/actions/",
    response={200: ActionPage, **error_responses(401, 404, 422)},
    summary="List a territory's actions",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_actions(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[ActionQuery]):
    """The actions the caller may read, by title, filtered by status, service and key action."""
    actions = actions_of(request.user, territory_get(slug), _filters(query))
    return paginate(request, actions, pages, _out)


@router.get(
    "/{slug:slug}/actions/{int:pk}",
    response={200: ActionOut, **error_responses(401, 404)},
    summary="Read an action",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_action(request: HttpRequest, slug: str, pk: int):
    return _out(access_action(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/actions/",
    auth=SIGNED_IN,
    response={201: ActionOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Add an action (admins, editors, contributors)",
)
def create_action(request: HttpRequest, slug: str, payload: ActionIn):
    territory = territory_get(slug)
    data = _data(request, territory, payload)
    action = service_call(lambda: action_create(actor=request.user, territory=territory, **data))
    return Status(201, _written_out(request, territory, action))


@router.put(
    "/{slug:slug}/actions/{int:pk}",
    auth=SIGNED_IN,
    response={200: ActionOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace an action (admins, editors, its author)",
)
def update_action(request: HttpRequest, slug: str, pk: int, payload: ActionIn):
    territory = territory_get(slug)
    action = access_action(request.user, territory, pk)
    data = _data(request, territory, payload, action)
    service_call(lambda: action_update(actor=request.user, action=action, **data))
    return _written_out(request, territory, action)


@router.delete(
    "/{slug:slug}/actions/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete an action (admins, editors, its author)",
)
def delete_action(request: HttpRequest, slug: str, pk: int):
    action = access_action(request.user, territory_get(slug), pk)
    service_call(lambda: action_delete(actor=request.user, action=action))
    return Status(204, None)


@router.get(
    "/{slug:slug}/services",
    response={200: list[ServiceOut], **error_responses(401, 404)},
    summary="The services of the territory's administration named by its actions",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_services(request: HttpRequest, slug: str):
    """All of them for those who add actions; otherwise those of the actions the caller reads."""
    return [_service(service) for service in services_of(request.user, territory_get(slug))]


def _silos_out(silos) -> dict[str, Any]:
    return {
        "actions": [
            {"id": item.action.pk, "title": item.action.title, "services": [s.name for s in item.services]}
            for item in silos.actions
        ],
        "across_silos": silos.across_silos_count,
        "across_silos_share": silos.across_silos_share,
        "table": [
            {
                "service": _service(row.service),
                "by_orientation": [
                    {"orientation": orientation.pk, "actions": count}
                    for orientation, count in zip(silos.orientations, row.counts, strict=True)
                ],
                "actions": row.total,
            }
            for row in silos.rows
        ],
    }


@router.get(
    "/{slug:slug}/trajectory",
    response={200: TrajectoryOut, **error_responses(401, 404, 422)},
    summary="The trajectory's gaps and its work across silos",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_trajectory(request: HttpRequest, slug: str, query: Query[ActionQuery]):
    """Orientations without action, actions serving no orientation, and the services of each
    action — counting the actions the caller reads that match the filters."""
    trajectory = trajectory_of(request.user, territory_get(slug), _filters(query))
    gaps = trajectory.gaps

    def ref(action: Action) -> dict[str, Any]:
        return {"id": action.pk, "title": action.title}

    return {
        "actions": gaps.action_count,
        "orientations": [
            {
                "id": item.orientation.pk,
                "title": item.orientation.title,
                "actions": [ref(a) for a in item.actions],
            }
            for item in gaps.orientations
        ],
        "orientations_without_action": [
            {"id": o.pk, "title": o.title} for o in gaps.orientations_without_action
        ],
        "actions_without_orientation": [ref(action) for action in gaps.actions_without_orientation],
        "silos": _silos_out(trajectory.silos),
    }
