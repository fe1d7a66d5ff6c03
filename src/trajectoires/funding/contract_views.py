"""The pages of the engagement contracts: a territory's contracts, one contract with its co-funders,
signatures, tranches, budget, conditions and objectives; a funder's contracts; and the writes — draft a
contract (a funder's members), change or delete a draft, invite a co-funder and change its share, and
the life cycle: propose, withdraw, sign, activate, review at mid-term, close.

- Every page reads through the selectors: a contract the viewer may not read, and a write page the
  viewer may not use, answer 404 like a missing one.
- Each move of the life cycle is a POST from its own confirmation page. A move the contract's status
  does not allow is answered 400 with the reason, and nothing is written.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get
from trajectoires.territories.team_selectors import funder_get

from .contract_forms import CloseForm, ContractForm, NewContractForm, PartyEditForm, PartyForm, ReviewForm
from .contract_page import contract_page
from .contracts import (
    contract_activate,
    contract_close,
    contract_create,
    contract_delete,
    contract_propose,
    contract_review,
    contract_sign,
    contract_update,
    contract_withdraw,
    party_add,
    party_remove,
    party_update,
    proposal_problems,
    require_status,
)
from .models import Contract, ContractParty
from .models import ContractStatus as S
from .permissions import (
    can_prepare,
    is_funder_admin,
    is_funder_member,
    is_lead_member,
    is_territory_admin,
)
from .selectors import contract_get, funder_contracts, territory_contracts


def readable_contract(request, slug: str, pk: int):
    """The territory and the contract `request.user` may read, or a 404."""
    territory = territory_get(slug)
    return territory, contract_get(request.user, territory, pk)


def preparable_contract(request, slug: str, pk: int):
    """The territory and the contract `request.user` may prepare (its lead funder's members and the
    territory admin), or a 404."""
    territory, contract = readable_contract(request, slug, pk)
    if not can_prepare(request.user, contract):
        raise Http404
    return territory, contract


def status_errors(contract: Contract, *allowed: str) -> list[str]:
    """Why the contract's status forbids a change now (empty when it allows it)."""
    try:
        require_status(contract, *allowed)
    except ValidationError as error:
        return error.messages
    return []


def viewer_funders(user):
    """The funders `user` is a member of, by name."""
    if not user.is_authenticated:
        return []
    return [
        membership.funder
        for membership in user.funder_memberships.select_related("funder").order_by("funder__name")
    ]


def with_shares(contracts) -> list[Contract]:
    """The contracts, each co-funder with `percent`, its share of the total."""
    contracts = list(contracts)
    for contract in contracts:
        for party in contract.parties.all():
            party.percent = party.share_of(contract.total_amount)
    return contracts


# Reading -----------------------------------------------------------------------------------------


def contracts_page(request, slug: str):
    territory = territory_get(slug)
    context = {
        "territory": territory,
        "contracts": with_shares(territory_contracts(request.user, territory)),
        "funders": viewer_funders(request.user),
    }
    return render(request, "funding/contracts.html", context)


def contract_detail(request, slug: str, pk: int):
    territory, contract = readable_contract(request, slug, pk)
    page = contract_page(request.user, contract)
    context = {"territory": territory, "contract": contract, "page": page}
    return render(request, "funding/contract.html", context)


def funder_contracts_page(request, slug: str):
    funder = funder_get(slug)
    context = {
        "funder": funder,
        "contracts": with_shares(funder_contracts(request.user, funder)),
        "is_member": is_funder_member(request.user, funder),
    }
    return render(request, "funding/funder_contracts.html", context)


# Draft, change, delete ---------------------------------------------------------------------------


def _form_page(request, template: str, context: dict, *, blocked: list[str] = ()):
    """A form page: 400 when a POST was refused or the contract's status forbids the change."""
    status = 400 if request.method == "POST" or blocked else 200
    return render(request, template, context | {"blocked": blocked}, status=status)


@login_required
def contract_new(request, slug: str):
    """A funder's members draft a contract their funder leads."""
    funder = funder_get(slug)
    if not is_funder_member(request.user, funder):
        raise Http404
    initial = {}
    if territory := request.GET.get("territory"):
        initial["territory"] = next(
            (t.pk for t in NewContractForm.base_fields["territory"].queryset.filter(slug=territory)), None
        )
    form = NewContractForm(request.POST or None, funder=funder, initial=initial)

    def save():
        data = form.cleaned_data
        return contract_create(
            actor=request.user,
            funder=funder,
            territory=data["territory"],
            data=form.contract_input(),
            programme=data["programme"],
            amount=data["amount"],
        )

    if contract := saved_through(request, form, save):
        messages.success(request, _("The draft contract was created."))
        return redirect(contract)
    return _form_page(
        request, "funding/contract_form.html", {"form": form, "funder": funder, "contract": None}
    )


@login_required
def contract_new_here(request, slug: str):
    """A funder's member drafts a contract with this territory: the form of the funder's contracts."""
    territory = territory_get(slug)
    funders = viewer_funders(request.user)
    if not funders:
        raise Http404
    return redirect(f"{reverse('funding:contract_new', args=[funders[0].slug])}?territory={territory.slug}")


@login_required
def contract_edit(request, slug: str, pk: int):
    territory, contract = preparable_contract(request, slug, pk)
    form = ContractForm.for_contract(contract, request.POST or None)
    blocked = status_errors(contract, S.DRAFT)
    if not blocked and saved_through(
        request,
        form,
        lambda: contract_update(actor=request.user, contract=contract, data=form.contract_input()),
    ):
        messages.success(request, _("The contract was saved."))
        return redirect(contract)
    context = {"territory": territory, "contract": contract, "form": form, "funder": None}
    return _form_page(request, "funding/contract_form.html", context, blocked=blocked)


@login_required
def contract_remove(request, slug: str, pk: int):
    territory, contract = preparable_contract(request, slug, pk)
    blocked = status_errors(contract, S.DRAFT)
    if request.method == "POST" and not blocked:
        contract_delete(actor=request.user, contract=contract)
        messages.success(request, _("The draft contract was deleted."))
        return redirect("contracts:index", slug=territory.slug)
    context = {"territory": territory, "contract": contract}
    return _form_page(request, "funding/contract_delete.html", context, blocked=blocked)


# Co-funders --------------------------------------------------------------------------------------


def _party_of(contract: Contract, party_pk: int) -> ContractParty:
    party = next((party for party in contract.parties.all() if party.pk == party_pk), None)
    if party is None:
        raise Http404
    return party


@login_required
def party_new(request, slug: str, pk: int):
    territory, contract = preparable_contract(request, slug, pk)
    form = PartyForm(request.POST or None, contract=contract)
    blocked = status_errors(contract, S.DRAFT)

    def save():
        data = form.cleaned_data
        return party_add(
            actor=request.user,
            contract=contract,
            funder=data["funder"],
            amount=data["amount"],
            programme=data["programme"],
        )

    if not blocked and (party := saved_through(request, form, save)):
        messages.success(request, _("%(funder)s joined the contract.") % {"funder": party.funder.name})
        return redirect(contract)
    context = {"territory": territory, "contract": contract, "form": form, "party": None}
    return _form_page(request, "funding/party_form.html", context, blocked=blocked)


@login_required
def party_edit(request, slug: str, pk: int, party: int):
    """A share changes: the lead funder and the territory admin, or the co-funder itself."""
    territory, contract = readable_contract(request, slug, pk)
    party = _party_of(contract, party)
    if not (can_prepare(request.user, contract) or is_funder_member(request.user, party.funder)):
        raise Http404
    form = PartyEditForm(request.POST or None, party=party)
    blocked = status_errors(contract, S.DRAFT)

    def save():
        data = form.cleaned_data
        return party_update(
            actor=request.user, party=party, amount=data["amount"], programme=data["programme"]
        )

    if not blocked and saved_through(request, form, save):
        messages.success(request, _("The share of %(funder)s was saved.") % {"funder": party.funder.name})
        return redirect(contract)
    context = {"territory": territory, "contract": contract, "form": form, "party": party}
    return _form_page(request, "funding/party_form.html", context, blocked=blocked)


@login_required
def party_remove_page(request, slug: str, pk: int, party: int):
    territory, contract = preparable_contract(request, slug, pk)
    party = _party_of(contract, party)
    form = forms.Form(request.POST if request.method == "POST" else None)
    blocked = status_errors(contract, S.DRAFT)

    def save():
        party_remove(actor=request.user, party=party)
        return party

    if not blocked and saved_through(request, form, save):
        messages.success(request, _("%(funder)s left the contract.") % {"funder": party.funder.name})
        return redirect(contract)
    context = {
        "territory": territory,
        "contract": contract,
        "form": form,
        "action": REMOVE_PARTY,
        "party": party,
        "target": reverse("contracts:party_remove", args=[territory.slug, contract.pk, party.pk]),
    }
    return _form_page(request, "funding/contract_action.html", context, blocked=blocked)


# The life cycle ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    title: Promise
    text: Promise
    button: Promise
    done: Promise
    form: type[forms.Form] = forms.Form


REMOVE_PARTY = Action(
    "party_remove",
    gettext_lazy("Remove a co-funder"),
    gettext_lazy(
        "Remove this co-funder from the draft? Its share, its tranches and its budget lines go with it."
    ),
    gettext_lazy("Remove"),
    gettext_lazy("The co-funder left the contract."),
)
ACTIONS = {
    action.name: action
    for action in (
        Action(
            "propose",
            gettext_lazy("Propose the contract for signature"),
            gettext_lazy(
                "Propose the contract to the territory and to every co-funder? It can no longer be changed, "
                "unless the proposal is withdrawn; each party then signs."
            ),
            gettext_lazy("Propose for signature"),
            gettext_lazy("The contract was proposed for signature."),
        ),
        Action(
            "withdraw",
            gettext_lazy("Withdraw the proposal"),
            gettext_lazy(
                "Withdraw the proposal to change the contract? It becomes a draft again and the "
                "signatures already given are erased."
            ),
            gettext_lazy("Withdraw the proposal"),
            gettext_lazy("The proposal was withdrawn: the contract is a draft again."),
        ),
        Action(
            "sign",
            gettext_lazy("Sign the contract"),
            gettext_lazy(
                "Sign the contract as it stands? The signature is recorded with your name and the date; "
                "once every party has signed, each co-funder becomes a partner of the territory."
            ),
            gettext_lazy("Sign"),
            gettext_lazy("The signature was recorded."),
        ),
        Action(
            "activate",
            gettext_lazy("Start the contract"),
            gettext_lazy(
                "Start the signed contract? Its tranches can then be committed and paid, and the territory "
                "records what it spends."
            ),
            gettext_lazy("Start the contract"),
            gettext_lazy("The contract is active."),
        ),
        Action(
            "review",
            gettext_lazy("Record the mid-term review"),
            gettext_lazy("Record what the mid-term review found; the contract goes on until it closes."),
            gettext_lazy("Record the review"),
            gettext_lazy("The mid-term review was recorded."),
            ReviewForm,
        ),
        Action(
            "close",
            gettext_lazy("Close the contract"),
            gettext_lazy("Close the contract? Nothing can be paid or spent on it afterwards."),
            gettext_lazy("Close the contract"),
            gettext_lazy("The contract was closed."),
            CloseForm,
        ),
    )
}


def _may_act(user, contract: Contract, name: str, funder) -> bool:
    """Whether `user` may ever make this move on this contract (its status aside)."""
    lead, admin = is_lead_member(user, contract), is_territory_admin(user, contract)
    if name == "sign":
        return is_funder_admin(user, funder.pk) if funder is not None else admin
    return lead or admin if name in ("withdraw", "review") else lead


def _signing_funder(request, contract: Contract):
    """The co-funder signing (`funder`, its short name, in the address or the form), or None for the
    territory; a funder not party to the contract is a 404."""
    slug = request.POST.get("funder") or request.GET.get("funder")
    if not slug:
        return None
    party = next((party for party in contract.parties.all() if party.funder.slug == slug), None)
    if party is None:
        raise Http404
    return party.funder


def _move(request, contract: Contract, name: str, form, funder):
    actor = request.user
    if name == "propose":
        return contract_propose(actor=actor, contract=contract)
    if name == "withdraw":
        return contract_withdraw(actor=actor, contract=contract)
    if name == "sign":
        return contract_sign(actor=actor, contract=contract, funder=funder)
    if name == "activate":
        return contract_activate(actor=actor, contract=contract)
    if name == "review":
        return contract_review(actor=actor, contract=contract, review=form.cleaned_data["mid_term_review"])
    return contract_close(actor=actor, contract=contract, note=form.cleaned_data["closing_note"])


@login_required
def contract_action(request, slug: str, pk: int, action: str):
    """The confirmation page of one move of the life cycle, and its POST."""
    territory, contract = readable_contract(request, slug, pk)
    spec = ACTIONS[action]
    funder = _signing_funder(request, contract) if action == "sign" else None
    if not _may_act(request.user, contract, action, funder):
        raise Http404
    form = spec.form(request.POST if request.method == "POST" else None)
    if saved_through(request, form, lambda: _move(request, contract, action, form, funder)):
        messages.success(request, spec.done)
        return redirect(contract)
    target = reverse(f"contracts:{action}", args=[territory.slug, contract.pk])
    context = {
        "territory": territory,
        "contract": contract,
        "form": form,
        "action": spec,
        "funder": funder,
        "target": target,
        "problems": proposal_problems(contract) if action == "propose" and contract.status == S.DRAFT else {},
    }
    return _form_page(request, "funding/contract_action.html", context)
