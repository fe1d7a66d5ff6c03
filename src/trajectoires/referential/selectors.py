"""Reads of the référentiel.

Records of different versions meet in lists, filters and statistics, so items are compared by
(grid code, item code), never by row id; a record keeps the row of the version it was written
with, and new records take the current version (decision 0009).
"""

from collections.abc import Iterable

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


def referential_item(grid_code: str, code: str, *, version: ReferentialVersion | None = None) -> Item:
    """One item of the current version (or of `version`); Item.DoesNotExist when it has no such code."""
    return referential_items(grid_code, version=version).get(code=code)


def kept_or_current(grid_code: str, codes: Iterable[str], kept: Iterable[Item] = ()) -> list[Item]:
    """Resolve codes of one grid to items: a code the record already holds (`kept`, items of that
    grid) keeps its row, any other code takes the current version's row. Unknown codes are left
    out; callers validate codes first."""
    by_code = {item.code: item for item in kept}
    wanted = [code for code in codes if code not in by_code]
    current = {item.code: item for item in referential_items(grid_code).filter(code__in=wanted)}
    return [by_code.get(code) or current[code] for code in codes if code in by_code or code in current]
