"""Everything a contract's page (and its API) shows, computed once from the prefetched contract:
the shares, the tranche grid per co-funder and year, the budget by category with the share going to
capacities (S1), what is locked and what unlocks it, the objectives with their versions, and what the
viewer may do next."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from trajectoires.referential.models import Item

from .budget import RUNNING, ConditionState, condition_states
from .contracts import proposal_problems
from .models import BudgetLine, Contract, ContractParty, Objective, ObjectiveVersion, Tranche
from .models import ContractStatus as S
from .objectives import current_version, pending_version
from .permissions import (
    can_follow,
    can_prepare,
    is_funder_admin,
    is_lead_member,
    is_territory_admin,
    party_funder_ids,
)

ZERO = Decimal("0.00")


@dataclass
class PartyRow:
    party: ContractParty
    share: Decimal  # % of the total
    tranches: list[Tranche | None]  # one per year of the contract


@dataclass
class CategoryRow:
    category: Item
    lines: list[BudgetLine]
    planned: Decimal
    spent: Decimal

    @property
    def is_capacity(self) -> bool:
        return bool(self.category.extra.get("capacity"))


@dataclass
class LockRow:
    state: ConditionState
    tranches: list[Tranche]
    lines: list[BudgetLine]


@dataclass
class ObjectiveRow:
    objective: Objective
    current: ObjectiveVersion
    pending: ObjectiveVersion | None
    history: list[ObjectiveVersion]  # agreed versions before the current one, newest first
    waiting_for: list[str] = field(default_factory=list)  # co-funders yet to agree to `pending`

    @property
    def readjustments(self) -> list[tuple[ObjectiveVersion, ObjectiveVersion]]:
        """The re-adjustments in force, newest first, each as (the wording before, the one after)."""
        agreed = [self.current, *self.history]
        return list(zip(agreed[1:], agreed, strict=False))


@dataclass
class Actions:
    prepare: bool = False
    propose: bool = False
    withdraw: bool = False
    sign_for_territory: bool = False
    sign_for: list[ContractParty] = field(default_factory=list)
    activate: bool = False
    review: bool = False
    close: bool = False
    follow: bool = False
    funder_ids: set[int] = field(default_factory=set)  # co-funders the viewer acts for (tranches)
    agree_as: set[int] = field(default_factory=set)  # co-funders the viewer may agree for


@dataclass
class ContractPage:
    contract: Contract
    parties: list[PartyRow]
    years: list[int]
    year_totals: list[Decimal]
    categories: list[CategoryRow]
    planned: Decimal
    spent: Decimal
    capacity_planned: Decimal
    locks: list[LockRow]
    objectives: list[ObjectiveRow]
    problems: dict[str, list[str]]
    actions: Actions

    @property
    def capacity_share(self) -> Decimal:
        """The share of the planned budget going to capacities rather than projects (S1), in %."""
        return (self.capacity_planned * 100 / self.planned).quantize(Decimal("0.1")) if self.planned else ZERO

    @property
    def unmet(self) -> set[int]:
        """The conditions not met yet: the tranches and lines they hold are locked."""
        return {row.state.condition.pk for row in self.locks if not row.state.met}

    @property
    def unsigned(self) -> list[str]:
        names = [] if self.contract.territory_signed_at else [self.contract.territory.name]
        return names + [row.party.funder.name for row in self.parties if row.party.signed_at is None]


def _parties(contract: Contract, years: list[int]) -> list[PartyRow]:
    by_party: dict[int, dict[int, Tranche]] = {}
    for tranche in contract.tranches.all():
        by_party.setdefault(tranche.party_id, {})[tranche.year] = tranche
    return [
        PartyRow(
            party,
            party.share_of(contract.total_amount),
            [by_party.get(party.pk, {}).get(year) for year in years],
        )
        for party in contract.parties.all()
    ]


def categories_of(lines: Iterable[BudgetLine]) -> list[CategoryRow]:
    """Budget lines grouped by category, in the référentiel's order, with their sums."""
    rows: dict[str, CategoryRow] = {}
    for line in lines:
        row = rows.setdefault(line.category.code, CategoryRow(line.category, [], ZERO, ZERO))
        row.lines.append(line)
        row.planned += line.planned
        row.spent += line.spent
    return sorted(rows.values(), key=lambda row: row.category.position)


def _objectives(contract: Contract, parties: list[ContractParty]) -> list[ObjectiveRow]:
    rows = []
    for objective in contract.objectives.all():
        current, pending = current_version(objective), pending_version(objective)
        history = [
            v for v in objective.versions.all() if v.agreed_at is not None and v.number < current.number
        ]
        waiting = []
        if pending is not None:
            agreed = {agreement.funder_id for agreement in pending.agreements.all()}
            waiting = [party.funder.name for party in parties if party.funder_id not in agreed]
        rows.append(ObjectiveRow(objective, current, pending, history[::-1], waiting))
    return rows


def _actions(viewer, contract: Contract) -> Actions:
    status = contract.status
    lead = is_lead_member(viewer, contract)
    admin = is_territory_admin(viewer, contract)
    mine = party_funder_ids(viewer, contract)
    return Actions(
        prepare=status == S.DRAFT and can_prepare(viewer, contract),
        propose=status == S.DRAFT and lead,
        withdraw=status == S.PROPOSED and (lead or admin),
        sign_for_territory=status == S.PROPOSED and admin and contract.territory_signed_at is None,
        sign_for=[
            party
            for party in contract.parties.all()
            if status == S.PROPOSED and party.signed_at is None and is_funder_admin(viewer, party.funder_id)
        ],
        activate=status == S.SIGNED and lead,
        review=status == S.ACTIVE and (lead or admin),
        close=status in RUNNING and lead,
        follow=status in RUNNING and can_follow(viewer, contract),
        funder_ids=mine,
        agree_as={pk for pk in mine if is_funder_admin(viewer, pk)},
    )


def contract_page(viewer, contract: Contract) -> ContractPage:
    years = list(contract.years)
    parties = _parties(contract, years)
    categories = categories_of(contract.budget_lines.all())
    states = condition_states(contract)
    locks = [
        LockRow(
            state,
            [t for t in contract.tranches.all() if t.condition_id == pk],
            [line for line in contract.budget_lines.all() if line.condition_id == pk],
        )
        for pk, state in states.items()
    ]
    return ContractPage(
        contract=contract,
        parties=parties,
        years=years,
        year_totals=[
            sum((row.tranches[i].amount for row in parties if row.tranches[i]), ZERO)
            for i in range(len(years))
        ],
        categories=categories,
        planned=sum((row.planned for row in categories), ZERO),
        spent=sum((row.spent for row in categories), ZERO),
        capacity_planned=sum((row.planned for row in categories if row.is_capacity), ZERO),
        locks=locks,
        objectives=_objectives(contract, list(contract.parties.all())),
        problems=proposal_problems(contract) if contract.status == S.DRAFT else {},
        actions=_actions(viewer, contract),
    )
