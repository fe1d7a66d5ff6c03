"""A territory's celebrations of intermediate victories (F9), with the same rights as the pages:
anyone reads what its visibility allows; admins, editors and contributors add; admins, editors and
the author change or delete. A forbidden celebration answers exactly like a missing one (404)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.steering.celebration_forms import CelebrationForm
from trajectoires.steering.celebrations import (
    access_celebration,
    celebration_create,
    celebration_delete,
    celebration_update,
    celebrations_of,
)
from trajectoires.steering.models import Celebration
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .journal import ActorRef
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["celebrations"])


class EntryRef(Schema):
    id: int
    title: str
    occurred_on: datetime.date


class CelebrationOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    achieved_on: datetime.date
    achievement: str = Field(description="What was achieved.")
    participants: str = Field(description="Who took part.")
    actors: list[ActorRef] = Field(description="The actors the caller may see.")
    journal_entries: list[EntryRef] = Field(description="The linked entries the caller may read.")
    visibility: Visibility


class CelebrationPage(PageOut):
    results: list[CelebrationOut]


class CelebrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    achieved_on: str = Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    achievement: str = Field(json_schema_extra={"minLength": 1})
    participants: str = ""
    actors: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    journal_entries: list[int] = Field(
        default_factory=list, description="Ids of the territory's journal entries."
    )
    visibility: Visibility = Visibility.PRIVATE


def _out(celebration: Celebration) -> dict[str, Any]:
    return {
        "id": celebration.pk,
        "territory": celebration.territory.slug,
        "title": celebration.title,
        "achieved_on": celebration.achieved_on,
        "achievement": celebration.achievement,
        "participants": celebration.participants,
        "actors": [{"id": actor.pk, "name": actor.name} for actor in celebration.actors.all()],
        "journal_entries": [
            {"id": entry.pk, "title": entry.title, "occurred_on": entry.occurred_on}
            for entry in celebration.journal_entries.all()
        ],
        "visibility": celebration.visibility,
    }


def _form(request: HttpRequest, territory, payload: CelebrationIn) -> CelebrationForm:
    form = CelebrationForm(data=payload.model_dump(), viewer=request.user, territory=territory)
    if not form.is_valid():
        raise invalid(form.errors)
    return form


@router.get(
    "/{slug:slug}/celebrations/",
    response={200: CelebrationPage, **error_responses(401, 404, 422)},
    summary="List a territory's celebrations",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_celebrations(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The celebrations the caller may read, newest first."""
    return paginate(request, celebrations_of(request.user, territory_get(slug)), pages, _out)


@router.get(
    "/{slug:slug}/celebrations/{int:pk}",
    response={200: CelebrationOut, **error_responses(401, 404)},
    summary="Read a celebration",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_celebration(request: HttpRequest, slug: str, pk: int):
    return _out(access_celebration(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/celebrations/",
    auth=SIGNED_IN,
    response={201: CelebrationOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Celebrate a victory (admins, editors, contributors)",
)
def create_celebration(request: HttpRequest, slug: str, payload: CelebrationIn):
    territory = territory_get(slug)
    form = _form(request, territory, payload)
    celebration = service_call(
        lambda: celebration_create(actor=request.user, territory=territory, **form.cleaned_data)
    )
    return Status(201, _out(access_celebration(request.user, territory, celebration.pk)))


@router.put(
    "/{slug:slug}/celebrations/{int:pk}",
    auth=SIGNED_IN,
    response={200: CelebrationOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a celebration (admins, editors, its author)",
)
def update_celebration(request: HttpRequest, slug: str, pk: int, payload: CelebrationIn):
    territory = territory_get(slug)
    celebration = access_celebration(request.user, territory, pk)
    form = _form(request, territory, payload)
    service_call(lambda: celebration_update(actor=request.user, celebration=celebration, **form.cleaned_data))
    return _out(access_celebration(request.user, territory, pk))


@router.delete(
    "/{slug:slug}/celebrations/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a celebration (admins, editors, its author)",
)
def delete_celebration(request: HttpRequest, slug: str, pk: int):
    celebration = access_celebration(request.user, territory_get(slug), pk)
    service_call(lambda: celebration_delete(actor=request.user, celebration=celebration))
    return Status(204, None)
