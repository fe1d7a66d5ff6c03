"""The pages inside a contract for its tranches, budget lines and conditions precedent. They are
shown on the contract's page (`contracts:detail`, partials `funding/_tranches.html`, `_budget.html`,
`_locks.html`); these views are their writes.

- A contract the viewer may not read answers 404, and so does a tranche, a line or a condition of
  another contract, or a write the viewer may not make now (a service's PermissionDenied too).
- On a draft, the lead funder's members and the territory admin plan the tranches, the lines and the
  conditions; a co-funder's members plan that co-funder's own tranches.
- Once signed, a co-funder's members commit its tranches, then pay them while the contract runs;
  paying a locked tranche is refused with what unlocks it. The writers record what each line spends.
- A refusal of the rules shows the form again (400) with the message next to the field it names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from . import budget
from .budget import RUNNING
from .budget_forms import ConditionForm, LineForm, SpendForm, TrancheForm, condition_label
from .models import Contract
from .models import ContractStatus as S
from .permissions import can_follow, can_prepare, party_funder_ids
from .selectors import contract_get

SIGNED_OR_RUNNING = (S.SIGNED, *RUNNING)


def contract_of(request, slug: str, pk: int) -> Contract:
    """The contract `request.user` may read, with everything its page shows, or a 404."""
    return contract_get(request.user, territory_get(slug), pk)


def within(rows, pk: int):
    """The record `pk` among a contract's (prefetched) records, or a 404."""
    found = next((row for row in rows if row.pk == pk), None)
    if found is None:
        raise Http404
    return found


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def section_url(contract: Contract, anchor: str) -> str:
    return f"{contract.get_absolute_url()}#{anchor}"


def form_page(request, template: str, context: dict, form, save, message: str, anchor: str):
    """Save through the service on a valid POST and go back to the contract; otherwise show the form,
    with the refusals next to their fields (400)."""
    contract = context["contract"]
    if saved_through(request, form, save) is not None:
        messages.success(request, message)
        return redirect(section_url(contract, anchor))
    context = {"territory": contract.territory, "form": form, **context}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def confirm_page(request, template: str, context: dict, delete, message: str, anchor: str):
    """Ask before deleting; on POST delete through the service. A refusal is shown on the page (400)."""
    contract = context["contract"]
    refusal = []
    if request.method == "POST":
        try:
            delete()
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            refusal = error.messages
        else:
            messages.success(request, message)
            return redirect(section_url(contract, anchor))
    context = {"territory": contract.territory, "refusal": refusal, **context}
    return render(request, template, context, status=400 if refusal else 200)


# Tranches ---------------------------------------------------------------------------------------


def _tranche_parties(request, contract: Contract):
    """The co-funders whose tranches the viewer plans on a draft: every one for who prepares the
    contract, else the viewer's own funders; none (404) otherwise."""
    require(contract.status == S.DRAFT)
    parties = contract.parties.select_related("funder")
    if not can_prepare(request.user, contract):
        parties = parties.filter(funder_id__in=party_funder_ids(request.user, contract))
    require(parties.exists())
    return parties


@login_required
def tranche_new(request, slug: str, pk: int):
    contract = contract_of(request, slug, pk)
    parties = _tranche_parties(request, contract)
    form = TrancheForm(request.POST or None, contract=contract, parties=parties)

    def save():
        data = form.cleaned_data
        return budget.tranche_save(
            actor=request.user,
            party=data["party"],
            year=data["year"],
            amount=data["amount"],
            condition=data["condition"],
        )

    context = {"contract": contract, "tranche": None}
    return form_page(
        request, "funding/tranche_form.html", context, form, save, _("The tranche was planned."), "tranches"
    )


@login_required
def tranche_edit(request, slug: str, pk: int, tranche: int):
    contract = contract_of(request, slug, pk)
    tranche = within(contract.tranches.all(), tranche)
    parties = _tranche_parties(request, contract)
    require(parties.filter(pk=tranche.party_id).exists())
    form = TrancheForm.for_tranche(tranche, request.POST or None, parties=parties)

    def save():
        data = form.cleaned_data
        return budget.tranche_save(
            actor=request.user,
            party=data["party"],
            year=data["year"],
            amount=data["amount"],
            condition=data["condition"],
            tranche=tranche,
        )

    context = {"contract": contract, "tranche": tranche}
    return form_page(
        request, "funding/tranche_form.html", context, form, save, _("The tranche was saved."), "tranches"
    )


@login_required
def tranche_remove(request, slug: str, pk: int, tranche: int):
    contract = contract_of(request, slug, pk)
    tranche = within(contract.tranches.all(), tranche)
    require(_tranche_parties(request, contract).filter(pk=tranche.party_id).exists())
    return confirm_page(
        request,
        "funding/tranche_delete.html",
        {"contract": contract, "tranche": tranche},
        lambda: budget.tranche_delete(actor=request.user, tranche=tranche),
        _("The tranche was deleted."),
        "tranches",
    )


def _tranche_move(request, slug: str, pk: int, tranche: int, move, message: str):
    """Commit or pay a tranche (POST): a refusal — a locked tranche, one not committed yet — is shown
    on its own page (400), with what unlocks it."""
    contract = contract_of(request, slug, pk)
    tranche = within(contract.tranches.all(), tranche)
    require(tranche.party.funder_id in party_funder_ids(request.user, contract))
    try:
        move(actor=request.user, tranche=tranche)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = {
            "territory": contract.territory,
            "contract": contract,
            "tranche": tranche,
            "refusal": error.messages,
        }
        return render(request, "funding/tranche_refused.html", context, status=400)
    messages.success(request, message)
    return redirect(section_url(contract, "tranches"))


@login_required
@require_POST
def tranche_commit(request, slug: str, pk: int, tranche: int):
    return _tranche_move(request, slug, pk, tranche, budget.tranche_commit, _("The tranche was committed."))


@login_required
@require_POST
def tranche_pay(request, slug: str, pk: int, tranche: int):
    return _tranche_move(request, slug, pk, tranche, budget.tranche_pay, _("The tranche was paid."))


# Budget lines -----------------------------------------------------------------------------------


def _preparing(request, contract: Contract) -> None:
    require(contract.status == S.DRAFT and can_prepare(request.user, contract))


@login_required
def line_new(request, slug: str, pk: int):
    contract = contract_of(request, slug, pk)
    _preparing(request, contract)
    form = LineForm(request.POST or None, contract=contract)

    def save():
        return budget.line_save(actor=request.user, contract=contract, data=form.line_input())

    context = {"contract": contract, "line": None}
    return form_page(
        request, "funding/line_form.html", context, form, save, _("The budget line was planned."), "budget"
    )


@login_required
def line_edit(request, slug: str, pk: int, line: int):
    contract = contract_of(request, slug, pk)
    line = within(contract.budget_lines.all(), line)
    _preparing(request, contract)
    form = LineForm.for_line(line, request.POST or None)

    def save():
        return budget.line_save(actor=request.user, contract=contract, data=form.line_input(), line=line)

    context = {"contract": contract, "line": line}
    return form_page(
        request, "funding/line_form.html", context, form, save, _("The budget line was saved."), "budget"
    )


@login_required
def line_remove(request, slug: str, pk: int, line: int):
    contract = contract_of(request, slug, pk)
    line = within(contract.budget_lines.all(), line)
    _preparing(request, contract)
    return confirm_page(
        request,
        "funding/line_delete.html",
        {"contract": contract, "line": line},
        lambda: budget.line_delete(actor=request.user, line=line),
        _("The budget line was deleted."),
        "budget",
    )


@login_required
def line_spend(request, slug: str, pk: int, line: int):
    contract = contract_of(request, slug, pk)
    line = within(contract.budget_lines.all(), line)
    require(contract.status in RUNNING and can_follow(request.user, contract))
    form = SpendForm(request.POST or None, initial={"spent": line.spent}, prefix=f"line-{line.pk}")

    def save():
        return budget.line_spend(actor=request.user, line=line, spent=form.cleaned_data["spent"])

    context = {"contract": contract, "line": line}
    message = _("The spending of the line was recorded.")
    return form_page(request, "funding/line_spend.html", context, form, save, message, "budget")


# Conditions precedent ---------------------------------------------------------------------------


@login_required
def condition_new(request, slug: str, pk: int):
    contract = contract_of(request, slug, pk)
    _preparing(request, contract)
    form = ConditionForm(request.POST or None, contract=contract)

    def save():
        data = form.cleaned_data
        return budget.condition_add(
            actor=request.user,
            contract=contract,
            kind=data["kind"],
            funder=data["funder"],
            report_year=data["report_year"],
        )

    context = {"contract": contract}
    message = _("The condition precedent was added.")
    return form_page(request, "funding/condition_form.html", context, form, save, message, "conditions")


@login_required
def condition_remove(request, slug: str, pk: int, condition: int):
    contract = contract_of(request, slug, pk)
    condition = within(contract.conditions.all(), condition)
    _preparing(request, contract)
    return confirm_page(
        request,
        "funding/condition_delete.html",
        {"contract": contract, "condition": condition, "condition_label": condition_label(condition)},
        lambda: budget.condition_remove(actor=request.user, condition=condition),
        _("The condition precedent was removed."),
        "conditions",
    )
