"""Which planning documents bind a territory, read through the viewer's visibility.

A document belongs to the area whose body writes it; it binds every territory whose perimeter is
that area or lies inside it. So a territory's documents are those written by one of its perimeter's
areas or by an area containing one of them — shared, never copied."""

from django.db.models import Q, QuerySet
from django.http import Http404

from trajectoires.geo.models import Area
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .models import PlanningDocument


def binding_areas(territory: Territory) -> QuerySet[Area]:
    """The territory's perimeter and every area above it (one query when evaluated)."""
    perimeter = territory.perimeter.values("area_id")
    return Area.objects.filter(Q(pk__in=perimeter) | Q(descendant_links__area_id__in=perimeter)).distinct()


def documents_of(viewer, territory: Territory) -> QuerySet[PlanningDocument]:
    """The documents binding the territory that `viewer` may read, by type then title."""
    documents = PlanningDocument.objects.filter(writer__in=binding_areas(territory).values("pk"))
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
