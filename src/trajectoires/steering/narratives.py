"""Narratives of the transition (K2): reads through the viewer's visibility, and writes that check
the right, validate, write and audit. A narrative may carry a link or one file (checked by
`core.uploads`), and the orientations of the territory's vision it tells."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.uploads import CheckedUpload, check_upload
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Narrative, Orientation, Vision
from .permissions import can_add_narrative, can_edit_narrative

NARRATIVE_FIELDS = ("title", "body", "format", "audience", "told_on", "link", "visibility")


def readable_orientations(viewer) -> QuerySet[Orientation]:
    """Orientations of the visions `viewer` may read (an orientation is as visible as its vision)."""
    return Orientation.objects.filter(vision__in=visible_to(Vision.objects.all(), viewer)).order_by(
        "position", "id"
    )


def vision_orientations(viewer, territory: Territory) -> QuerySet[Orientation]:
    """The orientations a narrative may tell: those of the territory's vision, if `viewer` reads it."""
    return readable_orientations(viewer).filter(vision__territory=territory)


def narratives_of(viewer, territory: Territory, *, format: str = "") -> QuerySet[Narrative]:
    """The territory's narratives `viewer` may read, newest first, optionally of one format."""
    narratives = visible_to(Narrative.objects.filter(territory=territory), viewer)
    if format:
        narratives = narratives.filter(format=format)
    return (
        narratives.select_related("territory", "author")
        .prefetch_related(Prefetch("orientations", queryset=readable_orientations(viewer)))
        .order_by("-told_on", "-id")
    )


def access_narrative(viewer, territory: Territory, pk: int) -> Narrative:
    """The narrative, or the same 404 whether it does not exist or `viewer` may not read it."""
    narrative = narratives_of(viewer, territory).filter(pk=pk).first()
    if narrative is None:
        raise Http404
    return narrative


def _snapshot(narrative: Narrative) -> dict[str, Any]:
    values = {field: getattr(narrative, field) for field in NARRATIVE_FIELDS}
    values["told_on"] = values["told_on"].isoformat() if values["told_on"] else None
    values["orientations"] = (
        sorted(narrative.orientations.values_list("pk", flat=True)) if narrative.pk else []
    )
    values["file"] = narrative.file_name
    return values


def _orientations(actor, territory: Territory, chosen: Iterable[Orientation], narrative: Narrative | None):
    """The chosen orientations, if all are of the territory's vision the actor reads; those the
    actor cannot read stay linked."""
    chosen = list(chosen)
    ids = {orientation.pk for orientation in chosen}
    allowed = set(vision_orientations(actor, territory).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ValidationError({"orientations": [_("Choose orientations of this territory's vision.")]})
    if narrative is None:
        return chosen
    hidden = Orientation.objects.filter(narratives=narrative).exclude(
        pk__in=vision_orientations(actor, territory).values("pk")
    )
    return chosen + list(hidden)


def _attach(narrative: Narrative, upload: CheckedUpload | None) -> str | None:
    """Store the new file; the name of the file it replaces, to delete once committed."""
    if upload is None:
        return None
    replaced = narrative.file.name or None
    narrative.file.save(upload.name, upload.file, save=False)
    narrative.file_name, narrative.file_content_type = upload.name, upload.content_type
    narrative.file_size = upload.size
    return replaced


def _detach(narrative: Narrative) -> str | None:
    replaced = narrative.file.name or None
    narrative.file = ""
    narrative.file_name, narrative.file_content_type, narrative.file_size = "", "", None
    return replaced


def _delete_file_on_commit(name: str | None) -> None:
    if name:
        storage = Narrative.file.field.storage
        transaction.on_commit(lambda: storage.delete(name))


def narrative_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    body: str,
    format: str,
    told_on: datetime.date,
    audience: str = "",
    link: str = "",
    orientations: Iterable[Orientation] = (),
    visibility: str = Visibility.PRIVATE,
    file: UploadedFile | None = None,
) -> Narrative:
    if not can_add_narrative(actor, territory):
        raise PermissionDenied
    narrative = Narrative(
        territory=territory,
        title=title.strip(),
        body=body.strip(),
        format=format,
        audience=audience.strip(),
        told_on=told_on,
        link=link.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    narrative.full_clean()
    linked = _orientations(actor, territory, orientations, None)
    upload = check_upload(file, field="file") if file else None
    stored = None
    try:
        with transaction.atomic():
            _attach(narrative, upload)
            stored = narrative.file.name or None
            narrative.save()
            narrative.orientations.set(linked)
            audit_record(
                actor=actor,
                action="narrative.create",
                obj=narrative,
                scope=territory_scope(territory),
                changes=changed_fields({}, _snapshot(narrative)),
            )
    except BaseException:
        if stored:
            Narrative.file.field.storage.delete(stored)
        raise
    return narrative


def narrative_update(
    *,
    actor: Any,
    narrative: Narrative,
    file: UploadedFile | None = None,
    remove_file: bool = False,
    **values: Any,
) -> Narrative:
    """Change some of the narrative's fields and orientations; replace its file with `file`, or
    remove it with `remove_file`."""
    if not can_edit_narrative(actor, narrative):
        raise PermissionDenied
    before = _snapshot(narrative)
    chosen = values.pop("orientations", None)
    for field, value in values.items():
        if field not in NARRATIVE_FIELDS:
            raise TypeError(f"narratives have no field {field!r}")
        setattr(narrative, field, value.strip() if isinstance(value, str) else value)
    narrative.full_clean()
    linked = None if chosen is None else _orientations(actor, narrative.territory, chosen, narrative)
    upload = check_upload(file, field="file") if file else None
    stored = None
    try:
        with transaction.atomic():
            replaced = _attach(narrative, upload) if upload else (_detach(narrative) if remove_file else None)
            stored = narrative.file.name if upload else None
            narrative.save()
            if linked is not None:
                narrative.orientations.set(linked)
            _delete_file_on_commit(replaced)
            changes = changed_fields(before, _snapshot(narrative))
            if changes:
                audit_record(
                    actor=actor,
                    action="narrative.update",
                    obj=narrative,
                    scope=territory_scope(narrative.territory),
                    changes=changes,
                )
    except BaseException:
        if stored:
            Narrative.file.field.storage.delete(stored)
        raise
    return narrative


def narrative_delete(*, actor: Any, narrative: Narrative) -> None:
    if not can_edit_narrative(actor, narrative):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="narrative.delete",
            obj=narrative,
            scope=territory_scope(narrative.territory),
            changes=changed_fields(_snapshot(narrative), {}),
        )
        _delete_file_on_commit(narrative.file.name or None)
        narrative.delete()
