"""Reads of territories in transition. Territories themselves are public members of the alliance."""

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from trajectoires.geo.models import Area

from .models import Territory


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.annotate(
        area_count=Count("perimeter", distinct=True), population=Sum("perimeter__area__population")
    ).order_by("name")


def territory_get(slug: str) -> Territory:
    areas = Area.objects.order_by("name").prefetch_related(
        Prefetch("ancestors", queryset=Area.objects.filter(kind="departement"), to_attr="departements")
    )
    territory = (
        Territory.objects.filter(slug=slug).prefetch_related(Prefetch("areas", queryset=areas)).first()
    )
    if territory is None:
        raise Http404
    return territory


def territory_population(territory: Territory) -> int:
    """Population of the perimeter (areas of a perimeter never overlap)."""
    return sum(area.population or 0 for area in territory.areas.all())


def territory_count() -> int:
    return Territory.objects.count()
