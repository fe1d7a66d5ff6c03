from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.territories.selectors import territory_get

from .forms import JournalEntryForm
from .permissions import can_add_journal_entry, can_edit_journal_entry
from .selectors import access_journal_entry, journal_entries
from .services import journal_entry_create, journal_entry_update

ENTRIES_PER_PAGE = 50


def journal(request, slug: str):
    territory = territory_get(slug)
    page = Paginator(journal_entries(request.user, territory), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "territory": territory,
        "entries": page,
        "page": page,
        "can_add": can_add_journal_entry(request.user, territory),
    }
    return render(request, "steering/journal.html", context)


def journal_entry(request, slug: str, pk: int):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    context = {
        "territory": territory,
        "entry": entry,
        "can_edit": can_edit_journal_entry(request.user, entry),
    }
    return render(request, "steering/journal_entry.html", context)


@login_required
def journal_entry_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_journal_entry(request.user, territory):
        raise Http404
    form = JournalEntryForm(request.POST or None)

    def save():
        return journal_entry_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _entry_form_page(request, territory, form, None, save)


@login_required
def journal_entry_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    if not can_edit_journal_entry(request.user, entry):
        raise Http404
    form = JournalEntryForm.for_entry(entry, request.POST or None)

    def save():
        return journal_entry_update(actor=request.user, entry=entry, **form.cleaned_data)

    return _entry_form_page(request, territory, form, entry, save)


def _entry_form_page(request, territory, form, entry, save):
    """The entry form: on a valid POST, `save()` through the service, then show the entry."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except (ValidationError, PermissionDenied) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The journal entry was saved."))
            return redirect(saved)
    context = {"territory": territory, "form": form, "entry": entry}
    return render(request, "steering/journal_form.html", context)


def _refuse(form, error) -> None:
    if isinstance(error, PermissionDenied):
        raise Http404
    form.add_error(None, error)
