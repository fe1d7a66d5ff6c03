"""One report, all funders: a contract's annual reports — opened, written and submitted once by the
territory's writers, read and reviewed by every co-funder — and the reports due, late and done for
a territory and for a funder. Reports read by the territory's members and the co-funders' members
only; anyone else gets the 404 of a missing report, as for a contract of another territory.
"""

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.accounts.models import Funder
from trajectoires.evaluation.models import ChangeStory, EffectAssessment, Indicator
from trajectoires.funding.models import Contract, ContractReport, ReviewDecision
from trajectoires.funding.permissions import party_funder_ids
from trajectoires.funding.reports import (
    ReportDue,
    ReportInput,
    can_read_reports,
    report_get,
    report_open,
    report_review,
    report_schedule,
    report_submit,
    report_update,
)
from trajectoires.funding.selectors import contract_get, funder_contracts, territory_contracts
from trajectoires.steering.models import Celebration, JournalEntry
from trajectoires.territories.selectors import territory_get
from trajectoires.territories.team_selectors import funder_get

from .auth import SIGNED_IN
from .errors import error_responses, invalid, service_call
from .lookups import records_or_invalid

router = Router(tags=["engagement contracts"])
funders_router = Router(tags=["engagement contracts"])
PATH = "/{slug:slug}/contracts/{int:pk}/reports"
ONE = PATH + "/{int:year}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
CITED = {
    "stories": ChangeStory,
    "effects": EffectAssessment,
    "journal_entries": JournalEntry,
    "celebrations": Celebration,
    "indicators": Indicator,
}


class ReviewOut(Schema):
    funder: str
    submission: int
    decision: str
    comment: str
    at: datetime.datetime


class ReportOut(Schema):
    contract: int
    year: int
    status: str
    submission: int
    submitted_at: datetime.datetime | None
    narrative: str
    stories: list[int]
    effects: list[int]
    journal_entries: list[int]
    celebrations: list[int]
    objectives_progress: str
    budget_comment: str
    indicators: list[int]
    reviews: list[ReviewOut]


class ReportDueOut(Schema):
    contract: int
    territory: str
    title: str
    year: int
    due_on: datetime.date
    state: Literal["due", "late", "done"]
    status: str | None = Field(description="The report's status, null when it is not opened yet.")


class ReportOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1900, le=2200)


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    narrative: str = ""
    objectives_progress: str = ""
    budget_comment: str = ""
    stories: list[int] = []
    effects: list[int] = []
    journal_entries: list[int] = []
    celebrations: list[int] = []
    indicators: list[int] = []


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    funder: str = Field(description="The short name of the co-funder you review for.")
    decision: ReviewDecision
    comment: str = ""


def _report_out(report: ContractReport) -> dict[str, Any]:
    return {
        "contract": report.contract_id,
        "year": report.year,
        "status": report.status,
        "submission": report.submission,
        "submitted_at": report.submitted_at,
        "narrative": report.narrative,
        "objectives_progress": report.objectives_progress,
        "budget_comment": report.budget_comment,
        **{name: sorted(getattr(report, name).values_list("pk", flat=True)) for name in CITED},
        "reviews": [
            {
                "funder": r.funder.slug,
                "submission": r.submission,
                "decision": r.decision,
                "comment": r.comment,
                "at": r.at,
            }
            for r in report.reviews.select_related("funder").order_by("at", "id")
        ],
    }


def _due_out(row: ReportDue) -> dict[str, Any]:
    return {
        "contract": row.contract.pk,
        "territory": row.contract.territory.slug,
        "title": row.contract.title,
        "year": row.year,
        "due_on": row.due_on,
        "state": row.state,
        "status": row.report.status if row.report else None,
    }


def _contract(request: HttpRequest, slug: str, pk: int) -> Contract:
    contract = contract_get(request.user, territory_get(slug), pk)
    if not can_read_reports(request.user, contract):
        raise Http404
    return contract


@router.get(
    "/{slug:slug}/contracts/reports",
    auth=SIGNED_IN,
    response={200: list[ReportDueOut], **error_responses(401, 404)},
    summary="List a territory's annual reports due, late and done",
)
def list_territory_reports(request: HttpRequest, slug: str):
    contracts = [
        c for c in territory_contracts(request.user, territory_get(slug)) if can_read_reports(request.user, c)
    ]
    return [_due_out(row) for row in report_schedule(contracts)]


@funders_router.get(
    "/{slug:slug}/reports",
    auth=SIGNED_IN,
    response={200: list[ReportDueOut], **error_responses(401, 404)},
    summary="List the annual reports due, late and done on a funder's contracts",
)
def list_funder_reports(request: HttpRequest, slug: str):
    contracts = [
        c for c in funder_contracts(request.user, funder_get(slug)) if can_read_reports(request.user, c)
    ]
    return [_due_out(row) for row in report_schedule(contracts)]


@router.get(
    ONE,
    auth=SIGNED_IN,
    response={200: ReportOut, **error_responses(401, 404)},
    summary="Read an annual report",
)
def read_report(request: HttpRequest, slug: str, pk: int, year: int):
    return _report_out(report_get(request.user, _contract(request, slug, pk), year))


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: ReportOut, **WRITE_ERRORS},
    summary="Open the annual report on a year (writers)",
)
def open_report(request: HttpRequest, slug: str, pk: int, payload: ReportOpenIn):
    contract = _contract(request, slug, pk)
    report = service_call(lambda: report_open(actor=request.user, contract=contract, year=payload.year))
    return Status(201, _report_out(report))


@router.put(
    ONE, auth=SIGNED_IN, response={200: ReportOut, **WRITE_ERRORS}, summary="Write an annual report (writers)"
)
def write_report(request: HttpRequest, slug: str, pk: int, year: int, payload: ReportIn):
    """The whole report: the territory's words and the ids of what it cites — its own records that
    partners may read."""
    contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    sent = payload.model_dump()
    cited = {
        name: records_or_invalid(model, name, sent[name], _("Choose records of this territory."))
        for name, model in CITED.items()
    }
    data = ReportInput(
        narrative=payload.narrative,
        objectives_progress=payload.objectives_progress,
        budget_comment=payload.budget_comment,
        **cited,
    )
    service_call(lambda: report_update(actor=request.user, report=report, data=data))
    return _report_out(report)


@router.post(
    ONE + "/submit",
    auth=SIGNED_IN,
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Submit an annual report to every co-funder (writers)",
)
def submit_report(request: HttpRequest, slug: str, pk: int, year: int):
    report = report_get(request.user, _contract(request, slug, pk), year)
    service_call(lambda: report_submit(actor=request.user, report=report))
    return _report_out(report)


@router.post(
    ONE + "/reviews",
    auth=SIGNED_IN,
    response={201: ReportOut, **WRITE_ERRORS},
    summary="Comment, accept or send back an annual report (a co-funder's members)",
)
def review_report(request: HttpRequest, slug: str, pk: int, year: int, payload: ReviewIn):
    contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    mine = party_funder_ids(request.user, contract)
    if not mine:
        raise Http404
    funder = Funder.objects.filter(slug=payload.funder, pk__in=mine).first()
    if funder is None:
        raise invalid({"funder": [_("Choose a co-funder of this contract you belong to.")]})
    decision = str(payload.decision)
    service_call(
        lambda: report_review(
            actor=request.user, report=report, funder=funder, decision=decision, comment=payload.comment
        )
    )
    report.refresh_from_db()
    return Status(201, _report_out(report))
