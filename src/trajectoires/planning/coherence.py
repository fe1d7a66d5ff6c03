"""The coherence matrix (K8): does each planning document that binds a territory pull in the
direction of each orientation of its vision? Writes that check the right, validate, write and
audit; reads through the viewer's visibility, in a constant number of queries.

A cell belongs to the territory whose vision it judges. It reads as that vision and as its
document: whoever reads both reads the cell; a cell without a row is "not assessed"."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.steering.models import Orientation
from trajectoires.steering.narratives import vision_orientations
from trajectoires.territories.models import Territory
from trajectoires.territories.services import territory_scope

from .document_selectors import access_document, documents_of, due_for_review
from .models import Coherence, CoherenceAssessment, DocumentStatus, PlanningDocument
from .permissions import can_assess_coherence

NOT_ASSESSED = "not_assessed"
# Every value is told in words and by a symbol, never by colour alone.
SYMBOLS = {Coherence.COHERENT: "✓", Coherence.NEUTRAL: "○", Coherence.CONTRADICTORY: "✗", NOT_ASSESSED: "?"}
LABELS = {**dict(Coherence.choices), NOT_ASSESSED: gettext_lazy("Not assessed")}
VALUES = (Coherence.COHERENT, Coherence.NEUTRAL, Coherence.CONTRADICTORY, NOT_ASSESSED)


# Reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One document × orientation: its assessment, or None when not assessed."""

    document: PlanningDocument
    orientation: Orientation
    assessment: CoherenceAssessment | None = None

    @property
    def value(self) -> str:
        return self.assessment.value if self.assessment else NOT_ASSESSED

    @property
    def label(self) -> str:
        return str(LABELS[self.value])

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.value]

    @property
    def reason(self) -> str:
        return self.assessment.reason if self.assessment else ""

    @property
    def assessed_by_name(self) -> str:
        """The assessor's name, or "" (no name given, or an account since erased)."""
        user = self.assessment.assessed_by if self.assessment else None
        return user.full_name if user else ""

    @property
    def assessed_at(self) -> datetime.datetime | None:
        return self.assessment.assessed_at if self.assessment else None


@dataclass(frozen=True)
class MatrixRow:
    document: PlanningDocument
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CoherenceMatrix:
    """The documents binding the territory that the viewer reads × the orientations of its vision
    (none if the viewer may not read the vision)."""

    territory: Territory
    documents: tuple[PlanningDocument, ...]
    orientations: tuple[Orientation, ...]
    assessments: dict[tuple[int, int], CoherenceAssessment]

    def cell(self, document: PlanningDocument, orientation: Orientation) -> Cell:
        return Cell(document, orientation, self.assessments.get((document.pk, orientation.pk)))

    @property
    def rows(self) -> list[MatrixRow]:
        return [
            MatrixRow(document, tuple(self.cell(document, orientation) for orientation in self.orientations))
            for document in self.documents
        ]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]


def coherence_matrix(viewer, territory: Territory) -> CoherenceMatrix:
    """The matrix `viewer` reads, in three queries whatever its size: the documents in force (an
    expired one binds no more; its assessments stay, for the history) × the orientations."""
    documents = tuple(documents_of(viewer, territory).exclude(status=DocumentStatus.EXPIRED))
    orientations = tuple(vision_orientations(viewer, territory))
    assessments: dict[tuple[int, int], CoherenceAssessment] = {}
    if documents and orientations:
        rows = CoherenceAssessment.objects.filter(
            territory=territory,
            document_id__in=[document.pk for document in documents],
            orientation_id__in=[orientation.pk for orientation in orientations],
        ).select_related("assessed_by")
        assessments = {(row.document_id, row.orientation_id): row for row in rows}
    return CoherenceMatrix(territory, documents, orientations, assessments)


def access_coherence_cell(viewer, territory: Territory, document_pk: int, orientation_pk: int) -> Cell:
    """The cell, if `viewer` reads its document and the vision of its orientation; otherwise the
    same 404 as a cell that does not exist."""
    document = access_document(viewer, territory, document_pk)
    orientation = vision_orientations(viewer, territory).filter(pk=orientation_pk).first()
    if orientation is None:
        raise Http404
    assessment = (
        CoherenceAssessment.objects.filter(territory=territory, document=document, orientation=orientation)
        .select_related("assessed_by")
        .first()
    )
    return Cell(document, orientation, assessment)


@dataclass(frozen=True)
class CoherenceSummary:
    """What the dashboard shows of the matrix: how many cells of each value, the contradictions
    with their reasons, and the documents to review soon."""

    coherent: int
    neutral: int
    contradictory: int
    not_assessed: int
    contradictions: tuple[Cell, ...]
    due_for_review: tuple[PlanningDocument, ...]

    @property
    def total(self) -> int:
        return self.coherent + self.neutral + self.contradictory + self.not_assessed

    @property
    def counts(self) -> list[tuple[str, str, str, int]]:
        """(value, label, symbol, count) for each value, "not assessed" last."""
        return [(value, str(LABELS[value]), SYMBOLS[value], getattr(self, value)) for value in VALUES]


def coherence_summary(
    viewer, territory: Territory, *, today: datetime.date | None = None
) -> CoherenceSummary:
    return summarise(coherence_matrix(viewer, territory), today=today)


def summarise(matrix: CoherenceMatrix, *, today: datetime.date | None = None) -> CoherenceSummary:
    """The summary of a matrix already read (no query)."""
    cells = matrix.cells
    counts = {value: 0 for value in VALUES}
    for cell in cells:
        counts[cell.value] += 1
    return CoherenceSummary(
        **counts,
        contradictions=tuple(cell for cell in cells if cell.value == Coherence.CONTRADICTORY),
        due_for_review=due_for_review(matrix.documents, today=today or timezone.localdate()),
    )


# Writes -----------------------------------------------------------------------------------------


def cell_snapshot(cell: CoherenceAssessment | None) -> dict[str, Any]:
    if cell is None:
        return {}
    return {
        "document": cell.document_id,
        "orientation": cell.orientation_id,
        "value": cell.value,
        "reason": cell.reason,
        "assessed_by": cell.assessed_by_id,
    }


def _check_cell(actor, territory: Territory, document: PlanningDocument, orientation: Orientation) -> dict:
    """The errors of a cell's address: an orientation of another vision, a document that does not
    bind the territory (or that the actor may not read)."""
    errors: dict[str, list[str]] = {}
    if orientation.vision.territory_id != territory.pk:
        errors["orientation"] = [_("Choose an orientation of this territory’s vision.")]
    in_force = documents_of(actor, territory).exclude(status=DocumentStatus.EXPIRED)
    if not in_force.filter(pk=document.pk).exists():
        errors["document"] = [_("Choose a planning document in force that binds this territory.")]
    return errors


def coherence_assess(
    *,
    actor: Any,
    territory: Territory,
    document: PlanningDocument,
    orientation: Orientation,
    value: str,
    reason: str,
) -> CoherenceAssessment:
    """Assess one cell, or assess it again: its value, the reason, who and when."""
    if not can_assess_coherence(actor, territory):
        raise PermissionDenied
    errors = _check_cell(actor, territory, document, orientation)
    if value not in Coherence.values:
        errors["value"] = [_("Choose coherent, neutral or contradictory.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why: the reason is what the council will discuss.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the orientation's row: two first assessments of one cell at once are made one after
        # the other (the second finds the first's row) instead of both inserting it.
        Orientation.objects.select_for_update().filter(pk=orientation.pk).first()
        cell = (
            CoherenceAssessment.objects.select_for_update()
            .filter(document=document, orientation=orientation)
            .first()
        )
        before = cell_snapshot(cell)
        cell = cell or CoherenceAssessment(territory=territory, document=document, orientation=orientation)
        cell.value, cell.reason = value, reason
        cell.assessed_by = actor if getattr(actor, "is_authenticated", False) else None
        cell.full_clean()
        cell.save()
        audit_record(
            actor=actor,
            action="coherence.assess",
            obj=cell,
            scope=territory_scope(territory),
            changes=changed_fields(before, cell_snapshot(cell)),
        )
    return cell


def coherence_clear(
    *, actor: Any, territory: Territory, document: PlanningDocument, orientation: Orientation
) -> None:
    """Put a cell back to "not assessed" (nothing to do if it is not assessed)."""
    if not can_assess_coherence(actor, territory):
        raise PermissionDenied
    if errors := _check_cell(actor, territory, document, orientation):
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the orientation's row: two first assessments of one cell at once are made one after
        # the other (the second finds the first's row) instead of both inserting it.
        Orientation.objects.select_for_update().filter(pk=orientation.pk).first()
        cell = (
            CoherenceAssessment.objects.select_for_update()
            .filter(document=document, orientation=orientation)
            .first()
        )
        if cell is None:
            return
        audit_record(
            actor=actor,
            action="coherence.clear",
            obj=cell,
            scope=territory_scope(territory),
            changes=changed_fields(cell_snapshot(cell), {}),
        )
        cell.delete()
