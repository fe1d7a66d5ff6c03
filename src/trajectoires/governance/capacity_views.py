"""The team page (K7) and the pages of its trainings and its organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .capacity import (
    access_training,
    participants_by_category,
    service_lines,
    shown_dgs,
    team_structure_of,
    team_structure_save,
    training_create,
    training_delete,
    training_update,
    trainings_of,
)
from .capacity_coverage import coverage_chart, training_coverage
from .capacity_forms import TeamStructureForm, TrainingForm
from .permissions import can_add_training, can_edit_team_structure, can_edit_training

TRAININGS_PER_PAGE = 30


def team_page(request, slug: str):
    territory = territory_get(slug)
    structure = team_structure_of(request.user, territory)
    coverage = training_coverage(request.user, territory)
    page = Paginator(trainings_of(request.user, territory), TRAININGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "territory": territory,
        "structure": structure,
        "dgs": shown_dgs(structure),
        "services": service_lines(structure) if structure else [],
        "coverage": coverage,
        "coverage_chart": coverage_chart(coverage) if coverage.people else None,
        "page": page,
        "trainings": [(training, participants_by_category(training)) for training in page],
        "can_add": can_add_training(request.user, territory),
        "can_edit_structure": can_edit_team_structure(request.user, territory),
    }
    return render(request, "governance/capacity.html", context)


def training_page(request, slug: str, pk: int):
    territory = territory_get(slug)
    training = access_training(request.user, territory, pk)
    context = {
        "territory": territory,
        "training": training,
        "groups": participants_by_category(training),
        "can_edit": can_edit_training(request.user, training),
    }
    return render(request, "governance/training.html", context)


def _editable(request, slug: str, pk: int):
    territory = territory_get(slug)
    training = access_training(request.user, territory, pk)
    if not can_edit_training(request.user, training):
        raise Http404
    return territory, training


@login_required
def training_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_training(request.user, territory):
        raise Http404
    form = TrainingForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return training_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _training_form_page(request, territory, form, None, save)


@login_required
def training_edit(request, slug: str, pk: int):
    territory, training = _editable(request, slug, pk)
    form = TrainingForm.for_training(training, request.POST or None, viewer=request.user)

    def save():
        return training_update(actor=request.user, training=training, **form.cleaned_data)

    return _training_form_page(request, territory, form, training, save)


def _training_form_page(request, territory, form, training, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The training was saved."))
        return redirect("capacity:training", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "training": training}
    return render(request, "governance/training_form.html", context)


@login_required
def training_remove(request, slug: str, pk: int):
    territory, training = _editable(request, slug, pk)
    if request.method == "POST":
        training_delete(actor=request.user, training=training)
        messages.success(request, _("The training was deleted."))
        return redirect("capacity:index", slug=territory.slug)
    return render(request, "governance/training_delete.html", {"territory": territory, "training": training})


@login_required
def structure_edit(request, slug: str):
    territory = territory_get(slug)
    if not can_edit_team_structure(request.user, territory):
        raise Http404
    structure = team_structure_of(request.user, territory)
    form = TeamStructureForm.for_structure(
        structure, request.POST or None, viewer=request.user, territory=territory
    )

    def save():
        return team_structure_save(actor=request.user, territory=territory, **form.cleaned_data)

    if saved_through(request, form, save):
        messages.success(request, _("The organisation of the team was saved."))
        return redirect("capacity:index", slug=territory.slug)
    context = {"territory": territory, "form": form, "structure": structure}
    return render(request, "governance/capacity_structure_form.html", context)
