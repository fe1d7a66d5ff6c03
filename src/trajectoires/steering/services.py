"""Writes to the steering records. Each checks the actor's right, validates, writes, audits."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.services import territory_scope

from .models import JournalEntry
from .permissions import can_add_journal_entry, can_edit_journal_entry

JOURNAL_FIELDS = ("title", "occurred_on", "body", "visibility")


def _snapshot(entry: JournalEntry) -> dict[str, Any]:
    values = {field: getattr(entry, field) for field in JOURNAL_FIELDS}
    values["occurred_on"] = values["occurred_on"].isoformat() if values["occurred_on"] else None
    values["key_actions"] = sorted(item.code for item in entry.key_actions.all()) if entry.pk else []
    return values


def journal_entry_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    occurred_on: datetime.date,
    body: str = "",
    key_actions: list | tuple = (),
    visibility: str = Visibility.PRIVATE,
) -> JournalEntry:
    if not can_add_journal_entry(actor, territory):
        raise PermissionDenied
    entry = JournalEntry(
        territory=territory,
        title=title.strip(),
        occurred_on=occurred_on,
        body=body.strip(),
        visibility=visibility,
        author=actor,
    )
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        entry.key_actions.set(key_actions)
        audit_record(
            actor=actor,
            action="journal_entry.create",
            obj=entry,
            scope=territory_scope(territory),
            changes=changed_fields({}, _snapshot(entry)),
        )
    return entry


def journal_entry_update(*, actor: Any, entry: JournalEntry, **values: Any) -> JournalEntry:
    """Change some of title, occurred_on, body, visibility and key_actions."""
    if not can_edit_journal_entry(actor, entry):
        raise PermissionDenied
    before = _snapshot(entry)
    key_actions = values.pop("key_actions", None)
    for field, value in values.items():
        if field not in JOURNAL_FIELDS:
            raise TypeError(f"journal entries have no field {field!r}")
        setattr(entry, field, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        if key_actions is not None:
            entry.key_actions.set(key_actions)
        changes = changed_fields(before, _snapshot(entry))
        if changes:
            audit_record(
                actor=actor,
                action="journal_entry.update",
                obj=entry,
                scope=territory_scope(entry.territory),
                changes=changes,
            )
    return entry
