"""The pages of outcome harvesting: the outcomes with their filters, the short story of one outcome
with the views of independent people, and the writes — harvest, change, delete an outcome, add an
independent person's view.

- Every page reads through the services' selectors; an outcome the viewer may not read, and a write
  page the viewer may not use, answer 404 like a missing one.
- The story names its harvester to the territory team only; anyone else reads what changed, why it
  matters and who substantiated it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import is_territory_team
from trajectoires.territories.selectors import territory_get

from .outcome_forms import OutcomeFilterForm, OutcomeForm, SubstantiationForm
from .outcomes import (
    access_outcome,
    outcome_create,
    outcome_delete,
    outcome_list,
    outcome_page,
    outcome_update,
    readable_outcomes,
    substantiation_add,
)
from .permissions import can_add_outcome, can_edit_outcome, can_substantiate

OUTCOMES_PER_PAGE = 30


def editable_outcome(request, slug: str, pk: int):
    """The territory and the outcome `request.user` may change, or a 404."""
    territory = territory_get(slug)
    outcome = access_outcome(request.user, territory, pk)
    if not can_edit_outcome(request.user, outcome):
        raise Http404
    return territory, outcome


def saved_and_back(request, outcome, message: str):
    """After a write: back to the outcome's story, with what was done."""
    messages.success(request, message)
    return redirect("outcomes:detail", slug=outcome.territory.slug, pk=outcome.pk)


# The outcomes ------------------------------------------------------------------------------------


def outcomes_page(request, slug: str):
    territory = territory_get(slug)
    filter_form = OutcomeFilterForm(request.GET)
    chosen = filter_form.chosen()
    outcomes = outcome_list(request.user, territory, **chosen)
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filtered": bool(chosen),
        "page": Paginator(outcomes, OUTCOMES_PER_PAGE).get_page(request.GET.get("page")),
        "can_add": can_add_outcome(request.user, territory),
    }
    return render(request, "evaluation/outcomes.html", context)


def outcome_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    page = outcome_page(request.user, territory, pk)
    can_edit = can_edit_outcome(request.user, page.outcome)
    can_add_view = can_substantiate(request.user, territory)
    context = {
        "territory": territory,
        "page": page,
        "outcome": page.outcome,
        "team": is_territory_team(request.user, territory),
        "can_edit": can_edit,
        "can_substantiate": can_add_view,
        "has_actions": can_edit or can_add_view,
    }
    return render(request, "evaluation/outcome.html", context)


# Harvest, change, delete -------------------------------------------------------------------------


@login_required
def outcome_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_outcome(request.user, territory):
        raise Http404
    form = OutcomeForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return outcome_create(actor=request.user, territory=territory, **form.service_values())

    return _outcome_form_page(request, territory, form, None, save, _("The outcome was harvested."))


@login_required
def outcome_edit(request, slug: str, pk: int):
    territory, outcome = editable_outcome(request, slug, pk)
    form = OutcomeForm.for_outcome(outcome, request.POST or None, viewer=request.user)

    def save():
        return outcome_update(actor=request.user, outcome=outcome, **form.service_values())

    return _outcome_form_page(request, territory, form, outcome, save, _("The outcome was saved."))


def _outcome_form_page(request, territory, form, outcome, save, message: str):
    if saved := saved_through(request, form, save):
        if not readable_outcomes(request.user, territory).filter(pk=saved.pk).exists():
            # A contributor may harvest a private outcome: it is then the team's to read.
            messages.success(request, message)
            return redirect("outcomes:index", slug=territory.slug)
        return saved_and_back(request, saved, message)
    context = {"territory": territory, "form": form, "outcome": outcome}
    return render(request, "evaluation/outcome_form.html", context)


@login_required
def outcome_remove(request, slug: str, pk: int):
    territory, outcome = editable_outcome(request, slug, pk)
    if request.method == "POST":
        outcome_delete(actor=request.user, outcome=outcome)
        messages.success(request, _("The outcome was deleted."))
        return redirect("outcomes:index", slug=territory.slug)
    context = {"territory": territory, "outcome": outcome}
    return render(request, "evaluation/outcome_delete.html", context)


# The views of independent people -----------------------------------------------------------------


@login_required
def substantiation_new(request, slug: str, pk: int):
    territory = territory_get(slug)
    outcome = access_outcome(request.user, territory, pk)
    if not can_substantiate(request.user, territory):
        raise Http404
    form = SubstantiationForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return substantiation_add(actor=request.user, outcome=outcome, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, outcome, _("The view was recorded."))
    context = {"territory": territory, "outcome": outcome, "form": form}
    return render(request, "evaluation/outcome_substantiation_form.html", context)
