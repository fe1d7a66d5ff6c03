"""Reads of the steering records, always through the viewer's visibility."""

from django.db.models import QuerySet
from django.http import Http404

from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .models import JournalEntry


def journal_entries(viewer, territory: Territory) -> QuerySet[JournalEntry]:
    """The territory's journal as `viewer` may read it, newest first."""
    entries = JournalEntry.objects.filter(territory=territory).select_related("author", "territory")
    return visible_to(entries, viewer).prefetch_related("key_actions").order_by("-occurred_on", "-id")


def access_journal_entry(viewer, territory: Territory, pk: int) -> JournalEntry:
    """The entry, or the same 404 whether it does not exist or `viewer` may not read it."""
    entry = journal_entries(viewer, territory).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry
