"""Reads of the journal and its timeline, always through the viewer's visibility."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Value
from django.http import Http404

from trajectoires.cooperation.models import Actor
from trajectoires.core.fulltext import matching, stems
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .models import Attachment, Celebration, JournalEntry

CELEBRATION = "celebration"  # the timeline's type filter: entry types, or the celebrations


@dataclass(frozen=True)
class JournalFilters:
    """What the timeline is narrowed to; empty values filter nothing."""

    q: str = ""
    type: str = ""  # an EntryType value, or CELEBRATION
    key_action: str = ""  # référentiel codes: entries match whatever version their items are of
    need: str = ""
    actor: int | None = None
    year: int | None = None
    has_attachments: bool = False

    @property
    def entries_only(self) -> bool:
        """Filters only entries can meet: celebrations then leave the timeline."""
        entry_type = self.type and self.type != CELEBRATION
        searched = bool(stems(self.q))
        return bool(searched or entry_type or self.key_action or self.need or self.has_attachments)


NO_FILTERS = JournalFilters()


def _territory_actors(viewer, territory: Territory) -> QuerySet[Actor]:
    # Bounded by the territory: by visibility alone, the database would read every actor of the alliance.
    return visible_to(Actor.objects.filter(territory=territory).order_by("name"), viewer)


def _entry_prefetches(viewer, territory: Territory) -> list:
    actors = _territory_actors(viewer, territory)
    return [
        "key_actions",
        "needs",
        Prefetch("actors", queryset=actors),
        Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
    ]


def _filtered_entries(viewer, territory: Territory, filters: JournalFilters) -> QuerySet[JournalEntry]:
    entries = visible_to(JournalEntry.objects.filter(territory=territory), viewer)
    if filters.type == CELEBRATION:
        return entries.none()
    if filters.type:
        entries = entries.filter(entry_type=filters.type)
    if filters.key_action:
        entries = entries.filter(_tagged(JournalEntry.key_actions, "key_action", filters.key_action))
    if filters.need:
        entries = entries.filter(_tagged(JournalEntry.needs, "essential_need", filters.need))
    if filters.actor:
        entries = entries.filter(actors=filters.actor)
    if filters.year:
        entries = entries.filter(occurred_on__year=filters.year)
    if filters.has_attachments:
        entries = entries.filter(Exists(Attachment.objects.filter(entry=OuterRef("pk"))))
    if (condition := matching(JournalEntry, filters.q, scope=territory.pk)) is not None:
        entries = entries.filter(condition)
    return entries


def _tagged(tags, grid: str, code: str) -> Exists:
    """The entry holds the item of this code, of whatever version (one row per entry, even if it held
    the code twice)."""
    through = tags.through.objects.filter(journalentry=OuterRef("pk"), item__grid__code=grid, item__code=code)
    return Exists(through)


def _filtered_celebrations(viewer, territory: Territory, filters: JournalFilters) -> QuerySet[Celebration]:
    celebrations = visible_to(Celebration.objects.filter(territory=territory), viewer)
    if filters.entries_only:
        return celebrations.none()
    if filters.actor:
        celebrations = celebrations.filter(actors=filters.actor)
    if filters.year:
        celebrations = celebrations.filter(achieved_on__year=filters.year)
    return celebrations


def journal_entries(
    viewer, territory: Territory, filters: JournalFilters = NO_FILTERS
) -> QuerySet[JournalEntry]:
    """The territory's journal as `viewer` may read it, narrowed by `filters`, newest first."""
    entries = _filtered_entries(viewer, territory, filters).select_related("author", "territory")
    return entries.prefetch_related(*_entry_prefetches(viewer, territory)).order_by("-occurred_on", "-id")


def access_journal_entry(viewer, territory: Territory, pk: int) -> JournalEntry:
    """The entry, or the same 404 whether it does not exist or `viewer` may not read it."""
    entry = journal_entries(viewer, territory).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def access_attachment(viewer, territory: Territory, entry_pk: int, pk: int) -> Attachment:
    """A file of an entry `viewer` may read; otherwise the same 404 as a missing one."""
    entries = visible_to(JournalEntry.objects.filter(territory=territory, pk=entry_pk), viewer)
    attachment = Attachment.objects.filter(pk=pk, entry__in=entries).first()
    if attachment is None:
        raise Http404
    return attachment


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "entry" or "celebration"
    day: datetime.date
    record: Any


def timeline(viewer, territory: Territory, filters: JournalFilters = NO_FILTERS) -> QuerySet:
    """Entries and celebrations merged, newest first, as (day, kind, id) rows: one query counts
    them and one reads a page, whatever their number (see `timeline_items` for the records)."""
    entries = _filtered_entries(viewer, territory, filters)
    celebrations = _filtered_celebrations(viewer, territory, filters)
    # Unordered parts: a compound query takes one ORDER BY, for the whole.
    rows = entries.order_by().annotate(day=F("occurred_on"), kind=Value("entry"), row_id=F("id"))
    other = celebrations.order_by().annotate(day=F("achieved_on"), kind=Value(CELEBRATION), row_id=F("id"))
    rows, other = rows.values_list("day", "kind", "row_id"), other.values_list("day", "kind", "row_id")
    if filters.entries_only:
        combined = rows
    elif filters.type == CELEBRATION:
        combined = other
    else:
        combined = rows.union(other, all=True)
    return combined.order_by("-day", "-kind", "-row_id")


def timeline_items(viewer, territory: Territory, rows) -> list[TimelineItem]:
    """The records of a page of `timeline` rows, in its order, with their tags (a fixed number of
    queries)."""
    rows = list(rows)
    entry_ids = [pk for _day, kind, pk in rows if kind == "entry"]
    celebration_ids = [pk for _day, kind, pk in rows if kind == CELEBRATION]
    entries = JournalEntry.objects.filter(pk__in=entry_ids).prefetch_related(
        *_entry_prefetches(viewer, territory)
    )
    celebrations = Celebration.objects.filter(pk__in=celebration_ids).prefetch_related(
        Prefetch("actors", queryset=_territory_actors(viewer, territory))
    )
    records = {("entry", row.pk): row for row in entries if entry_ids} | {
        (CELEBRATION, row.pk): row for row in celebrations if celebration_ids
    }
    return [TimelineItem(kind, day, records[(kind, pk)]) for day, kind, pk in rows if (kind, pk) in records]


@dataclass(frozen=True)
class MonthGroup:
    month: datetime.date  # the first day of the month
    items: list[TimelineItem]


@dataclass(frozen=True)
class YearGroup:
    year: int
    months: list[MonthGroup]


def group_by_month(items: list[TimelineItem]) -> list[YearGroup]:
    """Items (already newest first) grouped by year, then by month."""
    years: list[YearGroup] = []
    for item in items:
        month = item.day.replace(day=1)
        if not years or years[-1].year != month.year:
            years.append(YearGroup(month.year, []))
        months = years[-1].months
        if not months or months[-1].month != month:
            months.append(MonthGroup(month, []))
        months[-1].items.append(item)
    return years
