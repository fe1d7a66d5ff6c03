"""A territory's indicators (S4), with the same rights and rules as the pages: each indicator with its
unit and its values — a target and an actual value per reporting period, with a comment. Figures
are read beside the stories of change and the systemic effects, never alone.

- Anyone reads what an indicator's visibility allows, with all its values.
- The writers (admin, editor) define, change and delete indicators, and give their values.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input by the services (422).
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.effects` — values are given in the indicator's unit (`unit`, its code
or its label), a share between 0 and 100 %, distances and volumes never negative; the unit of an
indicator that has values does not change.
"""

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.effects import (
    indicator_delete,
    indicator_save,
    indicator_value_delete,
    indicator_value_save,
    readable_indicators,
)
from trajectoires.evaluation.models import Indicator, IndicatorUnit, IndicatorValue, ReportingPeriod
from trajectoires.evaluation.stories import territory_periods
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, service_call
from .lookups import writable_territory

router = Router(tags=["indicators"])
PATH = "/{slug:slug}/indicators/"
ONE = PATH + "{int:pk}"
VALUE = ONE + "/values/{int:period}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
FIGURE = {"ge": -1e12, "le": 1e12, "allow_inf_nan": False}


# Answers -----------------------------------------------------------------------------------------


class IndicatorValueOut(Schema):
    period: int = Field(description="The id of the reporting period.")
    period_label: str
    target: float | None = Field(description="In the indicator's unit; null when not given.")
    actual: float | None = Field(description="In the indicator's unit; null when not given.")
    comment: str


class IndicatorOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    name: str
    unit: IndicatorUnit
    custom_unit: str = Field(description="The unit's name when `unit` is `custom`; empty otherwise.")
    unit_label: str = Field(description="The unit as written beside the figures.")
    description: str = Field(description="What it measures and how.")
    visibility: Visibility
    values: list[IndicatorValueOut] = Field(description="One per reporting period, oldest first.")


# Requests ----------------------------------------------------------------------------------------


class IndicatorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    unit: IndicatorUnit
    custom_unit: str = Field(
        "", description="Only with the unit `custom`.", json_schema_extra={"maxLength": 40}
    )
    description: str = ""
    visibility: Visibility = Visibility.PRIVATE


class IndicatorPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, json_schema_extra={"minLength": 1, "maxLength": 200})
    unit: IndicatorUnit | None = Field(None, description="Only while the indicator has no values.")
    custom_unit: str | None = Field(None, json_schema_extra={"maxLength": 40})
    description: str | None = None
    visibility: Visibility | None = None


class IndicatorValueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(description="The indicator's unit, its code or its label: the values are given in it.")
    target: float | None = Field(None, description="Null when not given.", **FIGURE)
    actual: float | None = Field(None, description="Null when not given.", **FIGURE)
    comment: str = ""


# Serialising -------------------------------------------------------------------------------------


def _figure(number: Decimal | None) -> float | None:
    return float(number) if number is not None else None


def _value_out(value: IndicatorValue) -> dict[str, Any]:
    return {
        "period": value.period_id,
        "period_label": value.period.label,
        "target": _figure(value.target),
        "actual": _figure(value.actual),
        "comment": value.comment,
    }


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "territory": indicator.territory.slug,
        "name": indicator.name,
        "unit": indicator.unit,
        "custom_unit": indicator.custom_unit,
        "unit_label": indicator.unit_label,
        "description": indicator.description,
        "visibility": indicator.visibility,
        "values": [_value_out(value) for value in indicator.values.all()],
    }


def _read_back(viewer, territory: Territory, pk: int) -> dict[str, Any]:
    return _indicator_out(_readable(viewer, territory, pk))


# Reading the request -----------------------------------------------------------------------------


def _readable(viewer, territory: Territory, pk: int) -> Indicator:
    indicator = readable_indicators(viewer, territory).select_related("territory").filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def _edited(request: HttpRequest, slug: str, pk: int) -> tuple[Territory, Indicator]:
    territory = writable_territory(request, slug)
    return territory, _readable(request.user, territory, pk)


def _period(territory: Territory, pk: int) -> ReportingPeriod:
    period = territory_periods(territory).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if period is None:
        raise Http404
    return period


def _decimal(number: float | None) -> Decimal | None:
    return Decimal(str(number)) if number is not None else None


# Operations --------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: list[IndicatorOut], **error_responses(401, 404)},
    summary="List a territory's indicators with their values",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_indicators(request: HttpRequest, slug: str):
    """The indicators the caller may read, by name, each with its values, oldest period first."""
    territory = territory_get(slug)
    return [
        _indicator_out(indicator)
        for indicator in readable_indicators(request.user, territory).select_related("territory")
    ]


@router.get(
    ONE,
    response={200: IndicatorOut, **error_responses(401, 404)},
    summary="Read an indicator with its values",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_indicator(request: HttpRequest, slug: str, pk: int):
    return _read_back(request.user, territory_get(slug), pk)


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: IndicatorOut, **WRITE_ERRORS},
    summary="Define an indicator (admins, editors)",
)
def create_indicator(request: HttpRequest, slug: str, payload: IndicatorIn):
    territory = writable_territory(request, slug)
    values = payload.model_dump()
    indicator = service_call(lambda: indicator_save(actor=request.user, territory=territory, **values))
    return Status(201, _read_back(request.user, territory, indicator.pk))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: IndicatorOut, **WRITE_ERRORS},
    summary="Change an indicator (admins, editors); its unit only while it has no values",
)
def update_indicator(request: HttpRequest, slug: str, pk: int, payload: IndicatorPatch):
    territory, indicator = _edited(request, slug, pk)
    fields = ("name", "unit", "custom_unit", "description", "visibility")
    sent = {
        name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    values = {field: getattr(indicator, field) for field in fields} | sent
    service_call(
        lambda: indicator_save(actor=request.user, territory=territory, indicator=indicator, **values)
    )
    return _read_back(request.user, territory, indicator.pk)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete an indicator and its values (admins, editors)",
)
def delete_indicator(request: HttpRequest, slug: str, pk: int):
    _territory, indicator = _edited(request, slug, pk)
    service_call(lambda: indicator_delete(actor=request.user, indicator=indicator))
    return Status(204, None)


@router.put(
    VALUE,
    auth=SIGNED_IN,
    response={200: IndicatorValueOut, **WRITE_ERRORS},
    summary="Give an indicator's target and actual value for a reporting period (admins, editors)",
)
def put_indicator_value(request: HttpRequest, slug: str, pk: int, period: int, payload: IndicatorValueIn):
    """Replaces the values the period had. `unit` must be the indicator's: a value given in another
    unit is refused (422 naming `unit`)."""
    territory, indicator = _edited(request, slug, pk)
    chosen = _period(territory, period)
    value = service_call(
        lambda: indicator_value_save(
            actor=request.user,
            indicator=indicator,
            period=chosen,
            unit=payload.unit,
            target=_decimal(payload.target),
            actual=_decimal(payload.actual),
            comment=payload.comment,
        )
    )
    return _value_out(value)


@router.delete(
    VALUE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete an indicator's values for a reporting period (admins, editors)",
)
def delete_indicator_value(request: HttpRequest, slug: str, pk: int, period: int):
    territory, indicator = _edited(request, slug, pk)
    chosen = _period(territory, period)
    value = next((value for value in indicator.values.all() if value.period_id == chosen.pk), None)
    if value is None:
        raise Http404
    service_call(lambda: indicator_value_delete(actor=request.user, value=value))
    return Status(204, None)
