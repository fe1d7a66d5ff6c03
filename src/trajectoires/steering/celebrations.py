"""Celebrations of intermediate victories (F9): reads through the viewer's visibility, and writes
that check the right, validate, write and audit. They show on the journal's timeline."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Celebration, JournalEntry
from .permissions import can_add_celebration, can_edit_celebration
from .services import check_actors

CELEBRATION_FIELDS = ("title", "achieved_on", "achievement", "participants", "visibility")
LINK_FIELDS = ("actors", "journal_entries")


def celebrations_of(viewer, territory: Territory) -> QuerySet[Celebration]:
    """The territory's celebrations `viewer` may read, newest first, with the actors and journal
    entries that viewer may read."""
    celebrations = visible_to(Celebration.objects.filter(territory=territory), viewer)
    return (
        celebrations.select_related("territory", "author")
        .prefetch_related(
            # Both bounded by the territory, or the database reads every record of the alliance.
            Prefetch(
                "actors",
                queryset=visible_to(Actor.objects.filter(territory=territory).order_by("name"), viewer),
            ),
            Prefetch(
                "journal_entries",
                queryset=visible_to(
                    JournalEntry.objects.filter(territory=territory).order_by("-occurred_on", "-id"), viewer
                ),
            ),
        )
        .order_by("-achieved_on", "-id")
    )


def access_celebration(viewer, territory: Territory, pk: int) -> Celebration:
    """The celebration, or the same 404 whether it does not exist or `viewer` may not read it."""
    celebration = celebrations_of(viewer, territory).filter(pk=pk).first()
    if celebration is None:
        raise Http404
    return celebration


def territory_entries(viewer, territory: Territory) -> QuerySet[JournalEntry]:
    """The entries a celebration may be linked to: the territory's, as `viewer` may read them."""
    return visible_to(JournalEntry.objects.filter(territory=territory), viewer).order_by(
        "-occurred_on", "-id"
    )


def _snapshot(celebration: Celebration) -> dict[str, Any]:
    values = {field: getattr(celebration, field) for field in CELEBRATION_FIELDS}
    values["achieved_on"] = values["achieved_on"].isoformat() if values["achieved_on"] else None
    saved = celebration.pk is not None
    values["actors"] = sorted(celebration.actors.values_list("pk", flat=True)) if saved else []
    values["journal_entries"] = (
        sorted(celebration.journal_entries.values_list("pk", flat=True)) if saved else []
    )
    return values


def _check_entries(viewer, territory: Territory, entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    entries = list(entries)
    ids = {entry.pk for entry in entries}
    if ids - set(territory_entries(viewer, territory).filter(pk__in=ids).values_list("pk", flat=True)):
        raise ValidationError({"journal_entries": [_("Choose journal entries of this territory.")]})
    return entries


def _links(actor: Any, territory: Territory, links: dict[str, Any], celebration: Celebration | None):
    """The links to write: those chosen (checked), plus those the editor cannot see, which stay."""
    checked: dict[str, list] = {}
    if links.get("actors") is not None:
        checked["actors"] = check_actors(actor, territory, links["actors"])
        if celebration is not None:
            visible = visible_to(Actor.objects.filter(territory=territory), actor).values("pk")
            checked["actors"] += Actor.objects.filter(celebrations=celebration).exclude(pk__in=visible)
    if links.get("journal_entries") is not None:
        checked["journal_entries"] = _check_entries(actor, territory, links["journal_entries"])
        if celebration is not None:
            visible = territory_entries(actor, territory).values("pk")
            checked["journal_entries"] += JournalEntry.objects.filter(celebrations=celebration).exclude(
                pk__in=visible
            )
    return checked


def celebration_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    achieved_on: datetime.date,
    achievement: str,
    participants: str = "",
    actors: Iterable[Actor] = (),
    journal_entries: Iterable[JournalEntry] = (),
    visibility: str = Visibility.PRIVATE,
) -> Celebration:
    if not can_add_celebration(actor, territory):
        raise PermissionDenied
    celebration = Celebration(
        territory=territory,
        title=title.strip(),
        achieved_on=achieved_on,
        achievement=achievement.strip(),
        participants=participants.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    celebration.full_clean()
    links = _links(actor, territory, {"actors": actors, "journal_entries": journal_entries}, None)
    with transaction.atomic():
        celebration.save()
        for name, values in links.items():
            getattr(celebration, name).set(values)
        audit_record(
            actor=actor,
            action="celebration.create",
            obj=celebration,
            scope=territory_scope(territory),
            changes=changed_fields({}, _snapshot(celebration)),
        )
    return celebration


def celebration_update(*, actor: Any, celebration: Celebration, **values: Any) -> Celebration:
    """Change some of the celebration's fields, actors and linked journal entries."""
    if not can_edit_celebration(actor, celebration):
        raise PermissionDenied
    before = _snapshot(celebration)
    links = {name: values.pop(name, None) for name in LINK_FIELDS}
    for field, value in values.items():
        if field not in CELEBRATION_FIELDS:
            raise TypeError(f"celebrations have no field {field!r}")
        setattr(celebration, field, value.strip() if isinstance(value, str) else value)
    celebration.full_clean()
    checked = _links(actor, celebration.territory, links, celebration)
    with transaction.atomic():
        celebration.save()
        for name, linked in checked.items():
            getattr(celebration, name).set(linked)
        changes = changed_fields(before, _snapshot(celebration))
        if changes:
            audit_record(
                actor=actor,
                action="celebration.update",
                obj=celebration,
                scope=territory_scope(celebration.territory),
                changes=changes,
            )
    return celebration


def celebration_delete(*, actor: Any, celebration: Celebration) -> None:
    if not can_edit_celebration(actor, celebration):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="celebration.delete",
            obj=celebration,
            scope=territory_scope(celebration.territory),
            changes=changed_fields(_snapshot(celebration), {}),
        )
        celebration.delete()
