"""What an engagement contract gathers, written with the same rights and rules as the pages: its
co-funders, their yearly tranches (planned, committed, paid), the typed budget lines (planned,
spent), the conditions precedent, and the objectives with their re-adjustments.

- A draft's co-funders, lines, conditions and objectives are written by its lead funder's members
  and the territory admin; a co-funder's members also plan its own tranches.
- A tranche is committed and paid by its funder's members, never while its condition is unmet; the
  lead funder and the territory's writers record what a line spent and re-adjust objectives, which
  each co-funder's admin agrees to.
- A forbidden write answers exactly like a missing record (404), before any check of the input
  (422); every write answers the whole contract, as `contracts` reads it.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router
from ninja.responses import Status

from trajectoires.accounts.models import Funder
from trajectoires.funding.budget import (
    LineInput,
    condition_add,
    line_save,
    line_spend,
    tranche_commit,
    tranche_pay,
    tranche_save,
)
from trajectoires.funding.contracts import party_add
from trajectoires.funding.models import BUDGET_LINE_GRID, Contract
from trajectoires.funding.objectives import (
    ObjectiveInput,
    objective_agree,
    objective_close,
    objective_create,
    objective_readjust,
)
from trajectoires.funding.permissions import can_follow, can_prepare, is_funder_member, party_funder_ids
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Orientation

from .auth import SIGNED_IN
from .contracts import (
    ONE,
    WRITE_ERRORS,
    ContractOut,
    In,
    agrees,
    fresh_out,
    funder_programme,
    gated,
    money_field,
    party_of,
    renamed_call,
)
from .errors import invalid, service_call
from .lookups import records_or_invalid

router = Router(tags=["engagement contracts"])


# Requests ----------------------------------------------------------------------------------------


class ContractPartyIn(In):
    funder: str = Field(description="The slug of the funder.")
    amount: Any = money_field("Its share, in euros (string or number, at most two decimals).")
    programme: str | None = Field(None, description="The slug of one of the funder's programmes.")


class ContractTrancheIn(In):
    funder: str = Field(description="The slug of a co-funder of the contract.")
    year: int = Field(description="A year of the contract.")
    amount: Any = money_field()
    condition: int | None = Field(None, description="The id of a condition of the contract.")


class TrancheCommitIn(In):
    committed_on: datetime.date | None = Field(None, description="Today by default.")


class TranchePayIn(In):
    paid_on: datetime.date | None = Field(None, description="Today by default.")


class ContractLineIn(In):
    funder: str = Field(description="The slug of the co-funder who pays it.")
    category: str = Field(description="The code of a budget-line category of the référentiel.")
    label: str = Field(max_length=200)
    year: int
    planned: Any = money_field()


class LineSpendIn(In):
    spent: Any = money_field("What the line has spent so far, in euros.")


class ContractConditionIn(In):
    kind: str = Field(description="diagnostic, partnership or report.")
    funder: str = Field(description="The slug of a co-funder of the contract.")
    report_year: int | None = Field(None, ge=0, le=32767, description="For a report: the year reported on.")


class ContractObjectiveIn(In):
    statement: str
    target: str = Field("", max_length=300)
    orientations: list[int] = Field(default_factory=list, description="Ids of orientations of the vision.")
    key_actions: list[str] = Field(default_factory=list, description="Codes of key actions.")


class ObjectiveReadjustIn(In):
    statement: str
    target: str = Field("", max_length=300)
    reason: str
    learning: str


class ObjectiveAgreeIn(In):
    funder: str = Field(description="The slug of the co-funder agreeing.")


class ObjectiveCloseIn(In):
    outcome: str = Field(description="achieved, partly, or lesson (abandoned — lesson learnt).")
    outcome_note: str = ""


def _one(items, pk: int):
    found = next((item for item in items if item.pk == pk), None)
    if found is None:
        raise Http404
    return found


# Co-funders, tranches, budget lines, conditions ---------------------------------------------------


@router.post(
    ONE + "/parties",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Invite a co-funder with its share, on a draft (lead funder, territory admin)",
)
def add_party(request: HttpRequest, slug: str, pk: int, payload: ContractPartyIn):
    contract = gated(request, slug, pk, can_prepare)
    funder = Funder.objects.filter(slug=payload.funder).first()
    if funder is None:
        raise invalid({"funder": [_("Choose a funder of the directory.")]})
    programme = funder_programme(funder, payload.programme)
    service_call(
        lambda: party_add(
            actor=request.user, contract=contract, funder=funder, amount=payload.amount, programme=programme
        )
    )
    return Status(201, fresh_out(request.user, contract.territory, pk))


def plans_tranches(user, contract: Contract) -> bool:
    return can_prepare(user, contract) or bool(party_funder_ids(user, contract))


@router.post(
    ONE + "/tranches",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Plan a co-funder's tranche for a year of a draft (lead funder, territory admin, co-funder)",
)
def add_tranche(request: HttpRequest, slug: str, pk: int, payload: ContractTrancheIn):
    contract = gated(request, slug, pk, plans_tranches)
    party = party_of(contract, payload.funder)
    condition = None
    if payload.condition is not None:
        condition = next((c for c in contract.conditions.all() if c.pk == payload.condition), None)
        if condition is None:
            raise invalid({"condition": [_("Choose a condition of this contract.")]})
    service_call(
        lambda: tranche_save(
            actor=request.user, party=party, year=payload.year, amount=payload.amount, condition=condition
        )
    )
    return Status(201, fresh_out(request.user, contract.territory, pk))


def _tranche(request: HttpRequest, slug: str, pk: int, tranche: int):
    contract = gated(request, slug, pk, lambda user, contract: True)
    found = _one(contract.tranches.all(), tranche)
    if not is_funder_member(request.user, found.party.funder):
        raise Http404
    return contract, found


@router.post(
    ONE + "/tranches/{int:tranche}/commit",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Commit a tranche once the contract is signed (its funder's members)",
)
def commit_tranche(request: HttpRequest, slug: str, pk: int, tranche: int, payload: TrancheCommitIn):
    contract, found = _tranche(request, slug, pk, tranche)
    service_call(lambda: tranche_commit(actor=request.user, tranche=found, on=payload.committed_on))
    return fresh_out(request.user, contract.territory, pk)


@router.post(
    ONE + "/tranches/{int:tranche}/pay",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Pay a committed tranche while the contract runs, unless its condition is unmet (its funder)",
)
def pay_tranche(request: HttpRequest, slug: str, pk: int, tranche: int, payload: TranchePayIn):
    contract, found = _tranche(request, slug, pk, tranche)
    service_call(lambda: tranche_pay(actor=request.user, tranche=found, on=payload.paid_on))
    return fresh_out(request.user, contract.territory, pk)


@router.post(
    ONE + "/lines",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Plan a typed budget line on a draft (lead funder, territory admin)",
)
def add_line(request: HttpRequest, slug: str, pk: int, payload: ContractLineIn):
    """The co-funder's programme must fund the category; a category it keeps for after the diagnostic
    sensible is locked by that condition."""
    contract = gated(request, slug, pk, can_prepare)
    party = party_of(contract, payload.funder)
    category = referential_items(BUDGET_LINE_GRID).filter(code=payload.category).first()
    if category is None:
        raise invalid({"category": [_("Choose a budget-line category of the référentiel.")]})
    data = LineInput(
        party=party, category=category, label=payload.label, year=payload.year, planned=payload.planned
    )
    renamed_call(lambda: line_save(actor=request.user, contract=contract, data=data), {"party": "funder"})
    return Status(201, fresh_out(request.user, contract.territory, pk))


@router.post(
    ONE + "/lines/{int:line}/spend",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Record what a budget line has spent while the contract runs (lead funder, territory writers)",
)
def spend_line(request: HttpRequest, slug: str, pk: int, line: int, payload: LineSpendIn):
    contract = gated(request, slug, pk, can_follow)
    found = _one(contract.budget_lines.all(), line)
    service_call(lambda: line_spend(actor=request.user, line=found, spent=payload.spent))
    return fresh_out(request.user, contract.territory, pk)


@router.post(
    ONE + "/conditions",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Add a condition precedent on a draft (lead funder, territory admin)",
)
def add_condition(request: HttpRequest, slug: str, pk: int, payload: ContractConditionIn):
    """A finished diagnostic sensible shared with a co-funder, a partnership with it, or the annual
    report on a year of the contract delivered."""
    contract = gated(request, slug, pk, can_prepare)
    funder = party_of(contract, payload.funder).funder
    service_call(
        lambda: condition_add(
            actor=request.user,
            contract=contract,
            kind=payload.kind,
            funder=funder,
            report_year=payload.report_year,
        )
    )
    return Status(201, fresh_out(request.user, contract.territory, pk))


# Objectives --------------------------------------------------------------------------------------


@router.post(
    ONE + "/objectives",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Write an objective on a draft (lead funder, territory admin)",
)
def add_objective(request: HttpRequest, slug: str, pk: int, payload: ContractObjectiveIn):
    contract = gated(request, slug, pk, can_prepare)
    orientations = records_or_invalid(
        Orientation, "orientations", payload.orientations, _("Choose orientations of the territory’s vision.")
    )
    codes = list(dict.fromkeys(payload.key_actions))
    key_actions = list(referential_items("key_action").filter(code__in=codes))
    if len(key_actions) != len(codes):
        raise invalid({"key_actions": [_("Choose key actions of the référentiel.")]})
    data = ObjectiveInput(
        statement=payload.statement, target=payload.target, orientations=orientations, key_actions=key_actions
    )
    service_call(lambda: objective_create(actor=request.user, contract=contract, data=data))
    return Status(201, fresh_out(request.user, contract.territory, pk))


@router.post(
    ONE + "/objectives/{int:objective}/readjust",
    auth=SIGNED_IN,
    response={201: ContractOut, **WRITE_ERRORS},
    summary="Propose a re-adjustment of an objective while the contract runs (lead funder, writers)",
)
def readjust_objective(
    request: HttpRequest, slug: str, pk: int, objective: int, payload: ObjectiveReadjustIn
):
    """The new wording, why and what was learnt; in force once every co-funder agrees."""
    contract = gated(request, slug, pk, can_follow)
    found = _one(contract.objectives.all(), objective)
    service_call(lambda: objective_readjust(actor=request.user, objective=found, **payload.model_dump()))
    return Status(201, fresh_out(request.user, contract.territory, pk))


@router.post(
    ONE + "/objectives/{int:objective}/versions/{int:number}/agree",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Agree to a re-adjustment of an objective for a co-funder (its admin)",
)
def agree_objective(
    request: HttpRequest, slug: str, pk: int, objective: int, number: int, payload: ObjectiveAgreeIn
):
    contract = gated(request, slug, pk, agrees)
    found = _one(contract.objectives.all(), objective)
    version = next((v for v in found.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    funder = party_of(contract, payload.funder).funder
    service_call(lambda: objective_agree(actor=request.user, version=version, funder=funder))
    return fresh_out(request.user, contract.territory, pk)


@router.post(
    ONE + "/objectives/{int:objective}/close",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Close an objective: achieved, partly achieved, or abandoned with the lesson learnt",
)
def close_objective(request: HttpRequest, slug: str, pk: int, objective: int, payload: ObjectiveCloseIn):
    contract = gated(request, slug, pk, can_follow)
    found = _one(contract.objectives.all(), objective)
    service_call(
        lambda: objective_close(
            actor=request.user, objective=found, outcome=payload.outcome, note=payload.outcome_note
        )
    )
    return fresh_out(request.user, contract.territory, pk)
