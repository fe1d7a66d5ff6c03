"""A territory's engagement contracts (F1–F10), with the same rights and rules as the pages.

- A contract is read by the territory's readers of its visibility (SPEC §4) and, whatever its
  visibility, by the members of its co-funders. Its detail gives the shares, the tranches, the typed
  budget lines with the share going to capacities (S1), the conditions precedent with what unlocks
  them, the objectives with their versions, the signatures and what the caller may do next.
- A draft is prepared (changed, deleted, given co-funders, tranches, lines, conditions and
  objectives) by its lead funder's members and the territory admin; a co-funder's members plan its
  own tranches. Tranches are committed and paid by their funder; the lead funder and the territory's
  writers record what is spent and re-adjust objectives; a co-funder's admin signs for it and agrees
  to a re-adjustment; the territory admin signs for the territory. The life cycle moves through
  `transitions`; what a contract gathers is written in `contract_records`.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input (422).
Amounts are strings with two decimals (« 200000.00 »); they are sent as strings or numbers and
checked by the services: never negative, at most two decimals, each refusal naming its field.
"""

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.accounts.models import Funder
from trajectoires.core.visibility import Visibility
from trajectoires.funding.contract_page import contract_page
from trajectoires.funding.contracts import (
    ContractInput,
    contract_activate,
    contract_close,
    contract_delete,
    contract_propose,
    contract_review,
    contract_sign,
    contract_update,
    contract_withdraw,
)
from trajectoires.funding.models import Contract, ContractParty, ContractStatus, Programme
from trajectoires.funding.objectives import counts_as_learning
from trajectoires.funding.permissions import (
    can_prepare,
    is_funder_admin,
    is_lead_member,
    is_territory_admin,
    party_funder_ids,
)
from trajectoires.funding.selectors import contract_get, territory_contracts
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["engagement contracts"])
PATH = "/{slug:slug}/contracts/"
ONE = PATH + "{int:pk}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
CENT = Decimal("0.01")
MONEY = {"anyOf": [{"type": "string"}, {"type": "number"}]}


def money_field(description: str = "Euros, as a string or a number, at most two decimals: 12500.50."):
    """An amount as sent: the services read it (string or number), so their messages name it."""
    return Field(description=description, json_schema_extra=MONEY)


def euros(amount: Decimal) -> str:
    return format(amount.quantize(CENT), "f")


# Answers -----------------------------------------------------------------------------------------


class ContractPartyOut(Schema):
    funder: str = Field(description="The funder's slug.")
    name: str
    programme: str | None = Field(description="The slug of the funder's programme it comes under.")
    amount: str = Field(description="Its share, in euros.")
    share: str = Field(description="Its share of the total, in %.")
    is_lead: bool


class ContractSummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    start_year: int
    end_year: int = Field(description="The last year, included.")
    total_amount: str
    status: ContractStatus
    visibility: Visibility
    parties: list[ContractPartyOut] = Field(description="The co-funders, the lead first.")


class ContractListOut(PageOut):
    results: list[ContractSummary]


class ContractSignatureOut(Schema):
    party: str = Field(description="`territory`, or the slug of a co-funder.")
    name: str
    signed_at: datetime.datetime | None


class ContractTrancheOut(Schema):
    id: int
    funder: str
    year: int
    amount: str
    condition: int | None = Field(description="The id of the condition that locks it.")
    locked: bool = Field(description="Whether its condition is unmet: it cannot be paid.")
    committed_on: datetime.date | None
    paid_on: datetime.date | None


class ContractLineOut(Schema):
    id: int
    funder: str = Field(description="The slug of the co-funder who pays it.")
    category: str = Field(description="The code of its category in the référentiel.")
    category_label: str
    capacity: bool = Field(description="Whether the category funds capacities rather than projects.")
    label: str
    year: int
    planned: str
    spent: str
    condition: int | None
    locked: bool


class ContractConditionOut(Schema):
    id: int
    kind: str = Field(description="diagnostic, partnership or report.")
    funder: str
    report_year: int | None = Field(description="For a report condition: the year reported on.")
    met: bool
    unlock: str | None = Field(description="What unlocks it, while it is unmet.")


class ObjectiveVersionOut(Schema):
    number: int
    statement: str
    target: str
    reason: str
    learning: str
    proposed_at: datetime.datetime
    agreed_at: datetime.datetime | None = Field(description="When it came into force.")
    agreed_by: list[str] = Field(description="The co-funders who agreed to it (re-adjustments).")


class ContractObjectiveOut(Schema):
    id: int
    position: int
    orientations: list[int]
    key_actions: list[str]
    current: ObjectiveVersionOut = Field(description="The wording in force.")
    pending: ObjectiveVersionOut | None = Field(description="A re-adjustment waiting for agreement.")
    waiting_for: list[str] = Field(description="The co-funders yet to agree to it.")
    history: list[ObjectiveVersionOut] = Field(description="The earlier wordings, newest first.")
    outcome: str | None = Field(description="achieved, partly, or lesson (abandoned — lesson learnt).")
    outcome_note: str
    counts_as_learning: bool
    closed_at: datetime.datetime | None


class ContractBudgetOut(Schema):
    planned: str
    spent: str
    capacity_planned: str
    capacity_share: str = Field(description="The share of the planned budget going to capacities, in %.")


class ContractOut(ContractSummary):
    summary: str
    signatures: list[ContractSignatureOut] = Field(description="The territory first, then the co-funders.")
    tranches: list[ContractTrancheOut]
    budget: ContractBudgetOut
    lines: list[ContractLineOut]
    conditions: list[ContractConditionOut]
    objectives: list[ContractObjectiveOut]
    problems: dict[str, list[str]] = Field(description="What keeps a draft from being proposed, by field.")
    proposed_at: datetime.datetime | None
    activated_at: datetime.datetime | None
    mid_term_review: str
    reviewed_at: datetime.datetime | None
    closing_note: str
    closed_at: datetime.datetime | None
    actions: list[str] = Field(description="What the caller may do now: prepare, propose, withdraw, …")
    sign_as: list[str] = Field(description="For whom the caller may sign now: `territory` or funder slugs.")


# Requests ----------------------------------------------------------------------------------------


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class ContractPatch(In):
    title: str | None = Field(None, max_length=200)
    summary: str | None = None
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100, description="The last year, included.")
    total_amount: Any = Field(None, description="In euros (string or number).", json_schema_extra=MONEY)
    visibility: Visibility | None = None


class ContractTransitionIn(In):
    action: Literal["propose", "withdraw", "sign", "activate", "review", "close"]
    funder: str | None = Field(None, description="For `sign`: the co-funder signing; none for the territory.")
    text: str = Field("", description="The mid-term review (`review`) or the closing note (`close`).")


# Serialising -------------------------------------------------------------------------------------


def _party_out(party: ContractParty, total: Decimal) -> dict[str, Any]:
    return {
        "funder": party.funder.slug,
        "name": party.funder.name,
        "programme": party.programme.slug if party.programme else None,
        "amount": euros(party.amount),
        "share": euros(party.share_of(total)),
        "is_lead": party.is_lead,
    }


def contract_summary(contract: Contract) -> dict[str, Any]:
    """A contract as lists give it (its parties prefetched with their funder and programme)."""
    return {
        "id": contract.pk,
        "territory": contract.territory.slug,
        "title": contract.title,
        "start_year": contract.start_year,
        "end_year": contract.end_year,
        "total_amount": euros(contract.total_amount),
        "status": contract.status,
        "visibility": contract.visibility,
        "parties": [_party_out(party, contract.total_amount) for party in contract.parties.all()],
    }


def _version_out(version, slugs: Mapping[int, str]) -> dict[str, Any]:
    return {
        "number": version.number,
        "statement": version.statement,
        "target": version.target,
        "reason": version.reason,
        "learning": version.learning,
        "proposed_at": version.proposed_at,
        "agreed_at": version.agreed_at,
        "agreed_by": sorted(slugs[a.funder_id] for a in version.agreements.all() if a.funder_id in slugs),
    }


def _objective_out(row, slugs: Mapping[int, str]) -> dict[str, Any]:
    objective = row.objective
    agreed = {a.funder_id for a in row.pending.agreements.all()} if row.pending else set()
    return {
        "id": objective.pk,
        "position": objective.position,
        "orientations": sorted(orientation.pk for orientation in objective.orientations.all()),
        "key_actions": [item.code for item in objective.key_actions.all()],
        "current": _version_out(row.current, slugs),
        "pending": _version_out(row.pending, slugs) if row.pending else None,
        "waiting_for": [slug for pk, slug in slugs.items() if pk not in agreed] if row.pending else [],
        "history": [_version_out(version, slugs) for version in row.history],
        "outcome": objective.outcome or None,
        "outcome_note": objective.outcome_note,
        "counts_as_learning": counts_as_learning(objective),
        "closed_at": objective.closed_at,
    }


def _actions(actions) -> list[str]:
    names = ["prepare", "propose", "withdraw", "activate", "review", "close", "follow"]
    found = [name for name in names if getattr(actions, name)]
    if actions.sign_for_territory or actions.sign_for:
        found.append("sign")
    return found


def contract_out(viewer, contract: Contract) -> dict[str, Any]:
    """The contract as its page shows it to `viewer` (fetched by `contract_get`)."""
    page = contract_page(viewer, contract)
    slugs = {row.party.funder_id: row.party.funder.slug for row in page.parties}
    states = {lock.state.condition.pk: lock.state for lock in page.locks}

    def locked(condition_id: int | None) -> bool:
        return condition_id is not None and not states[condition_id].met

    territory = contract.territory
    return contract_summary(contract) | {
        "summary": contract.summary,
        "signatures": [
            {"party": "territory", "name": territory.name, "signed_at": contract.territory_signed_at}
        ]
        + [
            {"party": row.party.funder.slug, "name": row.party.funder.name, "signed_at": row.party.signed_at}
            for row in page.parties
        ],
        "tranches": [
            {
                "id": tranche.pk,
                "funder": tranche.party.funder.slug,
                "year": tranche.year,
                "amount": euros(tranche.amount),
                "condition": tranche.condition_id,
                "locked": locked(tranche.condition_id),
                "committed_on": tranche.committed_on,
                "paid_on": tranche.paid_on,
            }
            for tranche in contract.tranches.all()
        ],
        "budget": {
            "planned": euros(page.planned),
            "spent": euros(page.spent),
            "capacity_planned": euros(page.capacity_planned),
            "capacity_share": format(page.capacity_share.quantize(Decimal("0.1")), "f"),
        },
        "lines": [
            {
                "id": line.pk,
                "funder": line.party.funder.slug,
                "category": line.category.code,
                "category_label": line.category.label,
                "capacity": bool(line.category.extra.get("capacity")),
                "label": line.label,
                "year": line.year,
                "planned": euros(line.planned),
                "spent": euros(line.spent),
                "condition": line.condition_id,
                "locked": locked(line.condition_id),
            }
            for line in contract.budget_lines.all()
        ],
        "conditions": [
            {
                "id": pk,
                "kind": state.condition.kind,
                "funder": state.condition.funder.slug,
                "report_year": state.condition.report_year,
                "met": state.met,
                "unlock": None if state.met else state.unlock,
            }
            for pk, state in states.items()
        ],
        "objectives": [_objective_out(row, slugs) for row in page.objectives],
        "problems": {field: [str(m) for m in messages] for field, messages in page.problems.items()},
        "proposed_at": contract.proposed_at,
        "activated_at": contract.activated_at,
        "mid_term_review": contract.mid_term_review,
        "reviewed_at": contract.reviewed_at,
        "closing_note": contract.closing_note,
        "closed_at": contract.closed_at,
        "actions": _actions(page.actions),
        "sign_as": (["territory"] if page.actions.sign_for_territory else [])
        + [party.funder.slug for party in page.actions.sign_for],
    }


def fresh_out(viewer, territory: Territory, pk: int) -> dict[str, Any]:
    """The contract as it now is (after a write)."""
    return contract_out(viewer, contract_get(viewer, territory, pk))


# Reading the request -----------------------------------------------------------------------------


def renamed_call[T](call: Callable[[], T], names: Mapping[str, str]) -> T:
    """`service_call`, with the services' field names turned into the body's where they differ."""

    def renamed() -> T:
        try:
            return call()
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {names.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from None

    return service_call(renamed)


def gated(request: HttpRequest, slug: str, pk: int, allowed: Callable[[Any, Contract], bool]) -> Contract:
    """A contract the caller reads and for which `allowed` holds, or a 404."""
    contract = contract_get(request.user, territory_get(slug), pk)
    if not allowed(request.user, contract):
        raise Http404
    return contract


def agrees(user, contract: Contract) -> bool:
    return any(is_funder_admin(user, pk) for pk in party_funder_ids(user, contract))


def moves(user, contract: Contract) -> bool:
    return is_lead_member(user, contract) or is_territory_admin(user, contract) or agrees(user, contract)


def party_of(contract: Contract, slug: str | None, field: str = "funder") -> ContractParty:
    party = next((party for party in contract.parties.all() if party.funder.slug == slug), None)
    if party is None:
        raise invalid({field: [_("Choose a co-funder of this contract.")]})
    return party


def funder_programme(funder: Funder, slug: str | None) -> Programme | None:
    if slug is None:
        return None
    programme = Programme.objects.filter(funder=funder, slug=slug).first()
    if programme is None:
        raise invalid({"programme": [_("Choose a programme of %(funder)s.") % {"funder": funder.name}]})
    return programme


# Contracts ---------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: ContractListOut, **error_responses(401, 404, 422)},
    summary="List a territory's engagement contracts",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_contracts(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The contracts the caller may read, latest first, each with its co-funders and their shares."""
    contracts = territory_contracts(request.user, territory_get(slug))
    return paginate(request, contracts, pages, contract_summary)


@router.get(
    ONE,
    response={200: ContractOut, **error_responses(401, 404)},
    summary="Read an engagement contract: shares, tranches, budget lines, conditions and objectives",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_contract(request: HttpRequest, slug: str, pk: int):
    return contract_out(request.user, contract_get(request.user, territory_get(slug), pk))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Change a draft contract (its lead funder's members, the territory admin)",
)
def update_contract(request: HttpRequest, slug: str, pk: int, payload: ContractPatch):
    contract = gated(request, slug, pk, can_prepare)
    sent = {
        name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    data = ContractInput(
        title=sent.get("title", contract.title),
        summary=sent.get("summary", contract.summary),
        start_year=sent.get("start_year", contract.start_year),
        end_year=sent.get("end_year", contract.end_year),
        total_amount=sent.get("total_amount", contract.total_amount),
        visibility=sent.get("visibility", contract.visibility),
    )
    service_call(lambda: contract_update(actor=request.user, contract=contract, data=data))
    return fresh_out(request.user, contract.territory, pk)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a draft contract (its lead funder's members, the territory admin)",
)
def delete_contract(request: HttpRequest, slug: str, pk: int):
    contract = gated(request, slug, pk, can_prepare)
    service_call(lambda: contract_delete(actor=request.user, contract=contract))
    return Status(204, None)


@router.post(
    ONE + "/transitions",
    auth=SIGNED_IN,
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Move a contract through its life cycle: propose, withdraw, sign, activate, review, close",
)
def move_contract(request: HttpRequest, slug: str, pk: int, payload: ContractTransitionIn):
    """draft → proposed → signed (by every party) → active → reviewed → closed; a proposal is
    withdrawn to draft. `sign` signs for the territory, or for the co-funder named by `funder`."""
    contract = gated(request, slug, pk, moves)
    user, text = request.user, payload.text
    calls: dict[str, Callable[[], Any]] = {
        "propose": lambda: contract_propose(actor=user, contract=contract),
        "withdraw": lambda: contract_withdraw(actor=user, contract=contract),
        "activate": lambda: contract_activate(actor=user, contract=contract),
        "review": lambda: contract_review(actor=user, contract=contract, review=text),
        "close": lambda: contract_close(actor=user, contract=contract, note=text),
    }
    if payload.action == "sign":
        funder = party_of(contract, payload.funder).funder if payload.funder is not None else None
        calls["sign"] = lambda: contract_sign(actor=user, contract=contract, funder=funder)
    renamed_call(calls[payload.action], {"mid_term_review": "text", "closing_note": "text"})
    return fresh_out(user, contract.territory, pk)
