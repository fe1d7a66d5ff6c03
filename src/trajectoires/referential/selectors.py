from django.db.models import Prefetch, QuerySet

from .models import Grid, Item, ReferentialVersion


def referential_current_version() -> ReferentialVersion | None:
    return ReferentialVersion.objects.order_by("-number").first()


def referential_grids(version: ReferentialVersion) -> QuerySet[Grid]:
    """Every grid of a version with its items (parents included), in three queries."""
    items = Item.objects.select_related("parent").order_by("position")
    return version.grids.prefetch_related(Prefetch("items", queryset=items)).order_by("position")


def referential_items(grid_code: str, *, version: ReferentialVersion | None = None) -> QuerySet[Item]:
    version = version or referential_current_version()
    return Item.objects.filter(version=version, grid__code=grid_code).order_by("position")
