"""Files of the journal entries: checked before anything is written, stored under random names,
removed from the disk once the removal is committed (and on a failed write, so none is orphaned)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from trajectoires.core.uploads import CheckedUpload, check_upload

from .models import Attachment, JournalEntry

MAX_ATTACHMENTS = 20


def check_uploads(files: Iterable[UploadedFile], *, field: str = "attachments") -> list[CheckedUpload]:
    """Every file checked; all the refusals at once, under `field`."""
    checked, problems = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload, field=field))
        except ValidationError as error:
            problems += error.message_dict[field]
    if problems:
        raise ValidationError({field: problems})
    return checked


def check_attachment_count(entry: JournalEntry | None, adding: int, removing: int) -> None:
    kept = (entry.attachments.count() if entry and entry.pk else 0) - removing
    if kept + adding > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": [_("An entry holds at most %(count)d files.") % {"count": MAX_ATTACHMENTS}]}
        )


@contextmanager
def files_removed_on_failure() -> Iterator[list[str]]:
    """Collects the names of files stored in the block; deletes them if the block fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            Attachment.file.field.storage.delete(name)
        raise


def store_attachments(
    *, entry: JournalEntry, uploads: list[CheckedUpload], uploaded_by: Any, stored: list[str]
) -> list[Attachment]:
    rows = []
    for upload in uploads:
        row = Attachment(
            entry=entry,
            territory_id=entry.territory_id,
            name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
        )
        row.file.save(upload.name, upload.file, save=False)
        stored.append(row.file.name)
        row.save()
        rows.append(row)
    return rows


def delete_attachments(entry: JournalEntry, attachments: Iterable[Attachment | int]) -> list[str]:
    """Remove the entry's given attachments; their files go once the transaction commits."""
    ids = [item.pk if isinstance(item, Attachment) else int(item) for item in attachments]
    rows = list(entry.attachments.filter(pk__in=ids))
    if len(rows) != len(set(ids)):
        raise ValidationError({"remove_attachments": [_("These files are not attached to this entry.")]})
    names = [row.file.name for row in rows]
    storage = Attachment.file.field.storage
    entry.attachments.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return [row.name for row in rows]
