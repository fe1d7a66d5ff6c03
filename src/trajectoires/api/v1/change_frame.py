"""A territory's frame for its stories of change: the domains of change the stories are sorted
into, and the reporting periods they are collected over — read by the systemic effects, the
indicators and the evaluation too.

- Anyone reads a territory's domains and periods; the writers (admin, editor) add, change and
  delete them.
- A forbidden write answers exactly like a missing record (404), before any check of the input by
  the services (422). A domain or period a story or round belongs to cannot be deleted (409).
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.stories`.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.evaluation.models import ChangeDomain, ReportingPeriod
from trajectoires.evaluation.stories import (
    domain_delete,
    domain_save,
    period_delete,
    period_save,
    territory_domains,
    territory_periods,
)
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, service_call
from .lookups import writable_territory

# The same tag as the stories, and the operation ids these operations had when they lived there.
router = Router(tags=["stories of change"])
OPERATION = "trajectoires_api_v1_stories_"
DOMAINS = "/{slug:slug}/change-domains/"
PERIODS = "/{slug:slug}/reporting-periods/"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
DELETE_ERRORS = error_responses(401, 403, 404, 409)
LABEL = {"minLength": 1, "maxLength": 120}


# Answers -----------------------------------------------------------------------------------------


class ChangeDomainOut(Schema):
    id: int
    name: str
    description: str


class ReportingPeriodOut(Schema):
    id: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


# Requests ----------------------------------------------------------------------------------------


class ChangeDomainIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(json_schema_extra=LABEL)
    description: str = ""


class ChangeDomainPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, json_schema_extra=LABEL)
    description: str | None = None


class ReportingPeriodIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(json_schema_extra=LABEL)
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="Not before it starts.")


class ReportingPeriodPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, json_schema_extra=LABEL)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


# Serialising -------------------------------------------------------------------------------------


def _domain_out(domain: ChangeDomain) -> dict[str, Any]:
    return {"id": domain.pk, "name": domain.name, "description": domain.description}


def _period_out(period: ReportingPeriod) -> dict[str, Any]:
    return {"id": period.pk, "label": period.label, "starts_on": period.starts_on, "ends_on": period.ends_on}


# Reading the request -----------------------------------------------------------------------------


def _frame_record(request: HttpRequest, slug: str, records, pk: int):
    """A domain or period (`records`: `territory_domains` or `territory_periods`) of a territory the
    caller writes in, with the territory, or a 404."""
    territory = writable_territory(request, slug)
    record = records(territory).filter(pk=pk).first()
    if record is None:
        raise Http404
    return territory, record


# Operations --------------------------------------------------------------------------------------


@router.get(
    DOMAINS,
    operation_id=OPERATION + "list_change_domains",
    response={200: list[ChangeDomainOut], **error_responses(401, 404)},
    summary="List a territory's domains of change",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_change_domains(request: HttpRequest, slug: str):
    return [_domain_out(domain) for domain in territory_domains(territory_get(slug))]


@router.post(
    DOMAINS,
    operation_id=OPERATION + "create_change_domain",
    auth=SIGNED_IN,
    response={201: ChangeDomainOut, **WRITE_ERRORS},
    summary="Add a domain of change (admins, editors)",
)
def create_change_domain(request: HttpRequest, slug: str, payload: ChangeDomainIn):
    territory = writable_territory(request, slug)
    domain = service_call(
        lambda: domain_save(actor=request.user, territory=territory, **payload.model_dump())
    )
    return Status(201, _domain_out(domain))


@router.patch(
    DOMAINS + "{int:pk}",
    operation_id=OPERATION + "update_change_domain",
    auth=SIGNED_IN,
    response={200: ChangeDomainOut, **WRITE_ERRORS},
    summary="Rename or describe a domain of change (admins, editors)",
)
def update_change_domain(request: HttpRequest, slug: str, pk: int, payload: ChangeDomainPatch):
    territory, domain = _frame_record(request, slug, territory_domains, pk)
    values = {"name": domain.name, "description": domain.description}
    values |= {
        key: value for key, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    service_call(lambda: domain_save(actor=request.user, territory=territory, domain=domain, **values))
    return _domain_out(domain)


@router.delete(
    DOMAINS + "{int:pk}",
    operation_id=OPERATION + "delete_change_domain",
    auth=SIGNED_IN,
    response={204: None, **DELETE_ERRORS},
    summary="Delete a domain of change no story or round belongs to (admins, editors)",
)
def delete_change_domain(request: HttpRequest, slug: str, pk: int):
    _territory, domain = _frame_record(request, slug, territory_domains, pk)
    service_call(lambda: domain_delete(actor=request.user, domain=domain), conflict=True)
    return Status(204, None)


@router.get(
    PERIODS,
    operation_id=OPERATION + "list_reporting_periods",
    response={200: list[ReportingPeriodOut], **error_responses(401, 404)},
    summary="List a territory's reporting periods, latest first",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_reporting_periods(request: HttpRequest, slug: str):
    return [_period_out(period) for period in territory_periods(territory_get(slug))]


@router.post(
    PERIODS,
    operation_id=OPERATION + "create_reporting_period",
    auth=SIGNED_IN,
    response={201: ReportingPeriodOut, **WRITE_ERRORS},
    summary="Add a reporting period (admins, editors)",
)
def create_reporting_period(request: HttpRequest, slug: str, payload: ReportingPeriodIn):
    territory = writable_territory(request, slug)
    period = service_call(
        lambda: period_save(actor=request.user, territory=territory, **payload.model_dump())
    )
    return Status(201, _period_out(period))


@router.patch(
    PERIODS + "{int:pk}",
    operation_id=OPERATION + "update_reporting_period",
    auth=SIGNED_IN,
    response={200: ReportingPeriodOut, **WRITE_ERRORS},
    summary="Change a reporting period (admins, editors)",
)
def update_reporting_period(request: HttpRequest, slug: str, pk: int, payload: ReportingPeriodPatch):
    territory, period = _frame_record(request, slug, territory_periods, pk)
    values = {"label": period.label, "starts_on": period.starts_on, "ends_on": period.ends_on}
    values |= {
        key: value for key, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    service_call(lambda: period_save(actor=request.user, territory=territory, period=period, **values))
    return _period_out(period)


@router.delete(
    PERIODS + "{int:pk}",
    operation_id=OPERATION + "delete_reporting_period",
    auth=SIGNED_IN,
    response={204: None, **DELETE_ERRORS},
    summary="Delete a reporting period no story or round belongs to (admins, editors)",
)
def delete_reporting_period(request: HttpRequest, slug: str, pk: int):
    _territory, period = _frame_record(request, slug, territory_periods, pk)
    service_call(lambda: period_delete(actor=request.user, period=period), conflict=True)
    return Status(204, None)
