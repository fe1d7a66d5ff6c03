"""Which planning documents bind a territory, read through the viewer's visibility.

A document belongs to the area whose body writes it; it binds every territory whose perimeter is
that area or lies inside it. So a territory's documents are those written by one of its perimeter's
areas or by an area containing one of them — shared, never copied."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from trajectoires.geo.enums import SCALE_ORDER, AreaKind
from trajectoires.geo.models import Area, AreaAncestry
from trajectoires.territories.models import Territory, TerritoryArea
from trajectoires.territories.permissions import visible_to

from .models import DocumentStatus, PlanningDocument


def _binding(territory: Territory, field: str) -> Q:
    """`field` is one of the territory's perimeter's areas or of the areas above them: two
    subqueries on indexed columns (a join through the ancestry, then DISTINCT, scans far more)."""
    perimeter = TerritoryArea.objects.filter(territory=territory).values("area_id")
    above = AreaAncestry.objects.filter(area_id__in=perimeter).values("ancestor_id")
    return Q(**{f"{field}__in": perimeter}) | Q(**{f"{field}__in": above})


def binding_areas(territory: Territory) -> QuerySet[Area]:
    """The territory's perimeter and every area above it (one query when evaluated)."""
    return Area.objects.filter(_binding(territory, "pk"))


def documents_of(
    viewer, territory: Territory, *, status: str = "", doc_type: str = ""
) -> QuerySet[PlanningDocument]:
    """The documents binding the territory that `viewer` may read, by type then title; optionally
    only those of a status, or of a type (its code)."""
    documents = PlanningDocument.objects.filter(_binding(territory, "writer_id"))
    if status:
        documents = documents.filter(status=status)
    if doc_type:
        documents = documents.filter(doc_type__code=doc_type)
    return (
        visible_to(documents, viewer)
        .select_related("doc_type", "writer", "territory", "author")
        .order_by("doc_type__position", "title", "id")
    )


def access_document(viewer, territory: Territory, pk: int) -> PlanningDocument:
    """The document, if it binds the territory and `viewer` reads it; otherwise the same 404 as a
    document that does not exist."""
    document = documents_of(viewer, territory).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


REVIEW_WINDOW_MONTHS = 6


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_state(document: PlanningDocument, *, today: datetime.date) -> str:
    """ "overdue" when its review date has passed, "due" when it falls within six months, else ""
    (an expired document is reviewed no more)."""
    due = document.review_due_on
    if due is None or document.status == DocumentStatus.EXPIRED:
        return ""
    if due < today:
        return "overdue"
    return "due" if due <= months_later(today, REVIEW_WINDOW_MONTHS) else ""


def due_for_review(documents, *, today: datetime.date) -> tuple[PlanningDocument, ...]:
    """Of `documents`, those to review soon: under revision, or whose review is overdue or due within
    six months (expired ones never); the most urgent first. The one rule the pages, the matrix and
    the dashboard share."""
    due = [
        document
        for document in documents
        if document.status != DocumentStatus.EXPIRED
        and (document.status == DocumentStatus.UNDER_REVISION or review_state(document, today=today))
    ]
    return tuple(sorted(due, key=lambda d: (d.review_due_on is None, d.review_due_on or today, d.title)))


@dataclass(frozen=True)
class ScaleGroup:
    kind: str
    label: str
    documents: list[PlanningDocument]


SCALE_LABELS = {
    AreaKind.REGION: gettext_lazy("Region"),
    AreaKind.DEPARTEMENT: gettext_lazy("Département"),
    AreaKind.EPCI: gettext_lazy("Intercommunality (EPCI)"),
    AreaKind.EPT: gettext_lazy("Territorial public establishment (EPT)"),
    AreaKind.COMMUNE: gettext_lazy("Commune"),
}


def by_scale(documents: Iterable[PlanningDocument]) -> list[ScaleGroup]:
    """The documents grouped by the scale of their writing body, from the région down; each group
    keeps the documents' order."""
    groups: dict[str, list[PlanningDocument]] = {}
    for document in documents:
        groups.setdefault(document.writer.kind, []).append(document)
    return [ScaleGroup(kind, str(SCALE_LABELS[kind]), groups[kind]) for kind in SCALE_ORDER if kind in groups]
