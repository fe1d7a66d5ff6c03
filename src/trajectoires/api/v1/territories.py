"""Territories in transition: the directory of the alliance, and its creation by platform staff.

Creation goes through the page's form (`TerritoryForm`, the HTTP input boundary) and the service
(`territory_create`, which validates the perimeter, writes in one transaction and audits), so the API
refuses and records exactly what the page does.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.forms import TerritoryForm
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_create_territory
from trajectoires.territories.selectors import territory_get, territory_list, territory_population
from trajectoires.territories.services import territory_create

from .areas import AreaRef, area_ref
from .auth import ANONYMOUS_ALLOWED, signed_in_and
from .errors import error_responses, invalid
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["territories"])


class TerritoryItem(Schema):
    slug: str
    name: str
    kind: TerritoryKind
    kind_label: str
    alliance_joined_on: datetime.date
    area_count: int = Field(description="Areas in the perimeter.")
    population: int | None = Field(description="Population of the perimeter.")


class TerritoryPage(PageOut):
    results: list[TerritoryItem]


class PerimeterArea(AreaRef):
    population: int | None


class TerritoryDetail(Schema):
    slug: str
    name: str
    kind: TerritoryKind
    kind_label: str
    description: str
    alliance_joined_on: datetime.date
    population: int
    perimeter: list[PerimeterArea]


class TerritoryIn(Schema):
    """What the creation form asks. Contents are checked by the form and the service, whose
    translated messages name the field; here only the JSON types are."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    kind: str = Field(json_schema_extra={"enum": TerritoryKind.values})
    areas: list[str] = Field(
        description="The perimeter, as area references: 42218, 244200770, 42, region-84…",
        json_schema_extra={"minItems": 1},
    )
    alliance_joined_on: str = Field(
        description="The date it joined the alliance (YYYY-MM-DD).", json_schema_extra={"format": "date"}
    )
    description: str = ""

    def form_data(self) -> dict[str, str]:
        return {**self.model_dump(), "areas": " ".join(self.areas)}


def _item(territory: Territory) -> dict[str, Any]:
    return {
        "slug": territory.slug,
        "name": territory.name,
        "kind": territory.kind,
        "kind_label": territory.get_kind_display(),
        "alliance_joined_on": territory.alliance_joined_on,
        "area_count": territory.area_count,
        "population": territory.population,
    }


def _detail(territory: Territory) -> dict[str, Any]:
    return {
        "slug": territory.slug,
        "name": territory.name,
        "kind": territory.kind,
        "kind_label": territory.get_kind_display(),
        "description": territory.description,
        "alliance_joined_on": territory.alliance_joined_on,
        "population": territory_population(territory),
        "perimeter": [{**area_ref(area), "population": area.population} for area in territory.areas.all()],
    }


@router.get(
    "/",
    response={200: TerritoryPage, **error_responses(401, 404, 422)},
    summary="List the territories",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_territories(request: HttpRequest, pages: Query[PageQuery]):
    """The members of the alliance, by name, as on the territories page."""
    return paginate(request, territory_list(), pages, _item)


@router.get(
    "/{slug:slug}",
    response={200: TerritoryDetail, **error_responses(401, 404)},
    summary="Read one territory",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_territory(request: HttpRequest, slug: str):
    """A territory with its perimeter (its areas, by name)."""
    return _detail(territory_get(slug))


@router.post(
    "/",
    auth=signed_in_and(can_create_territory),
    response={201: TerritoryDetail, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Create a territory (platform staff)",
)
def create_territory(request: HttpRequest, payload: TerritoryIn):
    """Platform staff only: to anyone else this address does not exist (404), as the page. A token
    needs the “read and write” scope. Nothing is written unless everything is valid."""
    form = TerritoryForm(data=payload.form_data())
    if not form.is_valid():
        raise invalid(form.errors)
    try:
        territory = territory_create(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise invalid(error.message_dict) from None
    return Status(201, _detail(territory_get(territory.slug)))
