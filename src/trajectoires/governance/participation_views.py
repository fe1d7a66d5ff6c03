from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .charts import level_chart
from .decisions import (
    access_decision,
    decision_create,
    decision_delete,
    decision_update,
    decisions_of,
    ladder_items,
    months_of_co_construction,
    readable_level_distribution,
)
from .participation_forms import DecisionFilterForm, DecisionForm, MeetingForm, SpaceFilterForm, SpaceForm
from .permissions import can_add_decision, can_add_space, can_edit_decision, can_edit_space
from .spaces import (
    access_meeting,
    access_space,
    attendee_views,
    meeting_record,
    readable_spaces,
    space_create,
    space_delete,
    space_list,
    space_page,
    space_update,
)

SPACES_PER_PAGE = 30
DECISIONS_PER_PAGE = 30


# Spaces ------------------------------------------------------------------------------------------


def spaces_page(request, slug: str):
    territory = territory_get(slug)
    filter_form = SpaceFilterForm(request.GET)
    spaces = space_list(request.user, territory, kind=filter_form.chosen_kind())
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "page": Paginator(spaces, SPACES_PER_PAGE).get_page(request.GET.get("page")),
        "can_add": can_add_space(request.user, territory),
    }
    return render(request, "governance/spaces.html", context)


def space_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    page = space_page(request.user, territory, pk)
    context = {
        "territory": territory,
        "page": page,
        "space": page.space,
        "can_edit": can_edit_space(request.user, page.space),
    }
    return render(request, "governance/space.html", context)


def _editable_space(request, slug: str, pk: int):
    territory = territory_get(slug)
    space = access_space(request.user, territory, pk)
    if not can_edit_space(request.user, space):
        raise Http404
    return territory, space


@login_required
def space_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_space(request.user, territory):
        raise Http404
    form = SpaceForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return space_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _space_form_page(request, territory, form, None, save)


@login_required
def space_edit(request, slug: str, pk: int):
    territory, space = _editable_space(request, slug, pk)
    form = SpaceForm.for_space(space, request.POST or None, viewer=request.user)

    def save():
        return space_update(actor=request.user, space=space, **form.cleaned_data)

    return _space_form_page(request, territory, form, space, save)


def _space_form_page(request, territory, form, space, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The participation space was saved."))
        return redirect("participation:space", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "space": space}
    return render(request, "governance/space_form.html", context)


@login_required
def space_remove(request, slug: str, pk: int):
    territory, space = _editable_space(request, slug, pk)
    if request.method == "POST":
        space_delete(actor=request.user, space=space)
        messages.success(request, _("The participation space was deleted."))
        return redirect("participation:index", slug=territory.slug)
    return render(request, "governance/space_delete.html", {"territory": territory, "space": space})


# Meetings ----------------------------------------------------------------------------------------


@login_required
def meeting_new(request, slug: str, pk: int):
    territory, space = _editable_space(request, slug, pk)
    form = MeetingForm(request.POST or None, viewer=request.user, space=space)

    def save():
        return meeting_record(actor=request.user, space=space, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        messages.success(request, _("The meeting was recorded."))
        return redirect("participation:meeting", slug=territory.slug, pk=space.pk, meeting=saved.pk)
    context = {"territory": territory, "space": space, "form": form}
    return render(request, "governance/meeting_form.html", context)


def meeting_detail(request, slug: str, pk: int, meeting: int):
    territory = territory_get(slug)
    space = access_space(request.user, territory, pk)
    found = access_meeting(request.user, space, meeting)
    context = {
        "territory": territory,
        "space": space,
        "meeting": found,
        "attendees": attendee_views(request.user, found),
        "member_count": len(space.members.all()),
    }
    return render(request, "governance/meeting.html", context)


# Decisions ---------------------------------------------------------------------------------------


def decisions_page(request, slug: str):
    territory = territory_get(slug)
    distribution = readable_level_distribution(request.user, territory)
    levels = ladder_items()
    spaces = list(readable_spaces(request.user, territory).order_by("name", "id"))
    filter_form = DecisionFilterForm(
        request.GET, levels=levels, spaces=spaces, years=[row.year for row in distribution.years]
    )
    decisions = decisions_of(request.user, territory, **filter_form.chosen())
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "page": Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page")),
        "distribution": distribution,
        "levels": levels,
        "rows": _distribution_rows(distribution),
        "chart": level_chart(distribution, levels),
        "can_add": can_add_decision(request.user, territory),
    }
    return render(request, "governance/decisions.html", context)


def _distribution_rows(distribution):
    """Each year's counts in ladder order, for the table beside the chart."""
    return [(row, [row.counts[code] for code in distribution.levels]) for row in distribution.years]


def decision_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    decision = access_decision(request.user, territory, pk)
    context = {
        "territory": territory,
        "decision": decision,
        "months": months_of_co_construction(decision),
        "can_edit": can_edit_decision(request.user, decision),
    }
    return render(request, "governance/decision.html", context)


def _editable_decision(request, slug: str, pk: int):
    territory = territory_get(slug)
    decision = access_decision(request.user, territory, pk)
    if not can_edit_decision(request.user, decision):
        raise Http404
    return territory, decision


@login_required
def decision_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_decision(request.user, territory):
        raise Http404
    initial = {"space": request.GET.get("espace")} if request.method == "GET" else None
    form = DecisionForm(request.POST or None, initial=initial, viewer=request.user, territory=territory)

    def save():
        return decision_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _decision_form_page(request, territory, form, None, save)


@login_required
def decision_edit(request, slug: str, pk: int):
    territory, decision = _editable_decision(request, slug, pk)
    form = DecisionForm.for_decision(decision, request.POST or None, viewer=request.user)

    def save():
        return decision_update(actor=request.user, decision=decision, **form.cleaned_data)

    return _decision_form_page(request, territory, form, decision, save)


def _decision_form_page(request, territory, form, decision, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The decision was saved."))
        return redirect("participation:decision", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "decision": decision}
    return render(request, "governance/decision_form.html", context)


@login_required
def decision_remove(request, slug: str, pk: int):
    territory, decision = _editable_decision(request, slug, pk)
    if request.method == "POST":
        decision_delete(actor=request.user, decision=decision)
        messages.success(request, _("The decision was deleted."))
        return redirect("participation:decisions", slug=territory.slug)
    return render(request, "governance/decision_delete.html", {"territory": territory, "decision": decision})
