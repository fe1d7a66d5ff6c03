"""A territory's coherence matrix (K8): its planning documents × the orientations of its vision,
with the same rights as the pages. Anyone reads the cells whose document and vision they may
read; admins and editors assess a cell or put it back to "not assessed". A cell the caller may
not read answers exactly like a missing one (404)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.planning.coherence import (
    Cell,
    access_coherence_cell,
    coherence_assess,
    coherence_clear,
    coherence_matrix,
    summarise,
)
from trajectoires.planning.document_forms import area_reference
from trajectoires.planning.models import Coherence, DocumentStatus, PlanningDocument
from trajectoires.steering.narratives import readable_orientations
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, service_call

router = Router(tags=["coherence"])


class CoherenceDocumentRef(Schema):
    id: int
    title: str
    type: str = Field(description="Code of the référentiel's planning document type.")
    writer: str = Field(description="The writing body's area, as `kind:code`.")
    status: DocumentStatus
    review_due_on: datetime.date | None


class OrientationRef(Schema):
    id: int
    title: str


class CellOut(Schema):
    document: int
    orientation: int
    value: str = Field(description="coherent, neutral, contradictory or not_assessed.")
    reason: str
    assessed_by: str | None = Field(description="The assessor's name, if known.")
    assessed_at: datetime.datetime | None


class SummaryOut(Schema):
    coherent: int
    neutral: int
    contradictory: int
    not_assessed: int
    due_for_review: list[int] = Field(description="Ids of the documents to review within six months.")


class MatrixOut(Schema):
    territory: str
    documents: list[CoherenceDocumentRef]
    orientations: list[OrientationRef] = Field(description="Empty if the caller may not read the vision.")
    cells: list[CellOut] = Field(description="Every cell, document by document, those not assessed included.")
    summary: SummaryOut


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: Coherence
    reason: str = Field(json_schema_extra={"minLength": 1})


def _document(document: PlanningDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "type": document.doc_type.code,
        "writer": area_reference(document.writer),
        "status": document.status,
        "review_due_on": document.review_due_on,
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "document": cell.document.pk,
        "orientation": cell.orientation.pk,
        "value": cell.value,
        "reason": cell.reason,
        "assessed_by": cell.assessed_by_name or None,
        "assessed_at": cell.assessed_at,
    }


def _address(request: HttpRequest, slug: str, document: int, orientation: int) -> dict[str, Any]:
    """The territory and the cell's document and orientation, if the caller reads them (404 if
    not); the service then says which one does not fit the territory (422)."""
    territory = territory_get(slug)
    found_document = visible_to(PlanningDocument.objects.filter(pk=document), request.user).first()
    orientations = readable_orientations(request.user).select_related("vision")
    found_orientation = orientations.filter(pk=orientation).first()
    if found_document is None or found_orientation is None:
        raise Http404
    return {
        "actor": request.user,
        "territory": territory,
        "document": found_document,
        "orientation": found_orientation,
    }


@router.get(
    "/{slug:slug}/coherence",
    response={200: MatrixOut, **error_responses(401, 404)},
    summary="Read a territory's coherence matrix",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_matrix(request: HttpRequest, slug: str):
    territory = territory_get(slug)
    matrix = coherence_matrix(request.user, territory)
    summary = summarise(matrix)
    return {
        "territory": territory.slug,
        "documents": [_document(document) for document in matrix.documents],
        "orientations": [{"id": o.pk, "title": o.title} for o in matrix.orientations],
        "cells": [_cell(cell) for cell in matrix.cells],
        "summary": {
            "coherent": summary.coherent,
            "neutral": summary.neutral,
            "contradictory": summary.contradictory,
            "not_assessed": summary.not_assessed,
            "due_for_review": [document.pk for document in summary.due_for_review],
        },
    }


@router.get(
    "/{slug:slug}/coherence/{int:document}/{int:orientation}",
    response={200: CellOut, **error_responses(401, 404)},
    summary="Read a cell of the coherence matrix",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_cell(request: HttpRequest, slug: str, document: int, orientation: int):
    return _cell(access_coherence_cell(request.user, territory_get(slug), document, orientation))


@router.put(
    "/{slug:slug}/coherence/{int:document}/{int:orientation}",
    auth=SIGNED_IN,
    response={200: CellOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Assess a cell of the coherence matrix (admins, editors)",
)
def assess_cell(request: HttpRequest, slug: str, document: int, orientation: int, payload: AssessmentIn):
    address = _address(request, slug, document, orientation)
    service_call(lambda: coherence_assess(**address, value=payload.value, reason=payload.reason))
    return _cell(access_coherence_cell(request.user, address["territory"], document, orientation))


@router.delete(
    "/{slug:slug}/coherence/{int:document}/{int:orientation}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Put a cell of the coherence matrix back to “not assessed” (admins, editors)",
)
def clear_cell(request: HttpRequest, slug: str, document: int, orientation: int):
    service_call(lambda: coherence_clear(**_address(request, slug, document, orientation)))
    return Status(204, None)
