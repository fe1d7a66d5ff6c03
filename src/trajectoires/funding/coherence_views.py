"""The coherence page of a contract (F6, C5): what each co-funder requires, the contradictions and
duplicate burdens the checker finds — each with the rule that found it — and the one reporting
calendar merged from every funder's. Every party reads it; a co-funder's members record and remove
its own requirements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectoires.accounts.models import Funder
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .coherence import RequirementInput, coherence_check, requirement_add, requirement_remove
from .coherence_forms import RequirementForm
from .models import ContractStatus
from .permissions import party_funder_ids
from .selectors import contract_get


def _page(request, slug: str, pk: int, form=None, status: int = 200):
    territory = territory_get(slug)
    contract = contract_get(request.user, territory, pk)
    mine = party_funder_ids(request.user, contract)
    may_record = bool(mine) and contract.status != ContractStatus.CLOSED
    requirements = contract.requirements.select_related("funder", "category")
    context = {
        "territory": territory,
        "contract": contract,
        "coherence": coherence_check(contract),
        "requirements": requirements,
        "mine": mine,
        "form": form or (RequirementForm(funders=Funder.objects.filter(pk__in=mine)) if may_record else None),
    }
    return render(request, "funding/coherence.html", context, status=status)


def coherence_page(request, slug: str, pk: int):
    return _page(request, slug, pk)


@login_required
@require_POST
def requirement_new(request, slug: str, pk: int):
    territory = territory_get(slug)
    contract = contract_get(request.user, territory, pk)
    form = RequirementForm(
        request.POST, funders=Funder.objects.filter(pk__in=party_funder_ids(request.user, contract))
    )

    def save():
        data = form.cleaned_data
        return requirement_add(
            actor=request.user,
            contract=contract,
            funder=data["funder"],
            data=RequirementInput(
                kind=data["kind"],
                due_month=data["due_month"],
                due_day=data["due_day"],
                report_format=data["report_format"],
                indicator=data["indicator"],
                definition=data["definition"],
                category=data["category"],
                percent=data["percent"],
                note=data["note"],
            ),
        )

    if saved_through(request, form, save) is None:
        return _page(request, slug, pk, form=form, status=400)
    messages.success(request, _("The requirement was recorded; the check below takes it into account."))
    return redirect("contracts:coherence", slug=slug, pk=pk)


@login_required
@require_POST
def requirement_delete(request, slug: str, pk: int, requirement: int):
    territory = territory_get(slug)
    contract = contract_get(request.user, territory, pk)
    target = contract.requirements.select_related("funder").filter(pk=requirement).first()
    if target is None or target.funder_id not in party_funder_ids(request.user, contract):
        raise Http404
    requirement_remove(actor=request.user, requirement=target)
    messages.success(request, _("The requirement was removed."))
    return redirect("contracts:coherence", slug=slug, pk=pk)
