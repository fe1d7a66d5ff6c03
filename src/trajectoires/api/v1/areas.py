"""The official geography: search and list areas, read one by any reference a person would type."""

import datetime
import re

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from trajectoires.geo.enums import AreaKind, EpciType
from trajectoires.geo.forms import AreaSearchForm
from trajectoires.geo.models import Area, AreaAlias
from trajectoires.geo.selectors import (
    SEARCH_MAX_LENGTH,
    area_aliases,
    area_from_reference,
    area_get,
    area_list,
    area_scales_above,
    area_search,
)

from .auth import ANONYMOUS_ALLOWED
from .errors import error_responses, invalid
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["areas"])
# `kind-code` (or `kind:code`) names one area exactly, obsolete ones included; anything else goes to
# area_from_reference, which reads bare codes as people type them (42218, 244200770, 42…).
_CANONICAL = re.compile(r"(?P<kind>region|departement|epci|ept|commune)[-:](?P<code>[0-9a-z]{1,9})", re.I)


class AreaRef(Schema):
    ref: str = Field(description="The canonical reference, `kind-code`, accepted by /areas/{ref}.")
    kind: AreaKind
    code: str
    name: str


class AliasOut(Schema):
    kind: str = Field(description="deleguee, associee or arrondissement.")
    code: str
    name: str


class AreaSummary(AreaRef):
    siren: str | None
    population: int | None
    epci_type: EpciType | None
    is_obsolete: bool
    departements: list[AreaRef] = Field(description="The départements the area lies in.")
    matched_alias: AliasOut | None = Field(description="The other name a search matched, if any.")


class AreaPage(PageOut):
    results: list[AreaSummary]


class AreaDetail(AreaRef):
    siren: str | None
    population: int | None
    epci_type: EpciType | None
    is_obsolete: bool
    obsolete_since: datetime.date | None
    scales_above: list[AreaRef] = Field(description="Every area containing this one, from the région down.")
    postal_codes: list[str]
    aliases: list[AliasOut]


class AreaQuery(PageQuery):
    # The limits are the search form's, which checks them with its own messages; they are declared
    # here for the schema only.
    q: str | None = Field(
        None,
        description="A name, an INSEE code, a SIREN or a postal code: the directory's search.",
        json_schema_extra={
            "minLength": 1,
            "maxLength": SEARCH_MAX_LENGTH,
            "pattern": r"^[^\u0000]*\S[^\u0000]*$",
        },
    )
    kind: AreaKind | None = Field(
        None, description="Without q, the kind of areas to list (required then); with q, keeps that kind."
    )


def area_ref(area: Area) -> dict:
    return {"ref": f"{area.kind}-{area.code}", "kind": area.kind, "code": area.code, "name": area.name}


def _alias(alias: AreaAlias) -> dict:
    return {"kind": alias.kind, "code": alias.code, "name": alias.name}


def _facts(area: Area) -> dict:
    return {
        **area_ref(area),
        "siren": area.siren or None,
        "population": area.population,
        "epci_type": area.epci_type or None,
        "is_obsolete": area.is_obsolete,
    }


def _summary(area: Area, alias: AreaAlias | None = None) -> dict:
    return {
        **_facts(area),
        "departements": [area_ref(departement) for departement in area.departements],
        "matched_alias": _alias(alias) if alias else None,
    }


def _search(query: AreaQuery) -> list[tuple[Area, AreaAlias | None]]:
    """The directory page's hits, in its order, through its form (same limits, same messages)."""
    form = AreaSearchForm({"q": query.q})
    if not form.is_valid():
        raise invalid(form.errors)
    hits = area_search(form.cleaned_data["q"])
    return [(hit.area, hit.via_alias) for hit in hits if query.kind is None or hit.area.kind == query.kind]


@router.get(
    "/",
    response={200: AreaPage, **error_responses(401, 404, 422)},
    summary="Search or list areas",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_areas(request: HttpRequest, filters: Query[AreaQuery]):
    """With `q`, the directory's search results (at most 20, best first); without, every current area
    of `kind`, in alphabetical order."""
    if filters.q is not None:
        return paginate(request, _search(filters), filters, lambda hit: _summary(*hit))
    if filters.kind is None:
        raise invalid({"kind": [_("Give a kind of area, or a search with q.")]})
    return paginate(request, area_list(filters.kind), filters, _summary)


def _area_for(ref: str) -> Area:
    if match := _CANONICAL.fullmatch(ref.strip()):
        return area_get(match["kind"].lower(), match["code"])
    if (area := area_from_reference(ref)) is None:
        raise Http404
    return area


@router.get(
    "/{ref}",
    response={200: AreaDetail, **error_responses(401, 404)},
    summary="Read one area",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_area(request: HttpRequest, ref: str):
    """`ref` is a canonical reference (`commune-42218`, `region-84`) or a code as people type it:
    42218 (commune), 244200770 (EPCI or a commune's SIREN), 42 (département)."""
    area = _area_for(ref)
    return {
        **_facts(area),
        "obsolete_since": area.obsolete_since,
        "scales_above": [area_ref(parent) for parent in area_scales_above(area)],
        "postal_codes": list(area.postal_codes.values_list("code", flat=True)),
        "aliases": [_alias(alias) for alias in area_aliases(area)],
    }
