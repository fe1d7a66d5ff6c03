"""Tranches, typed budget lines and the conditions precedent that lock them (F2–F9).

- A tranche is one co-funder's payment for one year of the contract. It is planned on a draft,
  committed by its funder once the contract is signed, and paid once committed — never while its
  condition is unmet: the refusal names what unlocks it.
- A budget line is typed by a category of the référentiel, planned for one year and paid by one
  co-funder; that funder's programme must fund the category. A category the programme keeps for
  after the diagnostic sensible gets that condition on its own. The territory's writers record what
  is spent while the contract runs; nothing is spent on a locked line.
- A condition is met when the territory has a finished diagnostic sensible shared with the funder,
  a partnership with it, or has delivered (submitted) the contract's annual report on a given year.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.core.audit import changed_fields
from trajectoires.evaluation.models import DiagnosticShare, DiagnosticStatus
from trajectoires.referential.models import Item
from trajectoires.territories.models import TerritoryPartnership

from .contracts import audit, require_status
from .models import (
    BUDGET_LINE_GRID,
    BudgetLine,
    Condition,
    ConditionKind,
    Contract,
    ContractParty,
    ContractReport,
    ContractReportStatus,
    Tranche,
)
from .models import ContractStatus as S
from .money import money
from .permissions import can_follow, can_prepare, is_funder_member
from .programmes import category_allowed, needs_diagnostic

RUNNING = (S.ACTIVE, S.REVIEWED)


# Conditions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionState:
    condition: Condition
    met: bool

    @property
    def unlock(self) -> str:
        """What the territory does to meet the condition."""
        funder = self.condition.funder.name
        if self.condition.kind == ConditionKind.DIAGNOSTIC:
            return _("Complete the diagnostic sensible and share it with %(funder)s.") % {"funder": funder}
        if self.condition.kind == ConditionKind.REPORT:
            return _("Submit the annual report on %(year)s to the co-funders.") % {
                "year": self.condition.report_year
            }
        return _("Sign a partnership with %(funder)s.") % {"funder": funder}


def condition_states(contract: Contract) -> dict[int, ConditionState]:
    """Every condition of the contract, met or not — two queries whatever their number."""
    conditions = list(contract.conditions.all())
    funder_ids = {condition.funder_id for condition in conditions}
    shared = set(
        DiagnosticShare.objects.filter(
            diagnostic__territory_id=contract.territory_id,
            diagnostic__status__in=[DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED],
            funder_id__in=funder_ids,
        ).values_list("funder_id", flat=True)
    )
    partners = set(
        TerritoryPartnership.objects.filter(
            territory_id=contract.territory_id, funder_id__in=funder_ids
        ).values_list("funder_id", flat=True)
    )
    delivered = (
        set(
            ContractReport.objects.filter(
                contract_id=contract.pk,
                status__in=[ContractReportStatus.SUBMITTED, ContractReportStatus.ACCEPTED],
            ).values_list("year", flat=True)
        )
        if any(condition.kind == ConditionKind.REPORT for condition in conditions)
        else set()
    )

    def met(condition: Condition) -> bool:
        if condition.kind == ConditionKind.REPORT:
            return condition.report_year in delivered
        return condition.funder_id in (shared if condition.kind == ConditionKind.DIAGNOSTIC else partners)

    return {condition.pk: ConditionState(condition, met(condition)) for condition in conditions}


def is_locked(contract: Contract, condition: Condition | None) -> bool:
    return condition is not None and not condition_states(contract)[condition.pk].met


def condition_add(
    *, actor: Any, contract: Contract, kind: str, funder: Funder, report_year: int | None = None
) -> Condition:
    """A condition on a draft; a report condition names the year whose report must be delivered."""
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    if kind not in ConditionKind.values:
        raise ValidationError({"kind": _("Choose a kind of condition.")})
    if kind != ConditionKind.REPORT:
        report_year = None
    elif report_year not in contract.years:
        raise ValidationError(
            {
                "report_year": _("Choose the year of a report of the contract, from %(first)s to %(last)s.")
                % {"first": contract.start_year, "last": contract.end_year}
            }
        )
    condition, created = Condition.objects.get_or_create(
        contract=contract, kind=kind, funder=funder, report_year=report_year
    )
    if created:
        changes = {"kind": [None, kind], "funder": [None, funder.slug]}
        if report_year is not None:
            changes["report_year"] = [None, report_year]
        audit(actor, "contract.condition_add", condition, contract, changes)
    return condition


def condition_remove(*, actor: Any, condition: Condition) -> None:
    contract = condition.contract
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    if condition.lines.exists():
        raise ValidationError(
            {
                "condition": _(
                    "A budget line of a category the programme keeps after the diagnostic "
                    "needs this condition."
                )
            }
        )
    with transaction.atomic():
        audit(actor, "contract.condition_remove", condition, contract, {"kind": [condition.kind, None]})
        condition.tranches.update(condition=None)
        condition.delete()


def _condition_of(contract: Contract, condition: Condition | None) -> Condition | None:
    if condition is not None and condition.contract_id != contract.pk:
        raise ValidationError({"condition": _("Choose a condition of this contract.")})
    return condition


# Tranches ---------------------------------------------------------------------------------------


def _check_year(contract: Contract, year: int) -> None:
    if year not in contract.years:
        raise ValidationError(
            {
                "year": _("Choose a year of the contract, from %(first)s to %(last)s.")
                % {"first": contract.start_year, "last": contract.end_year}
            }
        )


def _tranche_snapshot(tranche: Tranche) -> dict[str, Any]:
    return {
        "funder": tranche.party.funder.slug,
        "year": tranche.year,
        "amount": str(tranche.amount),
        "condition": tranche.condition_id,
    }


def tranche_save(
    *,
    actor: Any,
    party: ContractParty,
    year: int,
    amount: Decimal,
    condition: Condition | None = None,
    tranche: Tranche | None = None,
) -> Tranche:
    """Plan (or re-plan) a co-funder's tranche for one year of a draft."""
    contract = party.contract
    if not (can_prepare(actor, contract) or is_funder_member(actor, party.funder)):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    _check_year(contract, year)
    amount = money(amount, "amount")
    condition = _condition_of(contract, condition)
    clash = Tranche.objects.filter(party=party, year=year).exclude(pk=tranche.pk if tranche else None)
    if clash.exists():
        raise ValidationError(
            {
                "year": _("%(funder)s already has a tranche in %(year)s.")
                % {"funder": party.funder.name, "year": year}
            }
        )
    with transaction.atomic():
        before = _tranche_snapshot(tranche) if tranche else {}
        tranche = tranche or Tranche(contract=contract)
        tranche.party, tranche.year, tranche.amount, tranche.condition = party, year, amount, condition
        tranche.save()
        action = "contract.tranche_update" if before else "contract.tranche_create"
        audit(actor, action, tranche, contract, changed_fields(before, _tranche_snapshot(tranche)))
    return tranche


def tranche_delete(*, actor: Any, tranche: Tranche) -> None:
    contract = tranche.contract
    if not (can_prepare(actor, contract) or is_funder_member(actor, tranche.party.funder)):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    with transaction.atomic():
        audit(
            actor,
            "contract.tranche_delete",
            tranche,
            contract,
            changed_fields(_tranche_snapshot(tranche), {}),
        )
        tranche.delete()


def tranche_commit(*, actor: Any, tranche: Tranche, on: datetime.date | None = None) -> Tranche:
    """The funder commits the tranche (engagement juridique), once the contract is signed."""
    contract = tranche.contract
    if not is_funder_member(actor, tranche.party.funder):
        raise PermissionDenied
    require_status(contract, S.SIGNED, *RUNNING)
    if tranche.committed_on is not None:
        raise ValidationError({"committed_on": _("This tranche is already committed.")})
    on = on or timezone.localdate()
    with transaction.atomic():
        tranche.committed_on = on
        tranche.save(update_fields=["committed_on"])
        audit(actor, "contract.tranche_commit", tranche, contract, {"committed_on": [None, on.isoformat()]})
    return tranche


def tranche_pay(*, actor: Any, tranche: Tranche, on: datetime.date | None = None) -> Tranche:
    """Pay a committed tranche while the contract runs — refused while its condition is unmet."""
    contract = tranche.contract
    if not is_funder_member(actor, tranche.party.funder):
        raise PermissionDenied
    require_status(contract, *RUNNING)
    if tranche.paid_on is not None:
        raise ValidationError({"paid_on": _("This tranche is already paid.")})
    if tranche.committed_on is None:
        raise ValidationError({"paid_on": _("Commit the tranche before paying it.")})
    if tranche.condition is not None and not (state := condition_states(contract)[tranche.condition_id]).met:
        raise ValidationError({"paid_on": _("This tranche is locked: %(unlock)s") % {"unlock": state.unlock}})
    on = on or timezone.localdate()
    if on < tranche.committed_on:
        raise ValidationError({"paid_on": _("A tranche is paid after it is committed.")})
    with transaction.atomic():
        tranche.paid_on = on
        tranche.save(update_fields=["paid_on"])
        audit(actor, "contract.tranche_pay", tranche, contract, {"paid_on": [None, on.isoformat()]})
    return tranche


# Budget lines -----------------------------------------------------------------------------------


@dataclass
class LineInput:
    party: ContractParty
    category: Item
    label: str
    year: int
    planned: Decimal


def _line_snapshot(line: BudgetLine) -> dict[str, Any]:
    return {
        "funder": line.party.funder.slug,
        "category": line.category.code,
        "label": line.label,
        "year": line.year,
        "planned": str(line.planned),
        "spent": str(line.spent),
        "condition": line.condition_id,
    }


def _check_line(contract: Contract, data: LineInput) -> Decimal:
    if data.party.contract_id != contract.pk:
        raise ValidationError({"party": _("Choose a co-funder of this contract.")})
    if data.category.grid.code != BUDGET_LINE_GRID:
        raise ValidationError({"category": _("Choose a budget-line category of the référentiel.")})
    if not category_allowed(data.party.programme, data.category):
        raise ValidationError(
            {
                "category": _("The programme “%(programme)s” does not fund “%(category)s”.")
                % {"programme": data.party.programme.name, "category": data.category.label}
            }
        )
    if not data.label.strip():
        raise ValidationError({"label": _("A budget line has a label.")})
    _check_year(contract, data.year)
    return money(data.planned, "planned")


def line_save(
    *, actor: Any, contract: Contract, data: LineInput, line: BudgetLine | None = None
) -> BudgetLine:
    """Plan a line on a draft; its programme may lock it behind the diagnostic sensible."""
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    planned = _check_line(contract, data)
    with transaction.atomic():
        before = _line_snapshot(line) if line else {}
        line = line or BudgetLine(contract=contract)
        line.party, line.category, line.label, line.year, line.planned = (
            data.party,
            data.category,
            data.label.strip(),
            data.year,
            planned,
        )
        if needs_diagnostic(data.party.programme, data.category):
            line.condition, _created = Condition.objects.get_or_create(
                contract=contract, kind=ConditionKind.DIAGNOSTIC, funder=data.party.funder
            )
        else:
            line.condition = None
        line.save()
        action = "contract.line_update" if before else "contract.line_create"
        audit(actor, action, line, contract, changed_fields(before, _line_snapshot(line)))
    return line


def line_delete(*, actor: Any, line: BudgetLine) -> None:
    contract = line.contract
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    with transaction.atomic():
        audit(actor, "contract.line_delete", line, contract, changed_fields(_line_snapshot(line), {}))
        line.delete()


def line_spend(*, actor: Any, line: BudgetLine, spent: Decimal) -> BudgetLine:
    """Record what a line has spent so far, while the contract runs."""
    contract = line.contract
    if not can_follow(actor, contract):
        raise PermissionDenied
    require_status(contract, *RUNNING)
    spent = money(spent, "spent")
    if (
        spent
        and line.condition is not None
        and not (state := condition_states(contract)[line.condition_id]).met
    ):
        raise ValidationError({"spent": _("This line is locked: %(unlock)s") % {"unlock": state.unlock}})
    with transaction.atomic():
        before = str(line.spent)
        line.spent = spent
        line.save(update_fields=["spent"])
        audit(actor, "contract.line_spend", line, contract, {"spent": [before, str(spent)]})
    return line
