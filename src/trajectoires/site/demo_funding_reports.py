"""The demo's co-funder requirements — with a contradiction to resolve on Ungersheim's active
contract — and annual reports at every status (demonstration content, see
demo_funding_reports.toml). Written through the services, then dated back; loading twice changes
nothing."""

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.accounts.models import Funder
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import ChangeStory
from trajectoires.funding.coherence import RequirementInput, requirement_add
from trajectoires.funding.models import Contract, ContractReport, ReportReview
from trajectoires.funding.reports import ReportInput, report_open, report_review, report_submit, report_update
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import Celebration, JournalEntry

from .demo_funding import funding_file
from .demo_workspace import PLACES

REPORTS_FILE = Path(__file__).with_name("demo_funding_reports.toml")
SHARED = (Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC)


def _parts() -> tuple[dict[str, Any], dict[str, Funder], dict[str, Any]]:
    spec = tomllib.loads(REPORTS_FILE.read_text(encoding="utf-8"))
    users = get_user_model().objects
    funders = {key: Funder.objects.get(name=f["name"]) for key, f in funding_file()["funders"].items()}
    admins = {key: users.get(email=f["admin"]) for key, f in funding_file()["funders"].items()}
    return spec, funders, admins


def funding_reports_load() -> list[str]:
    spec, funders, admins = _parts()
    created = []
    for row in spec["requirements"]:
        contract = Contract.objects.get(title=row["contract"])
        if contract.requirements.filter(funder=funders[row["funder"]], kind=row["kind"]).exists():
            continue
        requirement_add(
            actor=admins[row["funder"]],
            contract=contract,
            funder=funders[row["funder"]],
            data=_requirement(row),
        )
        created.append(f"requirement {row['kind']} of {row['funder']} on {contract.title}")
    for row in spec["reports"]:
        contract = Contract.objects.get(title=row["contract"])
        if contract.reports.filter(year=row["year"]).exists():
            continue
        _report(contract, row, funders, admins)
        created.append(f"annual report {row['year']} of {contract.title}")
    return created


def _requirement(row: dict[str, Any]) -> RequirementInput:
    month, day = row.get("due", (None, None))
    category = referential_item("budget_line_category", row["category"]) if "category" in row else None
    return RequirementInput(
        kind=row["kind"],
        due_month=month,
        due_day=day,
        report_format=row.get("report_format", ""),
        indicator=row.get("indicator", ""),
        definition=row.get("definition", ""),
        category=category,
        percent=Decimal(row["percent"]) if "percent" in row else None,
        note=row.get("note", ""),
    )


def _writer(contract: Contract):
    place = next(place for place in PLACES if place.territory == contract.territory.name)
    return get_user_model().objects.get(email=place.admin)


def _cited(contract: Contract, year: int) -> dict[str, list]:
    """What the territory shows its co-funders: its shared journal entries, stories of change and
    celebrations (a few of each, those of the year first)."""
    territory = contract.territory

    def pick(model, date_field: str) -> list:
        rows = model.objects.filter(territory=territory, visibility__in=SHARED)
        return list(rows.order_by(f"-{date_field}")[:2])

    return {
        "journal_entries": pick(JournalEntry, "occurred_on"),
        "stories": pick(ChangeStory, "collected_on"),
        "celebrations": pick(Celebration, "achieved_on"),
    }


def _report(
    contract: Contract, row: dict[str, Any], funders: dict[str, Funder], admins: dict[str, Any]
) -> None:
    writer = _writer(contract)
    report = report_open(actor=writer, contract=contract, year=row["year"])
    data = ReportInput(
        narrative=row["narrative"],
        objectives_progress=row.get("objectives_progress", ""),
        budget_comment=row.get("budget_comment", ""),
        **_cited(contract, row["year"]),
    )
    report_update(actor=writer, report=report, data=data)
    if "submitted" not in row:
        return
    report_submit(actor=writer, report=report)
    ContractReport.objects.filter(pk=report.pk).update(submitted_at=_evening(row["submitted"]))
    for review in row["reviews"]:
        made = report_review(
            actor=admins[review["funder"]],
            report=report,
            funder=funders[review["funder"]],
            decision=review["decision"],
            comment=review["comment"],
        )
        ReportReview.objects.filter(pk=made.pk).update(at=_evening(review["on"]))
        report.refresh_from_db()


def _evening(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
