"""Engagement contracts: drafting, co-funders and their shares, signatures, the life cycle.

Life cycle (every other move is refused):
    draft ──propose──▶ proposed ──(every party signs)──▶ signed ──activate──▶ active
      ▲                  │                                                    │
      └────withdraw──────┘                                   review ──▶ reviewed
                                                       active / reviewed ──close──▶ closed
A draft is prepared by its lead funder's members and the territory admin. Proposing checks the whole
contract: shares summing to the total, each share's tranches summing to it, every programme's rules.
Each party signs once — the territory admin for the territory, a funder admin for each co-funder;
withdrawing a proposal erases the signatures given. Once signed, every co-funder becomes a partner
of the territory (SPEC §4).
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
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory, TerritoryPartnership
from trajectoires.territories.services import territory_scope

from .models import Contract, ContractParty, ContractStatus, Programme
from .money import euros, money
from .permissions import (
    can_prepare,
    is_funder_admin,
    is_funder_member,
    is_lead_member,
    is_territory_admin,
)
from .programmes import MAX_YEARS, MIN_YEARS, share_problems

S = ContractStatus
# The municipal mandate a contract can be aligned on, split in two contracts where the user chooses.
MANDATE = (2026, 2032)


def mandate_periods(split_year: int) -> list[tuple[int, int]]:
    """The mandate 2026–2032 as two contracts, the second starting in `split_year`."""
    first, last = MANDATE
    if not first < split_year <= last:
        raise ValidationError(
            {
                "split_year": _("Split the mandate in a year from %(low)s to %(high)s.")
                % {"low": first + 1, "high": last}
            }
        )
    return [(first, split_year - 1), (split_year, last)]


def audit(actor: Any, action: str, obj: Any, contract: Contract, changes: dict) -> None:
    """Contracts are audited in the territory's log, which its admins read."""
    audit_record(
        actor=actor, action=action, obj=obj, scope=territory_scope(contract.territory), changes=changes
    )


def require_status(contract: Contract, *allowed: str, field: str = "status") -> None:
    if contract.status not in allowed:
        raise ValidationError(
            {
                field: _("This cannot be done on a contract that is “%(status)s”.")
                % {"status": contract.get_status_display()}
            }
        )


@dataclass
class ContractInput:
    title: str
    start_year: int
    end_year: int
    total_amount: Decimal
    summary: str = ""
    visibility: str = Visibility.PRIVATE


def _check_contract(data: ContractInput) -> Decimal:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("A contract has a title.")
    if data.visibility not in Visibility.values:
        errors["visibility"] = _("Choose a visibility.")
    if data.end_year < data.start_year:
        errors["end_year"] = _("The last year comes after the first.")
    elif not MIN_YEARS <= data.end_year - data.start_year + 1 <= MAX_YEARS:
        errors["end_year"] = _("A contract lasts from %(low)s to %(high)s years.") % {
            "low": MIN_YEARS,
            "high": MAX_YEARS,
        }
    try:
        total = money(data.total_amount, "total_amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return total


def _check_programme_of(funder: Funder, programme: Programme | None) -> None:
    if programme is not None and programme.funder_id != funder.pk:
        raise ValidationError({"programme": _("Choose a programme of %(funder)s.") % {"funder": funder.name}})
    if programme is not None and not programme.is_open:
        raise ValidationError(
            {"programme": _("The programme “%(programme)s” is closed.") % {"programme": programme.name}}
        )


def _snapshot(contract: Contract) -> dict[str, Any]:
    return {
        "title": contract.title,
        "summary": contract.summary,
        "start_year": contract.start_year,
        "end_year": contract.end_year,
        "total_amount": str(contract.total_amount),
        "visibility": contract.visibility,
    }


def contract_create(
    *,
    actor: Any,
    funder: Funder,
    territory: Territory,
    data: ContractInput,
    programme: Programme | None = None,
    amount: Decimal,
) -> Contract:
    """A draft led by `funder`, whose share is `amount`; the other co-funders join later."""
    if not is_funder_member(actor, funder):
        raise PermissionDenied
    total = _check_contract(data)
    amount = money(amount, "amount")
    _check_programme_of(funder, programme)
    if programme is not None and (
        problems := share_problems(programme, territory, data.start_year, data.end_year, amount, total)
    ):
        raise ValidationError(problems)
    if amount > total:
        raise ValidationError({"amount": _("A share cannot exceed the contract’s total.")})
    with transaction.atomic():
        contract = Contract.objects.create(
            territory=territory,
            title=data.title.strip(),
            summary=data.summary,
            start_year=data.start_year,
            end_year=data.end_year,
            total_amount=total,
            visibility=data.visibility,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        party = ContractParty.objects.create(
            contract=contract, funder=funder, programme=programme, amount=amount, is_lead=True
        )
        audit(
            actor,
            "contract.create",
            contract,
            contract,
            {key: [None, value] for key, value in _snapshot(contract).items()},
        )
        audit(
            actor,
            "contract.party_add",
            party,
            contract,
            {"funder": [None, funder.slug], "amount": [None, str(amount)]},
        )
    return contract


def contract_update(*, actor: Any, contract: Contract, data: ContractInput) -> Contract:
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    total = _check_contract(data)
    if outside := sorted(
        {t.year for t in contract.tranches.all()} - set(range(data.start_year, data.end_year + 1))
    ):
        raise ValidationError(
            {
                "end_year": _("Tranches are planned in %(years)s, outside these years.")
                % {"years": ", ".join(map(str, outside))}
            }
        )
    with transaction.atomic():
        before = _snapshot(contract)
        contract.title, contract.summary = data.title.strip(), data.summary
        contract.start_year, contract.end_year = data.start_year, data.end_year
        contract.total_amount, contract.visibility = total, data.visibility
        contract.save()
        audit(actor, "contract.update", contract, contract, changed_fields(before, _snapshot(contract)))
    return contract


def contract_delete(*, actor: Any, contract: Contract) -> None:
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    with transaction.atomic():
        audit(actor, "contract.delete", contract, contract, {"title": [contract.title, None]})
        contract.delete()


def _check_share(contract: Contract, funder: Funder, programme: Programme | None, amount: Decimal) -> None:
    """A co-funder's share under its programme's rules (the programme must be the funder's, open)."""
    _check_programme_of(funder, programme)
    if programme is not None and (
        problems := share_problems(
            programme,
            contract.territory,
            contract.start_year,
            contract.end_year,
            amount,
            contract.total_amount,
        )
    ):
        raise ValidationError(problems)


# Co-funders ------------------------------------------------------------------------------------


def party_add(
    *, actor: Any, contract: Contract, funder: Funder, amount: Decimal, programme: Programme | None = None
) -> ContractParty:
    """Invite a co-funder with its share (the lead funder or the territory admin, on a draft)."""
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    amount = money(amount, "amount")
    if contract.parties.filter(funder=funder).exists():
        raise ValidationError(
            {"funder": _("%(funder)s is already a co-funder of this contract.") % {"funder": funder.name}}
        )
    _check_share(contract, funder, programme, amount)
    with transaction.atomic():
        party = ContractParty.objects.create(
            contract=contract, funder=funder, programme=programme, amount=amount
        )
        audit(
            actor,
            "contract.party_add",
            party,
            contract,
            {"funder": [None, funder.slug], "amount": [None, str(amount)]},
        )
    return party


def party_update(
    *, actor: Any, party: ContractParty, amount: Decimal, programme: Programme | None
) -> ContractParty:
    """Change a share: the lead funder and the territory admin, or the co-funder itself, on a draft."""
    contract = party.contract
    if not (can_prepare(actor, contract) or is_funder_member(actor, party.funder)):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    amount = money(amount, "amount")
    _check_share(contract, party.funder, programme, amount)
    with transaction.atomic():
        before = {"amount": str(party.amount), "programme": party.programme.slug if party.programme else None}
        party.amount, party.programme = amount, programme
        party.save(update_fields=["amount", "programme"])
        after = {"amount": str(amount), "programme": programme.slug if programme else None}
        audit(actor, "contract.party_update", party, contract, changed_fields(before, after))
    return party


def party_remove(*, actor: Any, party: ContractParty) -> None:
    contract = party.contract
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    if party.is_lead:
        raise ValidationError(
            {"funder": _("The lead funder stays on its contract; delete the draft instead.")}
        )
    with transaction.atomic():
        audit(actor, "contract.party_remove", party, contract, {"funder": [party.funder.slug, None]})
        party.delete()


# The life cycle --------------------------------------------------------------------------------


def proposal_problems(contract: Contract) -> dict[str, list[str]]:
    """Everything that keeps a draft from being proposed, by field (empty when it is ready)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    parties = list(contract.parties.select_related("funder", "programme"))
    shared = sum((party.amount for party in parties), Decimal(0))
    if shared != contract.total_amount:
        add(
            "total_amount",
            _("The co-funders’ shares sum to %(shared)s, the total is %(total)s.")
            % {"shared": euros(shared), "total": euros(contract.total_amount)},
        )
    tranches: dict[int, Decimal] = {}
    for tranche in contract.tranches.all():
        tranches[tranche.party_id] = tranches.get(tranche.party_id, Decimal(0)) + tranche.amount
    for party in parties:
        if tranches.get(party.pk, Decimal(0)) != party.amount:
            add(
                "tranches",
                _("The tranches of %(funder)s sum to %(sum)s, its share is %(share)s.")
                % {
                    "funder": party.funder.name,
                    "sum": euros(tranches.get(party.pk, Decimal("0.00"))),
                    "share": euros(party.amount),
                },
            )
        if party.programme is not None:
            rules = share_problems(
                party.programme,
                contract.territory,
                contract.start_year,
                contract.end_year,
                party.amount,
                contract.total_amount,
            )
            for field, message in rules.items():
                add(field, message)
    return problems


def contract_propose(*, actor: Any, contract: Contract) -> Contract:
    if not is_lead_member(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    if problems := proposal_problems(contract):
        raise ValidationError(problems)
    return _move(actor, contract, S.PROPOSED, proposed_at=timezone.now())


def contract_withdraw(*, actor: Any, contract: Contract) -> Contract:
    """Back to draft for changes: the signatures already given are erased (and audited)."""
    if not (is_lead_member(actor, contract) or is_territory_admin(actor, contract)):
        raise PermissionDenied
    require_status(contract, S.PROPOSED)
    with transaction.atomic():
        for party in contract.parties.filter(signed_at__isnull=False):
            audit(
                actor,
                "contract.signature_erase",
                party,
                contract,
                {"signed_at": [party.signed_at.isoformat(), None]},
            )
        contract.parties.update(signed_at=None, signed_by=None)
        contract.territory_signed_by = None
        return _move(actor, contract, S.DRAFT, proposed_at=None, territory_signed_at=None)


def contract_sign(*, actor: Any, contract: Contract, funder: Funder | None = None) -> Contract:
    """Sign for the territory (`funder` None: the territory admin) or for one co-funder (its admin).
    The last signature makes the contract signed, and every co-funder a partner of the territory."""
    if funder is None and not is_territory_admin(actor, contract):
        raise PermissionDenied
    if funder is not None and not is_funder_admin(actor, funder.pk):
        raise PermissionDenied
    party = None
    if funder is not None and (party := contract.parties.filter(funder=funder).first()) is None:
        raise PermissionDenied
    require_status(contract, S.PROPOSED, field="signature")
    already = party.signed_at if party is not None else contract.territory_signed_at
    if already is not None:
        raise ValidationError({"signature": _("This party has already signed this contract.")})
    now = timezone.now()
    with transaction.atomic():
        if party is not None:
            party.signed_at, party.signed_by = now, actor
            party.save(update_fields=["signed_at", "signed_by"])
            audit(actor, "contract.sign", party, contract, {"signed_at": [None, now.isoformat()]})
        else:
            contract.territory_signed_at, contract.territory_signed_by = now, actor
            contract.save(update_fields=["territory_signed_at", "territory_signed_by", "updated_at"])
            audit(
                actor, "contract.sign", contract, contract, {"territory_signed_at": [None, now.isoformat()]}
            )
        if contract.territory_signed_at and not contract.parties.filter(signed_at__isnull=True).exists():
            _move(actor, contract, S.SIGNED)
            _make_partners(actor, contract, now.date())
    return contract


def _make_partners(actor: Any, contract: Contract, since: datetime.date) -> None:
    known = set(
        TerritoryPartnership.objects.filter(territory=contract.territory).values_list("funder_id", flat=True)
    )
    for party in contract.parties.select_related("funder"):
        if party.funder_id not in known:
            partnership = TerritoryPartnership.objects.create(
                territory=contract.territory, funder=party.funder, since=since
            )
            audit(
                actor,
                "partnership.create",
                partnership,
                contract,
                {"funder": [None, party.funder.slug], "contract": [None, contract.pk]},
            )


def contract_activate(*, actor: Any, contract: Contract) -> Contract:
    if not is_lead_member(actor, contract):
        raise PermissionDenied
    require_status(contract, S.SIGNED)
    return _move(actor, contract, S.ACTIVE, activated_at=timezone.now())


def contract_review(*, actor: Any, contract: Contract, review: str) -> Contract:
    """Record the mid-term review (the lead funder or the territory admin)."""
    if not (is_lead_member(actor, contract) or is_territory_admin(actor, contract)):
        raise PermissionDenied
    require_status(contract, S.ACTIVE)
    if not review.strip():
        raise ValidationError({"mid_term_review": _("Write what the mid-term review found.")})
    return _move(actor, contract, S.REVIEWED, mid_term_review=review.strip(), reviewed_at=timezone.now())


def contract_close(*, actor: Any, contract: Contract, note: str) -> Contract:
    if not is_lead_member(actor, contract):
        raise PermissionDenied
    require_status(contract, S.ACTIVE, S.REVIEWED)
    if not note.strip():
        raise ValidationError({"closing_note": _("Write a closing note: what the contract made possible.")})
    return _move(actor, contract, S.CLOSED, closing_note=note.strip(), closed_at=timezone.now())


def _move(actor: Any, contract: Contract, status: str, **fields: Any) -> Contract:
    with transaction.atomic():
        before = contract.status
        earlier = {name: getattr(contract, name) for name in fields}
        contract.status = status
        for name, value in fields.items():
            setattr(contract, name, value)
        contract.save()
        changes = {"status": [before, status]} | {
            name: [_plain(earlier[name]), _plain(value)] for name, value in fields.items()
        }
        audit(actor, "contract.status", contract, contract, changes)
    return contract


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
