"""Co-funder coherence (F6, C5): each funder records what it requires of a contract; the checker
finds where those requirements contradict each other or pile up on the territory, names the rule
that found it, and merges the reporting calendars into one.

Rules — contradictions:
- `category_conflict`: a budget-line category one funder requires and another excludes;
- `shares_over_total`: the minimum shares the funders require sum to more than 100 %;
- `share_outside_rule`: a funder's share of the contract is above its own cap or below its minimum;
- `report_dates_clash`: two funders want the annual report on different dates less than 31 days apart;
- `indicator_definitions`: the same indicator asked under different definitions.
Duplicate burdens:
- `report_dates_apart`: the annual report asked on dates further apart (two deliveries a year);
- `report_formats`: the report asked in different formats;
- `indicator_twice`: the same indicator, same definition, asked by several funders (give it once).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.accounts.models import Funder
from trajectoires.referential.models import Item

from .contracts import audit
from .models import BUDGET_LINE_GRID, Contract, ReportFormat, Requirement, RequirementKind
from .models import ContractStatus as S
from .money import percent_text
from .permissions import is_funder_member

K = RequirementKind
CLASH_DAYS = 31
CONTRADICTION, BURDEN = "contradiction", "burden"

RULES = {
    "category_conflict": gettext_lazy("A budget-line category one funder requires, another excludes."),
    "shares_over_total": gettext_lazy("The minimum shares the funders require sum to more than 100 %."),
    "share_outside_rule": gettext_lazy("A funder’s share is outside its own cap or minimum."),
    "report_dates_clash": gettext_lazy(
        "The annual report is due on different dates less than a month apart."
    ),
    "indicator_definitions": gettext_lazy("The same indicator is asked under different definitions."),
    "report_dates_apart": gettext_lazy("The annual report is asked on several dates in the year."),
    "report_formats": gettext_lazy("The annual report is asked in several formats."),
    "indicator_twice": gettext_lazy("The same indicator is asked by several funders."),
}


@dataclass(frozen=True)
class Finding:
    severity: str  # contradiction or burden
    rule: str  # a key of RULES
    message: str
    funders: tuple[str, ...]

    @property
    def rule_text(self) -> str:
        return str(RULES[self.rule])


@dataclass(frozen=True)
class CalendarEntry:
    due_on: datetime.date
    year: int  # the year reported on
    funders: tuple[str, ...]
    formats: tuple[str, ...]


@dataclass
class Coherence:
    findings: list[Finding] = field(default_factory=list)
    calendar: list[CalendarEntry] = field(default_factory=list)

    @property
    def contradictions(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == CONTRADICTION]

    @property
    def burdens(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == BURDEN]


# Writes ------------------------------------------------------------------------------------------


@dataclass
class RequirementInput:
    kind: str
    due_month: int | None = None
    due_day: int | None = None
    report_format: str = ""
    indicator: str = ""
    definition: str = ""
    category: Item | None = None
    percent: Decimal | None = None
    note: str = ""


def _check(data: RequirementInput) -> None:
    errors: dict[str, str] = {}
    if data.kind not in K.values:
        raise ValidationError({"kind": _("Choose a kind of requirement.")})
    if data.kind == K.REPORT:
        try:
            datetime.date(2027, data.due_month or 0, data.due_day or 0)
        except (TypeError, ValueError):
            errors["due_day"] = _("Give the day and month the report is due.")
        if data.report_format not in ReportFormat.values:
            errors["report_format"] = _("Choose the format of the report.")
    if data.kind == K.INDICATOR:
        if not data.indicator.strip():
            errors["indicator"] = _("Give the indicator’s code.")
        if not data.definition.strip():
            errors["definition"] = _("Give the indicator’s definition.")
    if data.kind in (K.CATEGORY_REQUIRED, K.CATEGORY_EXCLUDED) and (
        data.category is None or data.category.grid.code != BUDGET_LINE_GRID
    ):
        errors["category"] = _("Choose a budget-line category of the référentiel.")
    if data.kind in (K.MIN_SHARE, K.MAX_SHARE) and not (
        data.percent is not None and Decimal(0) <= data.percent <= Decimal(100)
    ):
        errors["percent"] = _("A share is between 0 and 100 %.")
    if errors:
        raise ValidationError(errors)


def requirement_add(*, actor: Any, contract: Contract, funder: Funder, data: RequirementInput) -> Requirement:
    """A co-funder records one of its requirements (its members, until the contract closes)."""
    if not is_funder_member(actor, funder) or not contract.parties.filter(funder=funder).exists():
        raise PermissionDenied
    if contract.status == S.CLOSED:
        raise ValidationError({"kind": _("This contract is closed.")})
    _check(data)
    fields = {
        "due_month": data.due_month if data.kind == K.REPORT else None,
        "due_day": data.due_day if data.kind == K.REPORT else None,
        "report_format": data.report_format if data.kind == K.REPORT else "",
        "indicator": data.indicator.strip().lower() if data.kind == K.INDICATOR else "",
        "definition": data.definition.strip() if data.kind == K.INDICATOR else "",
        "category": data.category if data.kind in (K.CATEGORY_REQUIRED, K.CATEGORY_EXCLUDED) else None,
        "percent": data.percent if data.kind in (K.MIN_SHARE, K.MAX_SHARE) else None,
    }
    with transaction.atomic():
        requirement = Requirement.objects.create(
            contract=contract, funder=funder, kind=data.kind, note=data.note.strip(), **fields
        )
        changes = {"kind": [None, data.kind], "funder": [None, funder.slug]} | {
            key: [None, getattr(value, "code", str(value))]
            for key, value in fields.items()
            if value not in (None, "")
        }
        audit(actor, "contract.requirement_add", requirement, contract, changes)
    return requirement


def requirement_remove(*, actor: Any, requirement: Requirement) -> None:
    if not is_funder_member(actor, requirement.funder):
        raise PermissionDenied
    contract = requirement.contract
    with transaction.atomic():
        audit(actor, "contract.requirement_remove", requirement, contract, {"kind": [requirement.kind, None]})
        requirement.delete()


# The checker ----------------------------------------------------------------------------------------


def _names(requirements) -> tuple[str, ...]:
    return tuple(sorted({requirement.funder.name for requirement in requirements}))


def _categories(requirements: list[Requirement]) -> list[Finding]:
    findings = []
    required = [r for r in requirements if r.kind == K.CATEGORY_REQUIRED]
    excluded = [r for r in requirements if r.kind == K.CATEGORY_EXCLUDED]
    for wants in required:
        for refuses in excluded:
            if wants.category.code == refuses.category.code and wants.funder_id != refuses.funder_id:
                message = _("%(wants)s requires “%(category)s”, which %(refuses)s excludes.") % {
                    "wants": wants.funder.name,
                    "category": wants.category.label,
                    "refuses": refuses.funder.name,
                }
                findings.append(
                    Finding(CONTRADICTION, "category_conflict", message, _names([wants, refuses]))
                )
    return findings


def _shares(contract: Contract, requirements: list[Requirement]) -> list[Finding]:
    findings = []
    minimums = [r for r in requirements if r.kind == K.MIN_SHARE]
    if minimums and (total := sum((r.percent for r in minimums), Decimal(0))) > 100:
        message = _("The minimum shares required sum to %(total)s %%.") % {"total": percent_text(total)}
        findings.append(Finding(CONTRADICTION, "shares_over_total", message, _names(minimums)))
    shares = {party.funder_id: party.share_of(contract.total_amount) for party in contract.parties.all()}
    for rule in (r for r in requirements if r.kind in (K.MIN_SHARE, K.MAX_SHARE) and r.funder_id in shares):
        share = shares[rule.funder_id]
        outside = share > rule.percent if rule.kind == K.MAX_SHARE else share < rule.percent
        if outside:
            message = _(
                "%(funder)s holds %(share)s %% of the contract; its rule says %(kind)s %(percent)s %%."
            ) % {
                "funder": rule.funder.name,
                "share": percent_text(share),
                "kind": _("at most") if rule.kind == K.MAX_SHARE else _("at least"),
                "percent": percent_text(rule.percent),
            }
            findings.append(Finding(CONTRADICTION, "share_outside_rule", message, (rule.funder.name,)))
    return findings


def _due(requirement: Requirement, year: int) -> datetime.date:
    """The report on `year` is due the following year on the funder's day."""
    return datetime.date(year + 1, requirement.due_month, requirement.due_day)


def _reports(requirements: list[Requirement]) -> list[Finding]:
    findings = []
    reports = [r for r in requirements if r.kind == K.REPORT]
    for first, second in combinations(reports, 2):
        if first.funder_id == second.funder_id:
            continue
        days = abs((_due(first, 2027) - _due(second, 2027)).days)
        if days == 0:
            continue
        rule = "report_dates_clash" if days < CLASH_DAYS else "report_dates_apart"
        message = _("%(first)s wants the report by %(first_date)s, %(second)s by %(second_date)s.") % {
            "first": first.funder.name,
            "first_date": _day_month(first),
            "second": second.funder.name,
            "second_date": _day_month(second),
        }
        findings.append(
            Finding(CONTRADICTION if days < CLASH_DAYS else BURDEN, rule, message, _names([first, second]))
        )
    if len(formats := {r.report_format for r in reports}) > 1:
        message = _("The report is asked as: %(formats)s.") % {
            "formats": ", ".join(sorted(str(ReportFormat(value).label) for value in formats))
        }
        findings.append(Finding(BURDEN, "report_formats", message, _names(reports)))
    return findings


def _day_month(requirement: Requirement) -> str:
    return f"{requirement.due_day:02d}/{requirement.due_month:02d}"


def _indicators(requirements: list[Requirement]) -> list[Finding]:
    findings = []
    by_code: dict[str, list[Requirement]] = {}
    for requirement in (r for r in requirements if r.kind == K.INDICATOR):
        by_code.setdefault(requirement.indicator, []).append(requirement)
    for code, asked in sorted(by_code.items()):
        if len({r.funder_id for r in asked}) < 2:
            continue
        definitions = {" ".join(r.definition.lower().split()) for r in asked}
        if len(definitions) > 1:
            message = _("“%(code)s” is defined differently by %(funders)s.") % {
                "code": code,
                "funders": ", ".join(_names(asked)),
            }
            findings.append(Finding(CONTRADICTION, "indicator_definitions", message, _names(asked)))
        else:
            message = _("“%(code)s” is asked by %(funders)s: give it once in the shared report.") % {
                "code": code,
                "funders": ", ".join(_names(asked)),
            }
            findings.append(Finding(BURDEN, "indicator_twice", message, _names(asked)))
    return findings


def _calendar(contract: Contract, requirements: list[Requirement]) -> list[CalendarEntry]:
    """Every report due over the contract, one entry per date, whoever asks for it."""
    by_date: dict[tuple[datetime.date, int], list[Requirement]] = {}
    for requirement in (r for r in requirements if r.kind == K.REPORT):
        for year in contract.years:
            by_date.setdefault((_due(requirement, year), year), []).append(requirement)
    return [
        CalendarEntry(
            due_on,
            year,
            _names(asked),
            tuple(sorted({str(ReportFormat(r.report_format).label) for r in asked})),
        )
        for (due_on, year), asked in sorted(by_date.items())
    ]


def coherence_check(contract: Contract) -> Coherence:
    """The findings on the contract's requirements, contradictions first, and the merged calendar —
    two queries whatever the number of requirements."""
    requirements = list(contract.requirements.select_related("funder", "category"))
    findings = (
        _categories(requirements)
        + _shares(contract, requirements)
        + _reports(requirements)
        + _indicators(requirements)
    )
    findings.sort(key=lambda finding: (finding.severity != CONTRADICTION, finding.rule, finding.message))
    return Coherence(findings, _calendar(contract, requirements))
