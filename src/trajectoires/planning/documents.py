"""Writes of planning documents (K8): check the right, validate, write and audit.

A document is recorded once, by a territory it binds, and shared with every territory inside its
writing body (see `document_selectors`). So its writing body must be an area of the kinds the
référentiel names for its type and must bind the recording territory, and one writing body has at
most one document of a type in force."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.geo.enums import AreaKind
from trajectoires.geo.models import Area
from trajectoires.referential.models import Item
from trajectoires.territories.models import Territory
from trajectoires.territories.services import territory_scope

from .coherence import cell_snapshot
from .document_selectors import binding_areas
from .legal_links import type_short_name
from .models import DocumentStatus, PlanningDocument
from .permissions import can_add_document, can_edit_document

DOCUMENT_FIELDS = (
    "doc_type",
    "title",
    "writer",
    "status",
    "adopted_on",
    "review_due_on",
    "link",
    "summary",
    "visibility",
)
# Who writes a document, as a sentence names them ("written by an intercommunality (EPCI)").
WRITER_WORDS = {
    "region": gettext_lazy("a région"),
    "departement": gettext_lazy("a département"),
    "epci": gettext_lazy("an intercommunality (EPCI)"),
    "ept": gettext_lazy("a territorial public establishment (EPT)"),
    "commune": gettext_lazy("a commune"),
    "syndicat_mixte": gettext_lazy("a mixed syndicate (syndicat mixte)"),
    "etat": gettext_lazy("the State"),
}
# French grammar: these types are feminine (la carte communale, la convention territoriale globale).
_FEMININE_TYPES = {"carte_communale", "ctg"}


def writer_kinds(doc_type: Item) -> list[str]:
    """The kinds of body the référentiel says write a type (some are not areas: État, syndicat mixte)."""
    return list((doc_type.extra or {}).get("writer", []))


def area_writer_kinds(doc_type: Item) -> list[str]:
    """The writer kinds that are areas of the geography, so a document can be written by one."""
    return [kind for kind in writer_kinds(doc_type) if kind in AreaKind.values]


def _either(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _wrong_writer_kind(doc_type: Item, writer: Area) -> str:
    values = {
        "type": type_short_name(doc_type),
        "writers": _either([str(WRITER_WORDS.get(kind, kind)) for kind in writer_kinds(doc_type)]),
        "chosen": str(WRITER_WORDS.get(writer.kind, writer.kind)),
    }
    if doc_type.code in _FEMININE_TYPES:
        return (
            pgettext("feminine document type", "A %(type)s is written by %(writers)s, not by %(chosen)s.")
            % values
        )
    return (
        pgettext("masculine document type", "A %(type)s is written by %(writers)s, not by %(chosen)s.")
        % values
    )


def _snapshot(document: PlanningDocument) -> dict[str, Any]:
    values = {
        field: getattr(document, field) for field in DOCUMENT_FIELDS if field not in {"doc_type", "writer"}
    }
    values["doc_type"] = document.doc_type.code if document.doc_type_id else None
    values["writer"] = f"{document.writer.kind}-{document.writer.code}" if document.writer_id else None
    for field in ("adopted_on", "review_due_on"):
        values[field] = values[field].isoformat() if values[field] else None
    return values


def _rule_errors(document: PlanningDocument, errors: dict[str, list]) -> None:
    """The rules across fields and rows, for the fields that passed their own checks."""

    def add(field: str, message: str) -> None:
        if field not in errors:
            errors[field] = [message]

    has_type, has_writer = "doc_type" not in errors, "writer" not in errors
    if has_type and has_writer and document.writer.kind not in area_writer_kinds(document.doc_type):
        add("writer", _wrong_writer_kind(document.doc_type, document.writer))
    if has_writer and not binding_areas(document.territory).filter(pk=document.writer_id).exists():
        add(
            "writer",
            _(
                "“%(area)s” does not cover the territory “%(territory)s”: choose its perimeter or an "
                "area containing it."
            )
            % {"area": document.writer.name, "territory": document.territory.name},
        )
    if has_writer and "writer" not in errors and _shared_but_hidden(document):
        add(
            "visibility",
            _(
                "A document of “%(area)s” is shared with every territory it covers: make it readable by the "
                "alliance or by everyone."
            )
            % {"area": document.writer.name},
        )
    _date_errors(document, add)
    if has_type and has_writer and "writer" not in errors and _in_force_twice(document):
        add(
            "writer",
            _(
                "“%(area)s” already has a %(type)s in force on the platform, shared by every territory it "
                "covers: it is recorded only once."
            )
            % {"area": document.writer.name, "type": type_short_name(document.doc_type)},
        )


def _shared_but_hidden(document: PlanningDocument) -> bool:
    """A document written above the recording territory's own perimeter binds other territories
    too: their teams must read it, or they could neither see nor record it."""
    hidden = document.visibility in (Visibility.PRIVATE, Visibility.PARTNERS)
    return hidden and not document.territory.perimeter.filter(area_id=document.writer_id).exists()


def _date_errors(document: PlanningDocument, add) -> None:
    adopted, review = document.adopted_on, document.review_due_on
    if document.status == DocumentStatus.ADOPTED and adopted is None:
        add("adopted_on", _("An adopted document needs its adoption date."))
    if adopted and adopted > timezone.localdate():
        add("adopted_on", _("The adoption date cannot be in the future."))
    if adopted and review and review < adopted:
        add("review_due_on", _("The review date cannot come before the adoption date."))


def _in_force_twice(document: PlanningDocument) -> bool:
    # Whatever its visibility, so the message names the writing body and the type, never the title.
    # The type is compared by (grid, code): a SRADDET of référentiel 1 and one of référentiel 2 are
    # the same type (decision 0009); the database's constraint only sees one row of the référentiel.
    if document.status == DocumentStatus.EXPIRED:
        return False
    doc_type = document.doc_type
    others = PlanningDocument.objects.filter(
        doc_type__grid__code=doc_type.grid.code, doc_type__code=doc_type.code, writer=document.writer_id
    )
    return others.exclude(status=DocumentStatus.EXPIRED).exclude(pk=document.pk).exists()


def _same_item(chosen: Any, held: Item) -> bool:
    """Whether `chosen` is the item `held` or the same (grid, code) of another version."""
    if not isinstance(chosen, Item):
        return False
    return chosen.pk == held.pk or (chosen.code, chosen.grid.code) == (held.code, held.grid.code)


def _validate(document: PlanningDocument) -> None:
    errors: dict[str, list] = {}
    try:
        document.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    _rule_errors(document, errors)
    if errors:
        raise ValidationError(errors)


def _save(document: PlanningDocument) -> None:
    """Save; a document recorded twice at the same moment meets the database's constraint."""
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        errors: dict[str, list] = {}
        _rule_errors(document, errors)
        raise ValidationError(errors or {"writer": [_("This document is already recorded.")]}) from None


def document_create(
    *,
    actor: Any,
    territory: Territory,
    doc_type: Item,
    title: str,
    writer: Area,
    status: str = DocumentStatus.IN_PREPARATION,
    adopted_on: datetime.date | None = None,
    review_due_on: datetime.date | None = None,
    link: str = "",
    summary: str = "",
    visibility: str = Visibility.PRIVATE,
) -> PlanningDocument:
    if not can_add_document(actor, territory):
        raise PermissionDenied
    document = PlanningDocument(
        territory=territory,
        doc_type=doc_type,
        title=title.strip(),
        writer=writer,
        status=status,
        adopted_on=adopted_on,
        review_due_on=review_due_on,
        link=link.strip(),
        summary=summary.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate(document)
    with transaction.atomic():
        _save(document)
        audit_record(
            actor=actor,
            action="planning_document.create",
            obj=document,
            scope=territory_scope(territory),
            changes=changed_fields({}, _snapshot(document)),
        )
    return document


def document_update(*, actor: Any, document: PlanningDocument, **values: Any) -> PlanningDocument:
    """Change some of the document's fields; only its recording territory's team may."""
    if not can_edit_document(actor, document):
        raise PermissionDenied
    before = _snapshot(document)
    if document.doc_type_id and _same_item(values.get("doc_type"), document.doc_type):
        values["doc_type"] = document.doc_type  # an unchanged type keeps its row, whatever its version
    for field, value in values.items():
        if field not in DOCUMENT_FIELDS:
            raise TypeError(f"planning documents have no field {field!r}")
        setattr(document, field, value.strip() if isinstance(value, str) else value)
    _validate(document)
    with transaction.atomic():
        _save(document)
        changes = changed_fields(before, _snapshot(document))
        if changes:
            audit_record(
                actor=actor,
                action="planning_document.update",
                obj=document,
                scope=territory_scope(document.territory),
                changes=changes,
            )
    return document


def document_delete(*, actor: Any, document: PlanningDocument) -> None:
    """Delete the document, and with it the coherence assessments of every territory sharing it."""
    if not can_edit_document(actor, document):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="planning_document.delete",
            obj=document,
            scope=territory_scope(document.territory),
            changes=changed_fields(_snapshot(document), {}),
        )
        # Each territory's history says which of its assessments went with the document.
        for cell in document.assessments.select_related("territory").order_by("id"):
            audit_record(
                actor=actor,
                action="coherence.delete",
                obj=cell,
                scope=territory_scope(cell.territory),
                changes=changed_fields(cell_snapshot(cell), {}),
            )
        document.delete()
