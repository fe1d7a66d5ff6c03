"""A territory team's capacity to act (K7), with the same rights and rules as the team page: its
trainings (anyone reads what a training's visibility allows; admins, editors and contributors add
them; admins, editors and the author change them), its organisation (the DGS and the transverse
expertise pole; admins and editors write it) and the coverage of change-management training among
élus and agents, computed from what the caller may read. A forbidden record answers exactly like a
missing one (404)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.governance.capacity import (
    MAX_TRAINING_HOURS,
    access_training,
    service_lines,
    shown_dgs,
    team_structure_of,
    team_structure_save,
    training_create,
    training_delete,
    training_update,
    trainings_of,
)
from trajectoires.governance.capacity_coverage import TrainingCoverage, training_coverage
from trajectoires.governance.capacity_forms import TeamStructureForm, TrainingForm
from trajectoires.governance.models import TeamStructure, Training
from trajectoires.governance.permissions import can_add_training, can_edit_team_structure, can_edit_training
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["team capacity"])
HOURS_BOUNDS = {"exclusiveMinimum": 0, "maximum": float(MAX_TRAINING_HOURS), "multipleOf": 0.1}


class CategorisedActor(Schema):
    id: int
    name: str
    category: str = Field(description="Code of the référentiel's actor category.")


class TrainingOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    held_on: datetime.date
    hours: float
    organisation: str = Field(description="Who organised it.")
    is_training_action: bool = Field(description="Learning by doing, on a real project.")
    change_management: bool
    participants: list[CategorisedActor] = Field(description="The participants the caller may see.")
    visibility: Visibility


class TrainingPage(PageOut):
    results: list[TrainingOut]


class TrainingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    held_on: str = Field(description="YYYY-MM-DD, at most a year ahead", json_schema_extra={"format": "date"})
    hours: float = Field(description="More than 0, at most 200.", json_schema_extra=HOURS_BOUNDS)
    organisation: str = Field("", json_schema_extra={"maxLength": 200})
    is_training_action: bool = False
    change_management: bool = False
    participants: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    visibility: Visibility = Visibility.PRIVATE


class TeamStructureOut(Schema):
    territory: str = Field(description="The territory's slug.")
    dgs: CategorisedActor | None = Field(description="The DGS, if named and the caller may see them.")
    dgs_role: str
    pole_name: str
    pole_missions: str
    pole_services: list[str] = Field(description="The services the pole links.")
    pole_members: list[CategorisedActor] = Field(description="The members the caller may see.")
    visibility: Visibility


class TeamStructureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    dgs: int | None = Field(None, description="Id of a person of the agents' category.")
    dgs_role: str = ""
    pole_name: str = Field("", json_schema_extra={"maxLength": 200})
    pole_missions: str = ""
    pole_services: list[str] = Field(default_factory=list, description="One service per item.")
    pole_members: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    visibility: Visibility = Visibility.PRIVATE


class CoverageRowOut(Schema):
    category: str
    label: str
    people: int = Field(description="Persons of the category the caller may see.")
    trained: int = Field(description="Of them, those in at least one change-management training.")
    untrained: int
    share: float | None = Field(description="trained / people, from 0 to 1; null without anyone.")


class ParticipationOut(Schema):
    category: str
    label: str
    actors: int = Field(description="Actors of the category on the map (persons and organisations).")
    participants: int = Field(description="Of them, those in at least one training.")
    trainings: int = Field(description="Trainings with at least one of them.")
    person_hours: float


class TrainingCoverageOut(Schema):
    territory: str
    trainings: int
    hours: float
    training_actions: int
    change_management: int
    coverage: list[CoverageRowOut] = Field(description="Élus and agents (persons).")
    fantastiques: list[ParticipationOut] = Field(description="The « 4 Fantastiques » in the trainings.")


def _actor(actor: Actor) -> dict[str, Any]:
    return {"id": actor.pk, "name": actor.name, "category": actor.category.code}


def _training_out(training: Training) -> dict[str, Any]:
    return {
        "id": training.pk,
        "territory": training.territory.slug,
        "title": training.title,
        "held_on": training.held_on,
        "hours": float(training.hours),
        "organisation": training.organisation,
        "is_training_action": training.is_training_action,
        "change_management": training.change_management,
        "participants": [_actor(actor) for actor in training.participants.all()],
        "visibility": training.visibility,
    }


def _structure_out(structure: TeamStructure) -> dict[str, Any]:
    dgs = shown_dgs(structure)
    return {
        "territory": structure.territory.slug,
        "dgs": _actor(dgs) if dgs else None,
        "dgs_role": structure.dgs_role,
        "pole_name": structure.pole_name,
        "pole_missions": structure.pole_missions,
        "pole_services": service_lines(structure),
        "pole_members": [_actor(actor) for actor in structure.pole_members.all()],
        "visibility": structure.visibility,
    }


def _coverage_out(slug: str, coverage: TrainingCoverage) -> dict[str, Any]:
    return {
        "territory": slug,
        "trainings": coverage.trainings,
        "hours": float(coverage.hours),
        "training_actions": coverage.training_actions,
        "change_management": coverage.change_management,
        "coverage": [
            {
                "category": row.category.code,
                "label": row.category.label,
                "people": row.people,
                "trained": row.trained,
                "untrained": row.untrained,
                "share": row.share,
            }
            for row in coverage.coverage
        ],
        "fantastiques": [
            {
                "category": row.category.code,
                "label": row.category.label,
                "actors": row.actors,
                "participants": row.participants,
                "trainings": row.trainings,
                "person_hours": float(row.person_hours),
            }
            for row in coverage.fantastiques
        ],
    }


def _valid(form) -> dict[str, Any]:
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


@router.get(
    "/{slug:slug}/trainings/",
    response={200: TrainingPage, **error_responses(401, 404, 422)},
    summary="List a territory team's trainings",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_trainings(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The trainings the caller may read, latest first."""
    return paginate(request, trainings_of(request.user, territory_get(slug)), pages, _training_out)


@router.get(
    "/{slug:slug}/trainings/{int:pk}",
    response={200: TrainingOut, **error_responses(401, 404)},
    summary="Read a training",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_training(request: HttpRequest, slug: str, pk: int):
    return _training_out(access_training(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/trainings/",
    auth=SIGNED_IN,
    response={201: TrainingOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Add a training (admins, editors, contributors)",
)
def create_training(request: HttpRequest, slug: str, payload: TrainingIn):
    territory = territory_get(slug)
    if not can_add_training(request.user, territory):
        raise Http404
    data = _valid(TrainingForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    training = service_call(lambda: training_create(actor=request.user, territory=territory, **data))
    return Status(201, _training_out(access_training(request.user, territory, training.pk)))


@router.put(
    "/{slug:slug}/trainings/{int:pk}",
    auth=SIGNED_IN,
    response={200: TrainingOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Replace a training (admins, editors, its author)",
)
def update_training(request: HttpRequest, slug: str, pk: int, payload: TrainingIn):
    territory = territory_get(slug)
    training = access_training(request.user, territory, pk)
    if not can_edit_training(request.user, training):
        raise Http404
    data = _valid(TrainingForm(data=payload.model_dump(), viewer=request.user, territory=territory))
    service_call(lambda: training_update(actor=request.user, training=training, **data))
    return _training_out(access_training(request.user, territory, pk))


@router.delete(
    "/{slug:slug}/trainings/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a training (admins, editors, its author)",
)
def delete_training(request: HttpRequest, slug: str, pk: int):
    training = access_training(request.user, territory_get(slug), pk)
    service_call(lambda: training_delete(actor=request.user, training=training))
    return Status(204, None)


@router.get(
    "/{slug:slug}/team-structure",
    response={200: TeamStructureOut, **error_responses(401, 404)},
    summary="Read how a territory's team is organised: its DGS and its transverse expertise pole",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_team_structure(request: HttpRequest, slug: str):
    structure = team_structure_of(request.user, territory_get(slug))
    if structure is None:
        raise Http404
    return _structure_out(structure)


@router.put(
    "/{slug:slug}/team-structure",
    auth=SIGNED_IN,
    response={200: TeamStructureOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Write how a territory's team is organised (admins, editors)",
)
def save_team_structure(request: HttpRequest, slug: str, payload: TeamStructureIn):
    territory = territory_get(slug)
    if not can_edit_team_structure(request.user, territory):
        raise Http404
    values = payload.model_dump() | {"pole_services": "\n".join(payload.pole_services)}
    data = _valid(TeamStructureForm(data=values, viewer=request.user, territory=territory))
    service_call(lambda: team_structure_save(actor=request.user, territory=territory, **data))
    return _structure_out(team_structure_of(request.user, territory))


@router.get(
    "/{slug:slug}/training-coverage",
    response={200: TrainingCoverageOut, **error_responses(401, 404)},
    summary="The coverage of change-management training among élus and agents, and the « 4 Fantastiques » "
    "in the trainings, from what the caller may read",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_training_coverage(request: HttpRequest, slug: str):
    territory = territory_get(slug)
    return _coverage_out(territory.slug, training_coverage(request.user, territory))
