"""A funder's portfolio, and the same figures for the whole alliance (no private detail): the
contracts, the amounts by year (planned, committed, paid), the share of the budget going to
capacities rather than projects (S1), the durations, the conditions met, the reports late and the
share that is co-funded. Figures count the contracts once signed (signed, active, reviewed, closed);
every read is a fixed number of queries, whatever the number of contracts."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from trajectoires.accounts.models import Funder
from trajectoires.evaluation.models import DiagnosticShare, DiagnosticStatus
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import TerritoryPartnership

from .models import (
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
from .reports import late_count

COUNTED = (S.SIGNED, S.ACTIVE, S.REVIEWED, S.CLOSED)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class YearRow:
    year: int
    planned: Decimal
    committed: Decimal
    paid: Decimal


@dataclass
class Portfolio:
    contracts: list[ContractParty] = field(default_factory=list)  # the funder's shares (funder view)
    contract_count: int = 0
    amount: Decimal = ZERO
    co_funded_count: int = 0
    co_funded_amount: Decimal = ZERO
    years: list[YearRow] = field(default_factory=list)
    capacity_amount: Decimal = ZERO
    project_amount: Decimal = ZERO
    durations: list[tuple[int, int]] = field(default_factory=list)  # (years, contracts)
    conditions_met: int = 0
    conditions_total: int = 0
    reports_late: int = 0
    by_funder_type: list[tuple[str, Decimal]] = field(default_factory=list)  # alliance view only

    @property
    def capacity_share(self) -> Decimal:
        total = self.capacity_amount + self.project_amount
        return (self.capacity_amount * 100 / total).quantize(Decimal("0.1")) if total else Decimal("0.0")

    @property
    def co_funded_share(self) -> Decimal:
        return (
            (self.co_funded_amount * 100 / self.amount).quantize(Decimal("0.1"))
            if self.amount
            else Decimal("0.0")
        )


def _years(tranches) -> list[YearRow]:
    rows = tranches.values("year").annotate(
        planned=Sum("amount"),
        committed=Sum("amount", filter=Q(committed_on__isnull=False)),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
    )
    return [
        YearRow(row["year"], row["planned"] or ZERO, row["committed"] or ZERO, row["paid"] or ZERO)
        for row in rows.order_by("year")
    ]


def _capacities(lines) -> tuple[Decimal, Decimal]:
    capacity = {item.code for item in referential_items("budget_line_category") if item.extra.get("capacity")}
    sums = lines.values("category__code").annotate(planned=Sum("planned"))
    in_capacity = sum((row["planned"] for row in sums if row["category__code"] in capacity), ZERO)
    return in_capacity, sum((row["planned"] for row in sums), ZERO) - in_capacity


def _conditions_met(conditions) -> tuple[int, int]:
    """Conditions met over many contracts, from plain values: a diagnostic shared with the funder,
    a partnership with it, or the report on the year delivered."""
    rows = list(
        conditions.values_list("kind", "funder_id", "contract__territory_id", "contract_id", "report_year")
    )
    territories = {row[2] for row in rows}
    shared = set(
        DiagnosticShare.objects.filter(
            diagnostic__territory_id__in=territories,
            diagnostic__status__in=[DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED],
        ).values_list("funder_id", "diagnostic__territory_id")
    )
    partners = set(
        TerritoryPartnership.objects.filter(territory_id__in=territories).values_list(
            "funder_id", "territory_id"
        )
    )
    delivered = set(
        ContractReport.objects.filter(
            contract__in=conditions.filter(kind=ConditionKind.REPORT).values("contract_id"),
            status__in=[ContractReportStatus.SUBMITTED, ContractReportStatus.ACCEPTED],
        ).values_list("contract_id", "year")
    )

    def met(kind, funder, territory, contract, year) -> bool:
        if kind == ConditionKind.REPORT:
            return (contract, year) in delivered
        return (funder, territory) in (shared if kind == ConditionKind.DIAGNOSTIC else partners)

    return sum(1 for row in rows if met(*row)), len(rows)


@dataclass(frozen=True)
class Share:
    """One co-funder's share of a signed contract, as the figures need it (plain values)."""

    contract_id: int
    funder_id: int
    amount: Decimal
    party_count: int
    duration: int


def _shares(parties) -> list[Share]:
    rows = (
        parties.filter(contract__status__in=COUNTED)
        .annotate(party_count=Count("contract__parties"))
        .values_list(
            "contract_id", "funder_id", "amount", "party_count", "contract__start_year", "contract__end_year"
        )
    )
    return [
        Share(contract, funder, amount, count, last - first + 1)
        for contract, funder, amount, count, first, last in rows
    ]


def _fill(portfolio: Portfolio, shares: list[Share], contracts, tranches, lines, conditions) -> Portfolio:
    portfolio.contract_count = len({share.contract_id for share in shares})
    portfolio.amount = sum((share.amount for share in shares), ZERO)
    co_funded = [share for share in shares if share.party_count > 1]
    portfolio.co_funded_count = len({share.contract_id for share in co_funded})
    portfolio.co_funded_amount = sum((share.amount for share in co_funded), ZERO)
    portfolio.years = _years(tranches)
    portfolio.capacity_amount, portfolio.project_amount = _capacities(lines)
    durations = Counter({share.contract_id: share.duration for share in shares}.values())
    portfolio.durations = sorted(durations.items())
    portfolio.conditions_met, portfolio.conditions_total = _conditions_met(conditions)
    portfolio.reports_late = late_count(contracts)
    return portfolio


def funder_portfolio(funder: Funder) -> Portfolio:
    """Every contract `funder` is party to (its members read this: callers check it)."""
    parties = ContractParty.objects.filter(funder=funder)
    listed = list(
        parties.select_related("contract__territory", "programme")
        .annotate(party_count=Count("contract__parties"))
        .order_by("-contract__start_year", "contract__title")
    )
    return _fill(
        Portfolio(contracts=listed),
        _shares(parties),
        Contract.objects.filter(parties__funder=funder),
        Tranche.objects.filter(party__funder=funder, contract__status__in=COUNTED),
        BudgetLine.objects.filter(party__funder=funder, contract__status__in=COUNTED),
        Condition.objects.filter(funder=funder, contract__status__in=COUNTED),
    )


def alliance_portfolio() -> Portfolio:
    """The same figures over every signed contract of the alliance, by funder type, without naming
    any contract, territory or funder — computed from plain values, for thousands of contracts."""
    shares = _shares(ContractParty.objects.all())
    portfolio = _fill(
        Portfolio(),
        shares,
        Contract.objects.all(),
        Tranche.objects.filter(contract__status__in=COUNTED),
        BudgetLine.objects.filter(contract__status__in=COUNTED),
        Condition.objects.filter(contract__status__in=COUNTED),
    )
    kinds = Funder.objects.filter(pk__in={share.funder_id for share in shares}).select_related("kind")
    kind_of = {funder.pk: funder.kind for funder in kinds}
    by_kind: dict[str, tuple[int, Decimal]] = {}
    for share in shares:
        kind = kind_of[share.funder_id]
        position, total = by_kind.get(kind.label, (kind.position, ZERO))
        by_kind[kind.label] = (position, total + share.amount)
    portfolio.by_funder_type = [
        (label, total) for label, (_position, total) in sorted(by_kind.items(), key=lambda kv: kv[1][0])
    ]
    return portfolio
