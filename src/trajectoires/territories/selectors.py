"""Reads of territories in transition. Territories themselves are public members of the alliance."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from trajectoires.accounts.models import AssemblyMembership, FunderMembership
from trajectoires.geo.models import Area

from .models import Territory, TerritoryMembership


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


@dataclass(frozen=True)
class MembershipView:
    """One of a user's memberships, whatever it is in: a territory, a funder or the assembly."""

    kind: str  # "territory", "funder" or "assembly"
    role: str
    role_label: str
    target_name: str
    target_slug: str


def memberships_of(user) -> list[MembershipView]:
    """Every membership of `user`, territories first (three queries)."""
    if not user.is_authenticated:
        return []
    territory_rows = TerritoryMembership.objects.filter(user=user).select_related("territory")
    funder_rows = FunderMembership.objects.filter(user=user).select_related("funder")
    assembly_rows = AssemblyMembership.objects.filter(user=user)
    return (
        [
            MembershipView(
                "territory", row.role, row.get_role_display(), row.territory.name, row.territory.slug
            )
            for row in territory_rows.order_by("territory__name")
        ]
        + [
            MembershipView("funder", row.role, row.get_role_display(), row.funder.name, row.funder.slug)
            for row in funder_rows.order_by("funder__name")
        ]
        + [
            MembershipView(
                "assembly", row.role, row.get_role_display(), "Assemblée des territoires en transition", ""
            )
            for row in assembly_rows.order_by("role")
        ]
    )
