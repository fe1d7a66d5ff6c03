"""One report, all funders (F8): the territory writes one annual report per contract and year —
qualitative first — and submits it once; every co-funder receives it, comments, and accepts it or
asks for changes.

Rules:
- the territory's writers open a report for a year of a signed contract, write it and submit it;
  what it cites (stories, effects, journal entries, celebrations, indicators) is the territory's own
  and readable by partners or wider: the co-funders read the report, never a private record through it;
- a submission needs the territory's own words and at least one qualitative element; a report is
  changed only while being written or after changes were asked, then submitted again;
- each co-funder's members review the submission in front of them: a comment, an acceptance, or a
  request for changes (which says what to change); the report is accepted when every co-funder
  accepted the same submission;
- a report reads by the territory's members and the co-funders' members, no one else;
- a year's report is due on the earliest date the co-funders set for it (see the coherence
  calendar), by default on 31 March of the next year; it is late past that day until submitted.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import ChangeStory, EffectAssessment, Indicator
from trajectoires.steering.models import Celebration, JournalEntry

from .contracts import audit
from .models import Contract, ContractReport, ReportReview, Requirement, RequirementKind, ReviewDecision
from .models import ContractReportStatus as R
from .models import ContractStatus as S
from .permissions import is_funder_member, is_territory_writer, party_funder_ids, territory_role

REPORTABLE = (S.SIGNED, S.ACTIVE, S.REVIEWED, S.CLOSED)
SHAREABLE = (Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC)
DEFAULT_DUE = (3, 31)  # 31 March of the year after the one reported on
CITED = ("stories", "effects", "journal_entries", "celebrations", "indicators")


def can_read_reports(viewer, contract: Contract) -> bool:
    return territory_role(viewer, contract) is not None or bool(party_funder_ids(viewer, contract))


def report_get(viewer, contract: Contract, year: int) -> ContractReport:
    report = contract.reports.filter(year=year).first()
    if report is None or not can_read_reports(viewer, contract):
        raise Http404
    return report


@dataclass
class ReportInput:
    narrative: str = ""
    objectives_progress: str = ""
    budget_comment: str = ""
    stories: list[ChangeStory] = field(default_factory=list)
    effects: list[EffectAssessment] = field(default_factory=list)
    journal_entries: list[JournalEntry] = field(default_factory=list)
    celebrations: list[Celebration] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def _require_writer(actor: Any, contract: Contract) -> None:
    if not is_territory_writer(actor, contract):
        raise PermissionDenied


def report_open(*, actor: Any, contract: Contract, year: int) -> ContractReport:
    _require_writer(actor, contract)
    if contract.status not in REPORTABLE:
        raise ValidationError({"year": _("Reports are written once the contract is signed.")})
    if year not in contract.years:
        raise ValidationError(
            {
                "year": _("Choose a year of the contract, from %(first)s to %(last)s.")
                % {"first": contract.start_year, "last": contract.end_year}
            }
        )
    if contract.reports.filter(year=year).exists():
        raise ValidationError({"year": _("The report on %(year)s is already open.") % {"year": year}})
    with transaction.atomic():
        report = ContractReport.objects.create(contract=contract, year=year)
        audit(actor, "contract.report_open", report, contract, {"year": [None, year]})
    return report


def _check_cited(contract: Contract, data: ReportInput) -> None:
    errors = {}
    for name in CITED:
        records: Iterable = getattr(data, name)
        if any(r.territory_id != contract.territory_id or r.visibility not in SHAREABLE for r in records):
            errors[name] = _(
                "Cite records of this territory that its partners may read (partners, alliance or public)."
            )
    if errors:
        raise ValidationError(errors)


def _snapshot(report: ContractReport) -> dict[str, Any]:
    texts = {name: getattr(report, name) for name in ("narrative", "objectives_progress", "budget_comment")}
    return texts | {name: sorted(getattr(report, name).values_list("pk", flat=True)) for name in CITED}


def report_update(*, actor: Any, report: ContractReport, data: ReportInput) -> ContractReport:
    contract = report.contract
    _require_writer(actor, contract)
    if report.status not in (R.DRAFT, R.CHANGES):
        raise ValidationError(
            {"narrative": _("A submitted report changes only when a co-funder asks for changes.")}
        )
    _check_cited(contract, data)
    with transaction.atomic():
        before = _snapshot(report)
        report.narrative = data.narrative.strip()
        report.objectives_progress = data.objectives_progress.strip()
        report.budget_comment = data.budget_comment.strip()
        report.save()
        for name in CITED:
            getattr(report, name).set(getattr(data, name))
        after = _snapshot(report)
        changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        audit(actor, "contract.report_update", report, contract, changes)
    return report


def report_submit(*, actor: Any, report: ContractReport) -> ContractReport:
    """Submit once, for every co-funder."""
    contract = report.contract
    _require_writer(actor, contract)
    if report.status not in (R.DRAFT, R.CHANGES):
        raise ValidationError({"status": _("This report is already submitted.")})
    errors = {}
    if not report.narrative:
        errors["narrative"] = _("Tell first, in your own words, what changed this year.")
    if not any(
        getattr(report, name).exists() for name in ("stories", "effects", "journal_entries", "celebrations")
    ):
        errors["stories"] = _(
            "Cite at least one story, effect, journal entry or celebration: the report is qualitative first."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = report.status
        report.status, report.submission = R.SUBMITTED, report.submission + 1
        report.submitted_at, report.submitted_by = timezone.now(), actor
        report.save()
        audit(
            actor,
            "contract.report_submit",
            report,
            contract,
            {"status": [before, R.SUBMITTED], "submission": [report.submission - 1, report.submission]},
        )
    return report


def report_review(
    *, actor: Any, report: ContractReport, funder: Funder, decision: str, comment: str
) -> ReportReview:
    """A co-funder's members read the submission: comment, accept, or ask for changes."""
    contract = report.contract
    if funder.pk not in party_funder_ids(actor, contract) or not is_funder_member(actor, funder):
        raise PermissionDenied
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose: comment, accept, or ask for changes.")})
    comment = comment.strip()
    if report.status not in (R.SUBMITTED, R.ACCEPTED) or (
        decision != ReviewDecision.COMMENT and report.status != R.SUBMITTED
    ):
        raise ValidationError(
            {
                "decision": _(
                    "Only a submitted report waiting for the co-funders can be accepted or sent back."
                )
            }
        )
    if (
        decision != ReviewDecision.COMMENT
        and report.reviews.filter(funder=funder, submission=report.submission)
        .exclude(decision=ReviewDecision.COMMENT)
        .exists()
    ):
        raise ValidationError(
            {"decision": _("%(funder)s has already decided on this submission.") % {"funder": funder.name}}
        )
    if decision != ReviewDecision.ACCEPT and not comment:
        raise ValidationError({"comment": _("Write the comment: what the territory should read, or change.")})
    with transaction.atomic():
        review = ReportReview.objects.create(
            report=report,
            funder=funder,
            submission=report.submission,
            decision=decision,
            comment=comment,
            author=actor,
        )
        audit(
            actor,
            "contract.report_review",
            review,
            contract,
            {
                "funder": [None, funder.slug],
                "decision": [None, decision],
                "submission": [None, report.submission],
            },
        )
        status = report.status
        if decision == ReviewDecision.CHANGES:
            status = R.CHANGES
        elif decision == ReviewDecision.ACCEPT:
            accepted = set(
                report.reviews.filter(
                    submission=report.submission, decision=ReviewDecision.ACCEPT
                ).values_list("funder_id", flat=True)
            )
            if accepted >= set(contract.parties.values_list("funder_id", flat=True)):
                status = R.ACCEPTED
        if status != report.status:
            audit(actor, "contract.report_status", report, contract, {"status": [report.status, status]})
            report.status = status
            report.save(update_fields=["status"])
    return review


# Due, late and done ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    contract: Contract
    year: int
    due_on: datetime.date
    report: ContractReport | None
    state: str  # "due", "late" or "done"


def _earliest_due(contracts) -> dict[int, tuple[int, int]]:
    """(month, day) of the earliest report date the co-funders set, by contract (`contracts`: ids or
    a queryset of them)."""
    earliest: dict[int, tuple[int, int]] = {}
    rows = Requirement.objects.filter(contract_id__in=contracts, kind=RequirementKind.REPORT)
    for contract_id, month, day in rows.values_list("contract_id", "due_month", "due_day"):
        earliest[contract_id] = min(earliest.get(contract_id, (13, 32)), (month, day))
    return earliest


def _state(report_status: str | None, due_on: datetime.date, today: datetime.date) -> str:
    if report_status in (R.SUBMITTED, R.ACCEPTED):
        return "done"
    return "late" if due_on < today else "due"


def report_schedule(contracts: Iterable[Contract], today: datetime.date | None = None) -> list[ReportDue]:
    """For each signed contract, the report of every year already begun: due, late or done (submitted
    or accepted) — two queries whatever the number of contracts."""
    contracts = [c for c in contracts if c.status in REPORTABLE]
    today = today or timezone.localdate()
    ids = [contract.pk for contract in contracts]
    earliest = _earliest_due(ids)
    reports = {(r.contract_id, r.year): r for r in ContractReport.objects.filter(contract_id__in=ids)}
    rows = []
    for contract in contracts:
        month, day = earliest.get(contract.pk, DEFAULT_DUE)
        for year in contract.years:
            if year > today.year:
                break
            report = reports.get((contract.pk, year))
            due_on = datetime.date(year + 1, month, day)
            rows.append(
                ReportDue(contract, year, due_on, report, _state(report and report.status, due_on, today))
            )
    return sorted(rows, key=lambda row: (row.due_on, row.contract.title))


def late_count(contracts, today: datetime.date | None = None) -> int:
    """How many reports are late over `contracts` (a queryset) — the figure alone, from three
    queries of plain values, for thousands of contracts."""
    today = today or timezone.localdate()
    signed = contracts.filter(status__in=REPORTABLE)
    earliest = _earliest_due(signed.values("pk"))
    reports = ContractReport.objects.filter(contract__in=signed.values("pk"))
    statuses = {
        (pk, year): status for pk, year, status in reports.values_list("contract_id", "year", "status")
    }
    late = 0
    for pk, first, last in signed.values_list("pk", "start_year", "end_year"):
        month, day = earliest.get(pk, DEFAULT_DUE)
        for year in range(first, min(last, today.year) + 1):
            late += _state(statuses.get((pk, year)), datetime.date(year + 1, month, day), today) == "late"
    return late
