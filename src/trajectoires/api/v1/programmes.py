"""A funder's programmes and contracts, with the same rights and rules as the pages.

- Anyone reads a funder's programmes and their rules: eligible territory kinds and areas, eligible
  budget-line categories and those kept for after a finished diagnostic sensible, the minimum and
  maximum duration, the co-financing cap. The funder's admins write them.
- A funder's contracts are those it is party to, as the caller may read them (see `contracts`); its
  members draft a new contract it leads, with its own share.
- A forbidden write answers exactly like a missing record (404), before any check of the input (422).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from trajectoires.accounts.models import Funder
from trajectoires.core.visibility import Visibility
from trajectoires.funding.contracts import ContractInput, contract_create
from trajectoires.funding.models import BUDGET_LINE_GRID, Programme
from trajectoires.funding.permissions import is_funder_admin, is_funder_member
from trajectoires.funding.programmes import ProgrammeInput, programme_create, programme_update
from trajectoires.funding.selectors import funder_contracts, programme_get, programmes
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.team_selectors import funder_get

from .areas import AreaRef, area_ref
from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .contracts import (
    ContractListOut,
    ContractOut,
    In,
    contract_summary,
    euros,
    fresh_out,
    funder_programme,
    money_field,
)
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["funders' programmes and contracts"])
PROGRAMMES = "/{slug:slug}/programmes/"
PROGRAMME = PROGRAMMES + "{slug:programme_slug}"
CONTRACTS = "/{slug:slug}/contracts/"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
PERCENT = {"anyOf": [{"type": "string"}, {"type": "number"}]}


# Answers -----------------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    funder: str = Field(description="The funder's slug.")
    slug: str
    name: str
    description: str
    is_open: bool = Field(description="Whether it funds new contracts.")
    territory_kinds: list[str] = Field(description="The kinds of territory it funds; empty for any.")
    areas: list[AreaRef] = Field(description="The areas it funds territories in; empty for anywhere.")
    categories: list[str] = Field(description="Codes of the budget-line categories it funds; empty for any.")
    diagnostic_categories: list[str] = Field(
        description="Codes of the categories it funds only after a finished diagnostic sensible."
    )
    min_years: int
    max_years: int
    cofinancing_cap: str = Field(description="The most it pays of a contract, in % of the total.")


class ProgrammeListOut(PageOut):
    results: list[ProgrammeOut]


# Requests ----------------------------------------------------------------------------------------


class ProgrammeIn(In):
    name: str = Field(max_length=200)
    description: str = ""
    is_open: bool = True
    territory_kinds: list[str] = Field(default_factory=list, description="commune, epci, …; empty for any.")
    areas: list[str] = Field(default_factory=list, description="Area references: region-44, 68, 68343…")
    categories: list[str] = Field(default_factory=list, description="Codes of budget-line categories.")
    diagnostic_categories: list[str] = Field(
        default_factory=list, description="Codes of the categories kept for after the diagnostic sensible."
    )
    min_years: int = 3
    max_years: int = 5
    cofinancing_cap: Any = Field(
        100,
        description="In % of a contract (string or number), above 0 and at most 100.",
        json_schema_extra=PERCENT,
    )


class ProgrammePatch(In):
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    is_open: bool | None = None
    territory_kinds: list[str] | None = None
    areas: list[str] | None = None
    categories: list[str] | None = None
    diagnostic_categories: list[str] | None = None
    min_years: int | None = None
    max_years: int | None = None
    cofinancing_cap: Any = Field(None, description="In % of a contract.", json_schema_extra=PERCENT)


class ContractIn(In):
    territory: str = Field(description="The slug of the territory.")
    title: str = Field(max_length=200)
    summary: str = ""
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100, description="The last year, included: 1 to 10 years in all.")
    total_amount: Any = money_field(
        "The contract's total, in euros (string or number, two decimals at most)."
    )
    visibility: Visibility = Visibility.PRIVATE
    programme: str | None = Field(None, description="The slug of the funder's programme for its share.")
    amount: Any = money_field("The funder's own share, in euros.")


# Serialising -------------------------------------------------------------------------------------


def _codes(items) -> list[str]:
    return [item.code for item in sorted(items, key=lambda item: item.position)]


def programme_out(programme: Programme) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "funder": programme.funder.slug,
        "slug": programme.slug,
        "name": programme.name,
        "description": programme.description,
        "is_open": programme.is_open,
        "territory_kinds": list(programme.territory_kinds),
        "areas": [
            area_ref(area) for area in sorted(programme.areas.all(), key=lambda area: (area.kind, area.code))
        ],
        "categories": _codes(programme.categories.all()),
        "diagnostic_categories": _codes(programme.diagnostic_categories.all()),
        "min_years": programme.min_years,
        "max_years": programme.max_years,
        "cofinancing_cap": euros(programme.cofinancing_cap),
    }


# Reading the request -----------------------------------------------------------------------------


def _admin_funder(request: HttpRequest, slug: str) -> Funder:
    funder = funder_get(slug)
    if not is_funder_admin(request.user, funder.pk):
        raise Http404
    return funder


def _categories(field: str, codes: list[str]) -> list:
    codes = list(dict.fromkeys(codes))
    found = {item.code: item for item in referential_items(BUDGET_LINE_GRID).filter(code__in=codes)}
    if len(found) != len(codes):
        raise invalid({field: [_("Choose budget-line categories of the référentiel.")]})
    return [found[code] for code in codes]


def _areas(references: list[str]) -> list:
    areas = [area_from_reference(reference) for reference in dict.fromkeys(references)]
    if any(area is None for area in areas):
        message = _("Choose an area of the geography, named kind-code (region-44, commune-68343).")
        raise invalid({"areas": [message]})
    return list(dict.fromkeys(areas))


def _cap(value: Any) -> Decimal:
    try:
        cap = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        cap = None
    if cap is None or not cap.is_finite() or cap != cap.quantize(Decimal("0.01")):
        raise invalid({"cofinancing_cap": [_("A co-financing cap is a share between 0 and 100 %.")]})
    return cap


def _programme_input(values: dict[str, Any]) -> ProgrammeInput:
    """The payload (a whole programme) as the service takes it: rows for codes and references."""
    return ProgrammeInput(
        name=values["name"],
        description=values["description"],
        is_open=values["is_open"],
        territory_kinds=values["territory_kinds"],
        areas=_areas(values["areas"]),
        categories=_categories("categories", values["categories"]),
        diagnostic_categories=_categories("diagnostic_categories", values["diagnostic_categories"]),
        min_years=values["min_years"],
        max_years=values["max_years"],
        cofinancing_cap=_cap(values["cofinancing_cap"]),
    )


# Programmes --------------------------------------------------------------------------------------


@router.get(
    PROGRAMMES,
    response={200: ProgrammeListOut, **error_responses(401, 404, 422)},
    summary="List a funder's programmes and their rules",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_programmes(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    return paginate(request, programmes(funder_get(slug)), pages, programme_out)


@router.get(
    PROGRAMME,
    response={200: ProgrammeOut, **error_responses(401, 404)},
    summary="Read a funder's programme and its rules",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_programme(request: HttpRequest, slug: str, programme_slug: str):
    return programme_out(programme_get(funder_get(slug), programme_slug))


@router.post(
    PROGRAMMES,
    auth=SIGNED_IN,
    response={201: ProgrammeOut, **WRITE_ERRORS},
    summary="Write a programme (the funder's admins)",
)
def create_programme(request: HttpRequest, slug: str, payload: ProgrammeIn):
    funder = _admin_funder(request, slug)
    data = _programme_input(payload.model_dump())
    programme = service_call(lambda: programme_create(actor=request.user, funder=funder, data=data))
    return Status(201, programme_out(programme_get(funder, programme.slug)))


@router.patch(
    PROGRAMME,
    auth=SIGNED_IN,
    response={200: ProgrammeOut, **WRITE_ERRORS},
    summary="Change a programme's rules (the funder's admins)",
)
def update_programme(request: HttpRequest, slug: str, programme_slug: str, payload: ProgrammePatch):
    funder = _admin_funder(request, slug)
    programme = programme_get(funder, programme_slug)
    current = programme_out(programme) | {"areas": [ref["ref"] for ref in programme_out(programme)["areas"]]}
    sent = {
        name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    data = _programme_input(current | sent)
    service_call(lambda: programme_update(actor=request.user, programme=programme, data=data))
    return programme_out(programme_get(funder, programme.slug))


# A funder's contracts ----------------------------------------------------------------------------


@router.get(
    CONTRACTS,
    response={200: ContractListOut, **error_responses(401, 404, 422)},
    summary="List the contracts a funder is party to",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_funder_contracts(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """Those the caller may read, latest first, each with its co-funders and their shares."""
    contracts = funder_contracts(request.user, funder_get(slug))
    return paginate(request, contracts, pages, contract_summary)


@router.post(
    CONTRACTS,
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Draft a contract the funder leads, with its own share (the funder's members)",
)
def create_contract(request: HttpRequest, slug: str, payload: ContractIn):
    """1 to 10 years, within the bounds of the programme if one is named; the other co-funders, the
    tranches, lines, conditions and objectives are added to the draft afterwards."""
    funder = funder_get(slug)
    if not is_funder_member(request.user, funder):
        raise Http404
    territory = Territory.objects.filter(slug=payload.territory).first()
    if territory is None:
        raise invalid({"territory": [_("Choose a territory of the alliance.")]})
    programme = funder_programme(funder, payload.programme)
    data = ContractInput(
        title=payload.title,
        summary=payload.summary,
        start_year=payload.start_year,
        end_year=payload.end_year,
        total_amount=payload.total_amount,
        visibility=payload.visibility,
    )
    contract = service_call(
        lambda: contract_create(
            actor=request.user,
            funder=funder,
            territory=territory,
            data=data,
            programme=programme,
            amount=payload.amount,
        )
    )
    return Status(201, fresh_out(request.user, territory, contract.pk))
