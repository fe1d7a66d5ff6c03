"""The coherence between a contract's co-funders (F6, C5): what each requires, the contradictions
and duplicate burdens the checker finds — each with the rule that found it — and the merged
reporting calendar. Every party reads it (as the contract itself); a co-funder's members record and
remove their funder's requirements. A forbidden contract or write answers like a missing one (404).
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.accounts.models import Funder
from trajectoires.funding.coherence import (
    RequirementInput,
    coherence_check,
    requirement_add,
    requirement_remove,
)
from trajectoires.funding.models import Contract, Requirement, RequirementKind
from trajectoires.funding.money import money
from trajectoires.funding.permissions import party_funder_ids
from trajectoires.funding.selectors import contract_get
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call

router = Router(tags=["engagement contracts"])
PATH = "/{slug:slug}/contracts/{int:pk}/"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)


class FindingOut(Schema):
    severity: Literal["contradiction", "burden"]
    rule: str = Field(description="The rule that found it (see the description of the coherence operation).")
    rule_text: str
    message: str
    funders: list[str]


class CalendarEntryOut(Schema):
    due_on: datetime.date
    year: int = Field(description="The year the report is on.")
    funders: list[str]
    formats: list[str]


class RequirementOut(Schema):
    id: int
    funder: str = Field(description="The co-funder's short name.")
    kind: str
    due_month: int | None
    due_day: int | None
    report_format: str
    indicator: str
    definition: str
    category: str | None = Field(description="The budget-line category's code.")
    percent: str | None = Field(description="A share in %, as a decimal string.")
    note: str


class CoherenceOut(Schema):
    contradictions: list[FindingOut]
    burdens: list[FindingOut]
    calendar: list[CalendarEntryOut]
    requirements: list[RequirementOut]


class RequirementIn(Schema):
    model_config = ConfigDict(extra="forbid")
    funder: str = Field(
        description="The short name of the co-funder the requirement is for (one you belong to)."
    )
    kind: RequirementKind
    due_month: int | None = Field(None, ge=1, le=12)
    due_day: int | None = Field(None, ge=1, le=31)
    report_format: str = ""
    indicator: str = Field("", max_length=80)
    definition: str = ""
    category: str | None = Field(None, description="A code of the budget_line_category grid.")
    percent: float | str | None = Field(
        None, description="A share in %, from 0 to 100, two decimals at most."
    )
    note: str = Field("", max_length=300)


def _finding_out(finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "rule": finding.rule,
        "rule_text": finding.rule_text,
        "message": finding.message,
        "funders": list(finding.funders),
    }


def _requirement_out(requirement: Requirement) -> dict[str, Any]:
    return {
        "id": requirement.pk,
        "funder": requirement.funder.slug,
        "kind": requirement.kind,
        "due_month": requirement.due_month,
        "due_day": requirement.due_day,
        "report_format": requirement.report_format,
        "indicator": requirement.indicator,
        "definition": requirement.definition,
        "category": requirement.category.code if requirement.category else None,
        "percent": f"{requirement.percent:.2f}" if requirement.percent is not None else None,
        "note": requirement.note,
    }


def _coherence_out(contract: Contract) -> dict[str, Any]:
    coherence = coherence_check(contract)
    return {
        "contradictions": [_finding_out(finding) for finding in coherence.contradictions],
        "burdens": [_finding_out(finding) for finding in coherence.burdens],
        "calendar": [
            {"due_on": e.due_on, "year": e.year, "funders": list(e.funders), "formats": list(e.formats)}
            for e in coherence.calendar
        ],
        "requirements": [
            _requirement_out(r) for r in contract.requirements.select_related("funder", "category")
        ],
    }


def _percent(value: float | str) -> Decimal:
    """A share sent as a number or a string, as the service takes it — or a 422 naming `percent`."""
    try:
        return money(value, "percent")
    except ValidationError:
        raise invalid(
            {"percent": [_("A share is between 0 and 100 %, with two decimals at most.")]}
        ) from None


def _contract(request: HttpRequest, slug: str, pk: int) -> Contract:
    return contract_get(request.user, territory_get(slug), pk)


@router.get(
    PATH + "coherence",
    response={200: CoherenceOut, **error_responses(401, 404)},
    summary="Check the coherence between a contract's co-funders",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_coherence(request: HttpRequest, slug: str, pk: int):
    """Rules — contradictions: `category_conflict` (a category one funder requires, another
    excludes), `shares_over_total` (minimum shares over 100 %), `share_outside_rule` (a funder's
    share outside its own cap or minimum), `report_dates_clash` (report dates less than a month
    apart), `indicator_definitions` (one indicator, several definitions); duplicate burdens:
    `report_dates_apart`, `report_formats`, `indicator_twice`."""
    return _coherence_out(_contract(request, slug, pk))


@router.post(
    PATH + "requirements",
    auth=SIGNED_IN,
    response={201: RequirementOut, **WRITE_ERRORS},
    summary="Record a co-funder's requirement on a contract (the co-funder's members)",
)
def create_requirement(request: HttpRequest, slug: str, pk: int, payload: RequirementIn):
    contract = _contract(request, slug, pk)
    mine = party_funder_ids(request.user, contract)
    if not mine:
        raise Http404
    funder = Funder.objects.filter(slug=payload.funder, pk__in=mine).first()
    if funder is None:
        raise invalid({"funder": [_("Choose a co-funder of this contract you belong to.")]})
    category = None
    if payload.category is not None:
        category = referential_items("budget_line_category").filter(code=payload.category).first()
        if category is None:
            raise invalid({"category": [_("Choose a budget-line category of the référentiel.")]})
    values = payload.model_dump(exclude={"funder", "category", "percent"})
    percent = None if payload.percent is None else _percent(payload.percent)
    data = RequirementInput(**values | {"kind": str(payload.kind), "category": category, "percent": percent})
    requirement = service_call(
        lambda: requirement_add(actor=request.user, contract=contract, funder=funder, data=data)
    )
    return Status(201, _requirement_out(requirement))


@router.delete(
    PATH + "requirements/{int:requirement}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Remove a co-funder's requirement (the co-funder's members)",
)
def delete_requirement(request: HttpRequest, slug: str, pk: int, requirement: int):
    contract = _contract(request, slug, pk)
    target = contract.requirements.select_related("funder").filter(pk=requirement).first()
    if target is None or target.funder_id not in party_funder_ids(request.user, contract):
        raise Http404
    service_call(lambda: requirement_remove(actor=request.user, requirement=target))
    return Status(204, None)
