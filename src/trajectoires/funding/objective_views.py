"""The pages inside a contract for its objectives (F10), shown on the contract's page (partial
`funding/_objectives.html`); these views are their writes.

- On a draft, who prepares the contract writes, rewrites and deletes its objectives, tied to the
  orientations of the territory's vision and to key actions of the référentiel.
- While the contract runs, the territory's writers and the lead funder re-adjust an objective (new
  wording, reason, what was learnt) and close it; each co-funder's admin accepts a re-adjustment for
  that co-funder, and it is in force once every co-funder has accepted.
- An objective « abandoned — lesson learnt » is closed with its lesson: it counts as learning.
- A contract, an objective or a write the viewer may not reach answers 404; a refusal of the rules
  shows the form again (400) with the message next to the field it names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import objectives
from .budget import RUNNING
from .budget_views import confirm_page, contract_of, form_page, require, section_url, within
from .models import Contract, Objective
from .models import ContractStatus as S
from .objective_forms import CloseForm, ObjectiveForm, ReadjustForm
from .permissions import can_follow, can_prepare, is_funder_admin


def _preparing(request, contract: Contract) -> None:
    require(contract.status == S.DRAFT and can_prepare(request.user, contract))


def _following(request, contract: Contract) -> None:
    require(contract.status in RUNNING and can_follow(request.user, contract))


def _objective_of(contract: Contract, pk: int) -> Objective:
    return within(contract.objectives.all(), pk)


@login_required
def objective_new(request, slug: str, pk: int):
    contract = contract_of(request, slug, pk)
    _preparing(request, contract)
    form = ObjectiveForm(request.POST or None, territory=contract.territory)

    def save():
        return objectives.objective_create(actor=request.user, contract=contract, data=form.objective_input())

    context = {"contract": contract, "objective": None}
    message = _("The objective was added.")
    return form_page(request, "funding/objective_form.html", context, form, save, message, "objectifs")


@login_required
def objective_edit(request, slug: str, pk: int, objective: int):
    contract = contract_of(request, slug, pk)
    objective = _objective_of(contract, objective)
    _preparing(request, contract)
    version = objectives.current_version(objective)
    form = ObjectiveForm.for_objective(objective, version, request.POST or None)

    def save():
        return objectives.objective_update(
            actor=request.user, objective=objective, data=form.objective_input()
        )

    context = {"contract": contract, "objective": objective}
    message = _("The objective was saved.")
    return form_page(request, "funding/objective_form.html", context, form, save, message, "objectifs")


@login_required
def objective_remove(request, slug: str, pk: int, objective: int):
    contract = contract_of(request, slug, pk)
    objective = _objective_of(contract, objective)
    _preparing(request, contract)
    context = {"contract": contract, "objective": objective, "version": objectives.current_version(objective)}
    return confirm_page(
        request,
        "funding/objective_delete.html",
        context,
        lambda: objectives.objective_delete(actor=request.user, objective=objective),
        _("The objective was deleted."),
        "objectifs",
    )


@login_required
def objective_readjust(request, slug: str, pk: int, objective: int):
    contract = contract_of(request, slug, pk)
    objective = _objective_of(contract, objective)
    _following(request, contract)
    version = objectives.current_version(objective)
    form = ReadjustForm.for_version(version, request.POST or None)

    def save():
        data = form.cleaned_data
        return objectives.objective_readjust(
            actor=request.user,
            objective=objective,
            statement=data["statement"],
            target=data["target"],
            reason=data["reason"],
            learning=data["learning"],
        )

    context = {"contract": contract, "objective": objective, "version": version}
    message = _("The re-adjustment was proposed to the co-funders.")
    return form_page(request, "funding/objective_readjust.html", context, form, save, message, "objectifs")


@login_required
def objective_close(request, slug: str, pk: int, objective: int):
    contract = contract_of(request, slug, pk)
    objective = _objective_of(contract, objective)
    require(contract.status in (*RUNNING, S.CLOSED) and can_follow(request.user, contract))
    require(not objective.outcome)
    form = CloseForm(request.POST or None)

    def save():
        data = form.cleaned_data
        return objectives.objective_close(
            actor=request.user, objective=objective, outcome=data["outcome"], note=data["outcome_note"]
        )

    context = {"contract": contract, "objective": objective, "version": objectives.current_version(objective)}
    message = _("The objective was closed.")
    return form_page(request, "funding/objective_close.html", context, form, save, message, "objectifs")


@login_required
@require_POST
def objective_agree(request, slug: str, pk: int, objective: int, funder: int):
    """A co-funder's admin accepts the pending re-adjustment for that co-funder."""
    contract = contract_of(request, slug, pk)
    objective = _objective_of(contract, objective)
    chosen = within([party.funder for party in contract.parties.all()], funder)
    require(is_funder_admin(request.user, chosen.pk))
    pending = objectives.pending_version(objective)
    require(pending is not None)
    try:
        objectives.objective_agree(actor=request.user, version=pending, funder=chosen)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = {
            "territory": contract.territory,
            "contract": contract,
            "objective": objective,
            "version": pending,
            "refusal": error.messages,
        }
        return render(request, "funding/objective_refused.html", context, status=400)
    messages.success(
        request, _("%(funder)s accepted the re-adjustment of the objective.") % {"funder": chosen.name}
    )
    return redirect(section_url(contract, "objectifs"))
