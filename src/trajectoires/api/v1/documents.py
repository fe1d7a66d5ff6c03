"""The planning documents binding a territory (K8) and the legal links between them, with the same
rights as the pages: anyone reads what a document's visibility allows, through any territory the
document binds; the admins and editors of the territory that recorded it change or delete it. A
forbidden document answers exactly like a missing one (404)."""

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.planning.document_forms import DocumentForm
from trajectoires.planning.document_selectors import access_document, documents_of, review_state
from trajectoires.planning.documents import document_create, document_delete, document_update
from trajectoires.planning.legal_links import LegalLink, MissingLink, territory_legal_links
from trajectoires.planning.models import DocumentStatus, PlanningDocument
from trajectoires.planning.permissions import can_add_document, can_edit_document
from trajectoires.territories.selectors import territory_get

from .areas import AreaRef, area_ref
from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["documents"])
LinkKind = Literal["compatibilite", "prise_en_compte"]


class DocumentTypeRef(Schema):
    code: str = Field(description="The type's code in the référentiel (grid planning_document_type).")
    label: str


class TerritoryRef(Schema):
    slug: str
    name: str


class DocumentOut(Schema):
    id: int
    title: str
    type: DocumentTypeRef
    writer: AreaRef = Field(description="The body that writes it: an area of the geography.")
    status: DocumentStatus
    adopted_on: datetime.date | None
    review_due_on: datetime.date | None
    review: Literal["", "due", "overdue"] = Field(
        description="`overdue` when the review date has passed, `due` when it falls within six months."
    )
    link: str
    summary: str
    visibility: Visibility
    recorded_by: TerritoryRef = Field(description="The territory whose team keeps it up to date.")
    shared: bool = Field(description="Recorded by another territory, and shared with this one.")


class DocumentPage(PageOut):
    results: list[DocumentOut]


class DocumentQuery(Schema):
    status: DocumentStatus | None = Field(None, description="Only documents of this status.")
    type: str | None = Field(None, description="Only documents of this type (its code: scot, plu…).")


class DocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    doc_type: str = Field(description="The type's code (sraddet, scot, plu…).")
    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    writer: str = Field(
        description="The writing body, `kind-code`: the territory's area or one containing it (region-44)."
    )
    status: DocumentStatus = DocumentStatus.IN_PREPARATION
    adopted_on: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    review_due_on: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    link: str = Field("", description="An address on the web (https://…).")
    summary: str = ""
    visibility: Visibility = Visibility.PRIVATE


class DocumentRef(Schema):
    id: int
    title: str
    type: str = Field(description="The type's code.")


class LegalLinkOut(Schema):
    source: DocumentRef = Field(description="The document bound by the link.")
    kind: LinkKind
    target: DocumentRef = Field(description="The document it must be compatible with, or take into account.")
    basis: str = Field(description="The legal basis, when the référentiel names one.")
    rule: str = Field(description="The link's code in the référentiel (grid document_link).")


class MissingLinkOut(Schema):
    source: DocumentRef
    kind: LinkKind
    target_type: str = Field(description="The type of the expected document, of which none is recorded.")
    basis: str
    rule: str
    message: str


class LegalLinksOut(Schema):
    links: list[LegalLinkOut]
    missing: list[MissingLinkOut] = Field(description="Expected links whose target is not recorded.")


def _out(document: PlanningDocument, territory, today: datetime.date) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "type": {"code": document.doc_type.code, "label": document.doc_type.label},
        "writer": area_ref(document.writer),
        "status": document.status,
        "adopted_on": document.adopted_on,
        "review_due_on": document.review_due_on,
        "review": review_state(document, today=today),
        "link": document.link,
        "summary": document.summary,
        "visibility": document.visibility,
        "recorded_by": {"slug": document.territory.slug, "name": document.territory.name},
        "shared": document.territory_id != territory.pk,
    }


def _ref(document: PlanningDocument) -> dict[str, Any]:
    return {"id": document.pk, "title": document.title, "type": document.doc_type.code}


def _link(link: LegalLink) -> dict[str, Any]:
    rule = link.rule
    return {
        "source": _ref(link.source),
        "kind": rule.kind,
        "target": _ref(link.target),
        "basis": rule.basis,
        "rule": rule.code,
    }


def _missing(missing: MissingLink) -> dict[str, Any]:
    rule = missing.rule
    return {
        "source": _ref(missing.source),
        "kind": rule.kind,
        "target_type": rule.target_type,
        "basis": rule.basis,
        "rule": rule.code,
        "message": missing.message,
    }


def _data(territory, payload: DocumentIn, document: PlanningDocument | None = None) -> dict[str, Any]:
    """The payload validated by the page's form; a document keeps its own type's row while its code
    is unchanged."""
    form = DocumentForm(data=payload.model_dump(), territory=territory, document=document)
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


@router.get(
    "/{slug:slug}/documents/",
    response={200: DocumentPage, **error_responses(401, 404, 422)},
    summary="List the planning documents binding a territory (its own and those shared from above)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_documents(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[DocumentQuery]):
    """The documents the caller may read, by type then title, optionally of one status or type."""
    territory = territory_get(slug)
    documents = documents_of(request.user, territory, status=query.status or "", doc_type=query.type or "")
    today = timezone.localdate()
    return paginate(request, documents, pages, lambda document: _out(document, territory, today))


@router.get(
    "/{slug:slug}/documents/legal-links",
    response={200: LegalLinksOut, **error_responses(401, 404)},
    summary="The legal links between the documents binding a territory, and the expected ones missing",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_legal_links(request: HttpRequest, slug: str):
    links = territory_legal_links(request.user, territory_get(slug))
    return {"links": [_link(link) for link in links.links], "missing": [_missing(m) for m in links.missing]}


@router.get(
    "/{slug:slug}/documents/{int:pk}",
    response={200: DocumentOut, **error_responses(401, 404)},
    summary="Read a planning document",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_document(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    return _out(access_document(request.user, territory, pk), territory, timezone.localdate())


@router.post(
    "/{slug:slug}/documents/",
    auth=SIGNED_IN,
    response={201: DocumentOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Record a planning document binding the territory (admins, editors)",
)
def create_document(request: HttpRequest, slug: str, payload: DocumentIn):
    territory = territory_get(slug)
    if not can_add_document(request.user, territory):
        raise Http404
    data = _data(territory, payload)
    document = service_call(lambda: document_create(actor=request.user, territory=territory, **data))
    return Status(
        201, _out(access_document(request.user, territory, document.pk), territory, timezone.localdate())
    )


@router.put(
    "/{slug:slug}/documents/{int:pk}",
    auth=SIGNED_IN,
    response={200: DocumentOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a planning document (admins and editors of the territory that recorded it)",
)
def update_document(request: HttpRequest, slug: str, pk: int, payload: DocumentIn):
    territory = territory_get(slug)
    document = access_document(request.user, territory, pk)
    if not can_edit_document(request.user, document):
        raise Http404
    data = _data(document.territory, payload, document)
    service_call(lambda: document_update(actor=request.user, document=document, **data))
    return _out(access_document(request.user, territory, pk), territory, timezone.localdate())


@router.delete(
    "/{slug:slug}/documents/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a planning document (admins and editors of the territory that recorded it)",
)
def delete_document(request: HttpRequest, slug: str, pk: int):
    document = access_document(request.user, territory_get(slug), pk)
    service_call(lambda: document_delete(actor=request.user, document=document))
    return Status(204, None)
