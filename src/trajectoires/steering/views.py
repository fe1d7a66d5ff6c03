from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.core.uploads import file_download
from trajectoires.territories.selectors import territory_get

from .celebrations import celebrations_of
from .forms import JournalEntryForm, TimelineFilterForm
from .permissions import can_add_celebration, can_add_journal_entry, can_edit_journal_entry
from .selectors import (
    access_attachment,
    access_journal_entry,
    group_by_month,
    journal_entries,
    timeline,
    timeline_items,
)
from .services import journal_entry_create, journal_entry_update

ITEMS_PER_PAGE = 50


def journal(request, slug: str):
    """The timeline: the entries and the celebrations the viewer may read, newest first, grouped by
    year and month, filtered and searched."""
    territory = territory_get(slug)
    filter_form = TimelineFilterForm(request.GET, viewer=request.user, territory=territory)
    filters = filter_form.filters()
    page = Paginator(timeline(request.user, territory, filters), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filters": filters,
        "filtered": any(value for name, value in request.GET.items() if name != "page"),
        "years": group_by_month(timeline_items(request.user, territory, page.object_list)),
        "page": page,
        "can_add": can_add_journal_entry(request.user, territory),
        "can_celebrate": can_add_celebration(request.user, territory),
    }
    return render(request, "steering/journal.html", context)


def journal_entry(request, slug: str, pk: int):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    context = {
        "territory": territory,
        "entry": entry,
        "celebrations": celebrations_of(request.user, territory).filter(journal_entries=entry),
        "can_edit": can_edit_journal_entry(request.user, entry),
    }
    return render(request, "steering/journal_entry.html", context)


def journal_attachment(request, slug: str, pk: int, attachment_pk: int):
    """A file of an entry, only for those who may read the entry (404 otherwise)."""
    attachment = access_attachment(request.user, territory_get(slug), pk, attachment_pk)
    return file_download(attachment.file, name=attachment.name, content_type=attachment.content_type)


@login_required
def journal_entry_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_journal_entry(request.user, territory):
        raise Http404
    form = JournalEntryForm(
        request.POST or None, request.FILES or None, viewer=request.user, territory=territory
    )

    def save():
        return journal_entry_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _entry_form_page(request, territory, form, None, save)


@login_required
def journal_entry_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    if not can_edit_journal_entry(request.user, entry):
        raise Http404
    form = JournalEntryForm.for_entry(entry, request.POST or None, request.FILES or None, viewer=request.user)

    def save():
        return journal_entry_update(actor=request.user, entry=entry, **form.cleaned_data)

    return _entry_form_page(request, territory, form, entry, save)


def _entry_form_page(request, territory, form, entry, save):
    """The entry form: on a valid POST, `save()` through the service, then show the entry."""
    if saved := saved_through(request, form, save):
        messages.success(request, _("The journal entry was saved."))
        if not journal_entries(request.user, territory).filter(pk=saved.pk).exists():
            return redirect("steering:journal", slug=territory.slug)  # a contributor's private entry
        return redirect(saved)
    context = {"territory": territory, "form": form, "entry": entry}
    return render(request, "steering/journal_form.html", context)
