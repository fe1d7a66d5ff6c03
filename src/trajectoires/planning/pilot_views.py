from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .iterations import PilotClosed, ensure_open, iteration_record
from .permissions import can_add_pilot, can_edit_pilot
from .pilot_forms import IterationForm, PilotFilterForm, PilotForm, SheetForm
from .pilots import access_pilot, pilot_create, pilot_delete, pilot_list, pilot_update, written_pilot
from .sheets import published_sheets, sheet_page, sheet_publish, sheet_save, sheet_unpublish

PILOTS_PER_PAGE = 30
SHEETS_PER_PAGE = 30


def pilots_page(request, slug: str):
    territory = territory_get(slug)
    filter_form = PilotFilterForm(request.GET)
    pilots = pilot_list(request.user, territory, status=filter_form.chosen_status())
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "page": Paginator(pilots, PILOTS_PER_PAGE).get_page(request.GET.get("page")),
        "can_add": can_add_pilot(request.user, territory),
    }
    return render(request, "planning/pilots.html", context)


def pilot_page(request, slug: str, pk: int):
    territory = territory_get(slug)
    pilot = access_pilot(request.user, territory, pk)
    context = {"territory": territory, "pilot": pilot, "can_edit": can_edit_pilot(request.user, pilot)}
    return render(request, "planning/pilot.html", context)


def _editable(request, slug: str, pk: int):
    territory = territory_get(slug)
    pilot = access_pilot(request.user, territory, pk)
    if not can_edit_pilot(request.user, pilot):
        raise Http404
    return territory, pilot


@login_required
def pilot_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_pilot(request.user, territory):
        raise Http404
    form = PilotForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return pilot_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _pilot_form_page(request, territory, form, None, save)


@login_required
def pilot_edit(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    form = PilotForm.for_pilot(pilot, request.POST or None, viewer=request.user)

    def save():
        return pilot_update(actor=request.user, pilot=pilot, **form.cleaned_data)

    return _pilot_form_page(request, territory, form, pilot, save)


def _pilot_form_page(request, territory, form, pilot, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The pilot was saved."))
        if written_pilot(request.user, territory, saved) is None:  # a contributor's private pilot
            return redirect("pilots:list", slug=territory.slug)
        return redirect("pilots:detail", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "pilot": pilot}
    return render(request, "planning/pilot_form.html", context)


@login_required
def pilot_remove(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    if request.method == "POST":
        pilot_delete(actor=request.user, pilot=pilot)
        messages.success(request, _("The pilot was deleted."))
        return redirect("pilots:list", slug=territory.slug)
    return render(request, "planning/pilot_delete.html", {"territory": territory, "pilot": pilot})


@login_required
def pilot_iterate(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    context = {"territory": territory, "pilot": pilot, "number": len(pilot.iterations.all()) + 1}
    try:
        ensure_open(pilot)
    except PilotClosed as closed:
        return render(request, "planning/pilot_iteration_form.html", context | {"closed": closed.messages[0]})
    form = IterationForm.for_pilot(pilot, request.POST or None)

    def save():
        return iteration_record(actor=request.user, pilot=pilot, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        messages.success(request, _("Iteration %(number)s was recorded.") % {"number": saved.number})
        return redirect("pilots:detail", slug=territory.slug, pk=pilot.pk)
    return render(request, "planning/pilot_iteration_form.html", context | {"form": form})


# Transferability sheets --------------------------------------------------------------------------


def sheet_detail(request, slug: str, pk: int, *, publish_errors: list[str] | None = None):
    territory = territory_get(slug)
    page = sheet_page(request.user, territory, pk)
    context = {
        "territory": territory,
        "page": page,
        "pilot": page.pilot,
        "sheet": page.sheet,
        "can_edit": page.pilot_readable and can_edit_pilot(request.user, page.pilot),
        "publish_errors": publish_errors or [],
    }
    return render(request, "planning/sheet.html", context)


@login_required
def sheet_edit(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    sheet = getattr(pilot, "sheet", None)
    form = SheetForm.for_sheet(sheet, request.POST or None)

    def save():
        return sheet_save(actor=request.user, pilot=pilot, **form.cleaned_data)

    if saved_through(request, form, save):
        messages.success(request, _("The transferability sheet was saved."))
        return redirect("pilots:sheet", slug=territory.slug, pk=pilot.pk)
    context = {"territory": territory, "pilot": pilot, "sheet": sheet, "form": form}
    return render(request, "planning/sheet_form.html", context)


@login_required
@require_POST
def sheet_publish_view(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    try:
        sheet_publish(actor=request.user, pilot=pilot)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as refused:
        return sheet_detail(request, slug, pk, publish_errors=refused.messages)
    messages.success(request, _("The transferability sheet is published to the alliance."))
    return redirect("pilots:sheet", slug=territory.slug, pk=pilot.pk)


@login_required
@require_POST
def sheet_unpublish_view(request, slug: str, pk: int):
    territory, pilot = _editable(request, slug, pk)
    try:
        sheet_unpublish(actor=request.user, pilot=pilot)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The transferability sheet is no longer published."))
    return redirect("pilots:sheet", slug=territory.slug, pk=pilot.pk)


def sheets_page(request):
    """Every published sheet of the alliance the viewer may read, for the assembly."""
    page = Paginator(published_sheets(request.user), SHEETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "planning/sheets.html", {"page": page})
