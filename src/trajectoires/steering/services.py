"""Writes to the journal. Each checks the actor's right, validates, writes, audits."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.fulltext import stem_document
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .attachments import (
    check_attachment_count,
    check_uploads,
    delete_attachments,
    files_removed_on_failure,
    store_attachments,
)
from .models import EntryType, JournalEntry
from .permissions import can_add_journal_entry, can_edit_journal_entry

JOURNAL_FIELDS = ("title", "occurred_on", "entry_type", "body", "visibility")
TAG_FIELDS = ("key_actions", "needs", "actors")


def _snapshot(entry: JournalEntry) -> dict[str, Any]:
    values = {field: getattr(entry, field) for field in JOURNAL_FIELDS}
    values["occurred_on"] = values["occurred_on"].isoformat() if values["occurred_on"] else None
    saved = entry.pk is not None
    values["key_actions"] = sorted(item.code for item in entry.key_actions.all()) if saved else []
    values["needs"] = sorted(item.code for item in entry.needs.all()) if saved else []
    # Actors by id: a person's name is personal data, and the audit trail is never rewritten.
    values["actors"] = sorted(entry.actors.values_list("pk", flat=True)) if saved else []
    values["attachments"] = sorted(entry.attachments.values_list("name", flat=True)) if saved else []
    return values


def check_actors(
    viewer: Any, territory: Territory, actors: Iterable[Actor], *, field: str = "actors"
) -> list:
    """The actors, if all are of the territory and visible to `viewer`; else an error on `field`."""
    actors = list(actors)
    ids = {actor.pk for actor in actors}
    allowed = set(
        visible_to(Actor.objects.filter(territory=territory, pk__in=ids), viewer).values_list("pk", flat=True)
    )
    if ids - allowed:
        raise ValidationError({field: [_("Choose actors of this territory.")]})
    return actors


def _hidden_actors(viewer: Any, entry: JournalEntry) -> list[Actor]:
    """Actors tagged on the entry that `viewer` cannot see: their edit keeps them."""
    visible = visible_to(Actor.objects.filter(territory=entry.territory), viewer).values("pk")
    return list(Actor.objects.filter(journal_entries=entry).exclude(pk__in=visible))


def refresh_search_document(entry: JournalEntry) -> None:
    """Keep the stems of the entry's words (title, text, tag labels) for the journal search."""
    labels = [item.label_fr for item in entry.key_actions.all()] + [
        item.label_fr for item in entry.needs.all()
    ]
    entry.search_document = stem_document(entry.title, entry.body, *labels)
    JournalEntry.objects.filter(pk=entry.pk).update(search_document=entry.search_document)


def _set_tags(entry: JournalEntry, tags: dict[str, Any]) -> None:
    for name, values in tags.items():
        if values is not None:
            getattr(entry, name).set(values)


def journal_entry_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    occurred_on: datetime.date,
    body: str = "",
    entry_type: str = EntryType.EVENT,
    key_actions: Iterable = (),
    needs: Iterable = (),
    actors: Iterable[Actor] = (),
    visibility: str = Visibility.PRIVATE,
    attachments: Iterable[UploadedFile] = (),
) -> JournalEntry:
    if not can_add_journal_entry(actor, territory):
        raise PermissionDenied
    entry = JournalEntry(
        territory=territory,
        title=title.strip(),
        occurred_on=occurred_on,
        entry_type=entry_type,
        body=body.strip(),
        visibility=visibility,
        author=actor,
    )
    entry.full_clean()
    tags = {"key_actions": list(key_actions), "needs": list(needs), "actors": list(actors)}
    check_actors(actor, territory, tags["actors"])
    uploads = check_uploads(attachments)
    check_attachment_count(None, len(uploads), 0)
    with files_removed_on_failure() as stored, transaction.atomic():
        entry.save()
        _set_tags(entry, tags)
        store_attachments(entry=entry, uploads=uploads, uploaded_by=actor, stored=stored)
        refresh_search_document(entry)
        audit_record(
            actor=actor,
            action="journal_entry.create",
            obj=entry,
            scope=territory_scope(territory),
            changes=changed_fields({}, _snapshot(entry)),
        )
    return entry


def journal_entry_update(
    *,
    actor: Any,
    entry: JournalEntry,
    attachments: Iterable[UploadedFile] = (),
    remove_attachments: Iterable = (),
    **values: Any,
) -> JournalEntry:
    """Change some of the entry's fields and tags; add the `attachments` files and remove the
    `remove_attachments` ones (attachments of this entry, or their ids)."""
    if not can_edit_journal_entry(actor, entry):
        raise PermissionDenied
    before = _snapshot(entry)
    tags = {name: values.pop(name, None) for name in TAG_FIELDS}
    for field, value in values.items():
        if field not in JOURNAL_FIELDS:
            raise TypeError(f"journal entries have no field {field!r}")
        setattr(entry, field, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    if tags["actors"] is not None:
        tags["actors"] = check_actors(actor, entry.territory, tags["actors"]) + _hidden_actors(actor, entry)
    uploads = check_uploads(attachments)
    removing = list(remove_attachments)
    check_attachment_count(entry, len(uploads), len(removing))
    with files_removed_on_failure() as stored, transaction.atomic():
        entry.save()
        _set_tags(entry, tags)
        delete_attachments(entry, removing)
        store_attachments(entry=entry, uploads=uploads, uploaded_by=actor, stored=stored)
        refresh_search_document(entry)
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
