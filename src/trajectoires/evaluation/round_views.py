"""The pages that frame and select the stories of change: the selection rounds — one round with its
panel, the story it selected and why, the others it considered; record, change, delete a round —
and the frame of the writers, where the territory's domains of change and reporting periods are
listed, added, changed and deleted.

- A round reads as its visibility; the stories it lists are only those the viewer may read.
- Rounds and the frame are the writers' (admin, editor) to change: to anyone else their write
  pages, and the frame, answer 404 like a missing page.
- A domain or a period that stories or rounds belong to cannot be deleted: the service says so on
  the confirmation page, and nothing is deleted.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .round_forms import RoundForm, listed_period
from .selection_rounds import access_round, round_create, round_delete, round_stories, round_update
from .stories import (
    domain_delete,
    domain_save,
    period_delete,
    period_save,
    territory_domains,
    territory_periods,
)
from .story_forms import DomainForm, PeriodForm


def writer_territory(request, slug: str):
    """The territory, when `request.user` writes in it; a 404 otherwise."""
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory


def editable_round(request, slug: str, pk: int):
    territory = territory_get(slug)
    selection = access_round(request.user, territory, pk)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory, selection


def round_saved(request, selection, message: str):
    messages.success(request, message)
    return redirect("stories:round", slug=selection.territory.slug, pk=selection.pk)


# A round -----------------------------------------------------------------------------------------


def round_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    selection = access_round(request.user, territory, pk)
    selected, others = round_stories(request.user, selection)
    readable = readable_actor_ids(request.user, territory.pk)
    members = Actor.objects.filter(pk__in=selection.panel_actors.values("pk")).select_related("category")
    panel = sorted(
        (ActorView.of(actor, readable) for actor in members.order_by("id")),
        key=lambda view: (view.name is None, (view.name or "").lower(), view.id),
    )
    context = {
        "territory": territory,
        "selection": selection,
        "selected": selected,
        "others": others,
        "panel": panel,
        "can_edit": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/round.html", context)


@login_required
def round_new(request, slug: str):
    territory = writer_territory(request, slug)
    period = listed_period(territory, request.POST.get("period"), request.GET.get("period"))
    form = RoundForm(request.POST or None, viewer=request.user, territory=territory, period=period)

    def save():
        return round_create(actor=request.user, territory=territory, **form.service_values())

    if saved := saved_through(request, form, save):
        return round_saved(request, saved, _("The selection round was recorded."))
    return _round_form_page(request, territory, form, None, period)


@login_required
def round_edit(request, slug: str, pk: int):
    territory, selection = editable_round(request, slug, pk)
    period = listed_period(territory, request.POST.get("period"), request.GET.get("period"), selection.period)
    form = RoundForm.for_round(selection, request.POST or None, viewer=request.user, period=period)

    def save():
        return round_update(actor=request.user, selection=selection, **form.service_values())

    if saved := saved_through(request, form, save):
        return round_saved(request, saved, _("The selection round was saved."))
    return _round_form_page(request, territory, form, selection, period)


def _round_form_page(request, territory, form, selection, period):
    context = {
        "territory": territory,
        "form": form,
        "selection": selection,
        "period": period,
        "periods": [item for item in territory_periods(territory) if item != period],
    }
    return render(request, "evaluation/round_form.html", context)


@login_required
def round_remove(request, slug: str, pk: int):
    territory, selection = editable_round(request, slug, pk)
    if request.method == "POST":
        round_delete(actor=request.user, selection=selection)
        messages.success(request, _("The selection round was deleted."))
        return redirect("stories:index", slug=territory.slug)
    context = {"territory": territory, "selection": selection}
    return render(request, "evaluation/round_delete.html", context)


# The frame: domains and periods ------------------------------------------------------------------


@login_required
def frame_page(request, slug: str):
    territory = writer_territory(request, slug)
    context = {
        "territory": territory,
        "domains": territory_domains(territory),
        "periods": territory_periods(territory),
    }
    return render(request, "evaluation/change_frame.html", context)


FRAMES = {
    "domain": {
        "records": territory_domains,
        "form": DomainForm,
        "fields": ("name", "description"),
        "save": lambda actor, territory, record, values: domain_save(
            actor=actor, territory=territory, domain=record, **values
        ),
        "delete": lambda actor, record: domain_delete(actor=actor, domain=record),
        "titles": (
            gettext_lazy("Add a domain of change"),
            gettext_lazy("Edit the domain of change"),
            gettext_lazy("Delete the domain"),
        ),
        "saved": gettext_lazy("The domain of change was saved."),
        "deleted": gettext_lazy("The domain of change was deleted."),
    },
    "period": {
        "records": territory_periods,
        "form": PeriodForm,
        "fields": ("label", "starts_on", "ends_on"),
        "save": lambda actor, territory, record, values: period_save(
            actor=actor, territory=territory, period=record, **values
        ),
        "delete": lambda actor, record: period_delete(actor=actor, period=record),
        "titles": (
            gettext_lazy("Add a reporting period"),
            gettext_lazy("Edit the reporting period"),
            gettext_lazy("Delete the period"),
        ),
        "saved": gettext_lazy("The reporting period was saved."),
        "deleted": gettext_lazy("The reporting period was deleted."),
    },
}


def _frame_record(territory, kind: str, pk: int | None):
    if pk is None:
        return None
    record = FRAMES[kind]["records"](territory).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def frame_form(request, slug: str, kind: str, pk: int | None = None):
    """Add (no `pk`) or change a domain of change or a reporting period."""
    territory = writer_territory(request, slug)
    frame = FRAMES[kind]
    record = _frame_record(territory, kind, pk)
    initial = {name: getattr(record, name) for name in frame["fields"]} if record else None
    form = frame["form"](request.POST or None, initial=initial)

    def save():
        return frame["save"](request.user, territory, record, form.cleaned_data)

    if saved_through(request, form, save):
        messages.success(request, frame["saved"])
        return redirect("stories:frame", slug=territory.slug)
    title = frame["titles"][1 if record else 0]
    context = {"territory": territory, "form": form, "title": title, "record": record}
    return render(request, "evaluation/change_frame_form.html", context)


def frame_delete(request, slug: str, kind: str, pk: int):
    territory = writer_territory(request, slug)
    frame = FRAMES[kind]
    record = _frame_record(territory, kind, pk)
    errors = []
    if request.method == "POST":
        try:
            frame["delete"](request.user, record)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, frame["deleted"])
            return redirect("stories:frame", slug=territory.slug)
    context = {
        "territory": territory,
        "record": record,
        "kind": kind,
        "title": frame["titles"][2],
        "errors": errors,
    }
    return render(request, "evaluation/change_frame_delete.html", context)


@login_required
def domain_form(request, slug: str, pk: int | None = None):
    return frame_form(request, slug, "domain", pk)


@login_required
def period_form(request, slug: str, pk: int | None = None):
    return frame_form(request, slug, "period", pk)


@login_required
def domain_remove(request, slug: str, pk: int):
    return frame_delete(request, slug, "domain", pk)


@login_required
def period_remove(request, slug: str, pk: int):
    return frame_delete(request, slug, "period", pk)
