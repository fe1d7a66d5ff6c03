from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .action_forms import SERVICES_LIST_ID, ActionFilterForm, ActionForm
from .actions import (
    access_action,
    action_create,
    action_delete,
    action_update,
    can_read_action,
    services_of,
)
from .permissions import can_add_action, can_edit_action
from .trajectory import trajectory_of


def trajectory_index(request, slug: str):
    territory = territory_get(slug)
    filter_form = ActionFilterForm(request.GET, viewer=request.user, territory=territory)
    filters = filter_form.filters()
    trajectory = trajectory_of(request.user, territory, filters)
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filtered": filters.active,
        "gaps": trajectory.gaps,
        "silos": trajectory.silos,
        "can_add": can_add_action(request.user, territory),
    }
    return render(request, "planning/trajectory.html", context)


def action_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    action = access_action(request.user, territory, pk)
    context = {"territory": territory, "action": action, "can_edit": can_edit_action(request.user, action)}
    return render(request, "planning/action.html", context)


@login_required
def action_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_action(request.user, territory):
        raise Http404
    form = ActionForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return action_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _form_page(request, territory, form, None, save)


@login_required
def action_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    action = access_action(request.user, territory, pk)
    if not can_edit_action(request.user, action):
        raise Http404
    form = ActionForm.for_action(action, request.POST or None, viewer=request.user)

    def save():
        return action_update(actor=request.user, action=action, **form.cleaned_data)

    return _form_page(request, territory, form, action, save)


@login_required
def action_remove(request, slug: str, pk: int):
    territory = territory_get(slug)
    action = access_action(request.user, territory, pk)
    if not can_edit_action(request.user, action):
        raise Http404
    if request.method == "POST":
        action_delete(actor=request.user, action=action)
        messages.success(request, _("The action was deleted."))
        return redirect("trajectory:index", slug=territory.slug)
    return render(request, "planning/action_delete.html", {"territory": territory, "action": action})


def _form_page(request, territory, form, action, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The action was saved."))
        if not can_read_action(request.user, saved):  # a contributor's private action: the team's
            return redirect("trajectory:index", slug=territory.slug)
        return redirect("trajectory:action", slug=territory.slug, pk=saved.pk)
    context = {
        "territory": territory,
        "form": form,
        "action": action,
        "services": services_of(request.user, territory),
        "services_list_id": SERVICES_LIST_ID,
    }
    return render(request, "planning/action_form.html", context)
