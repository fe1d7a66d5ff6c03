"""The référentiel: its current version, the grids it holds and their items.

Both addresses read `referential_grids`, the page's selector (three queries for the whole version:
135 rows), and pick the grid asked for in Python rather than adding a second way to read it.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from trajectoires.referential.models import Grid, Item, ReferentialVersion
from trajectoires.referential.selectors import referential_current_version, referential_grids

from .auth import ANONYMOUS_ALLOWED
from .errors import error_responses

router = Router(tags=["referential"])


class GridSummary(Schema):
    code: str
    label_fr: str
    label_en: str
    item_count: int


class VersionOut(Schema):
    number: int
    label: str
    published_on: datetime.date
    source: str
    grids: list[GridSummary]


class ItemOut(Schema):
    code: str
    parent: str | None = Field(description="The code of the parent item, in the same version.")
    label_fr: str
    label_en: str
    description_fr: str
    description_en: str
    source_line: int = Field(description="Line of the source document; 0 when the source does not say.")
    extra: dict[str, Any] = Field(description="Attributes of this grid's items.")


class GridOut(Schema):
    version: int
    code: str
    label_fr: str
    label_en: str
    description_fr: str
    description_en: str
    items: list[ItemOut]


def _current() -> tuple[ReferentialVersion, list[Grid]]:
    version = referential_current_version()
    if version is None:
        raise Http404
    return version, list(referential_grids(version))


def _item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "parent": item.parent.code if item.parent else None,
        "label_fr": item.label_fr,
        "label_en": item.label_en,
        "description_fr": item.description_fr,
        "description_en": item.description_en,
        "source_line": item.source_line,
        "extra": item.extra,
    }


@router.get(
    "/",
    response={200: VersionOut, **error_responses(401, 404)},
    summary="The current version of the référentiel",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_version(request: HttpRequest):
    version, grids = _current()
    return {
        "number": version.number,
        "label": version.label,
        "published_on": version.published_on,
        "source": version.source,
        "grids": [
            {
                "code": grid.code,
                "label_fr": grid.label_fr,
                "label_en": grid.label_en,
                "item_count": len(grid.items.all()),
            }
            for grid in grids
        ],
    }


@router.get(
    "/{grid}",
    response={200: GridOut, **error_responses(401, 404)},
    summary="One grid of the current version, with its items",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_grid(request: HttpRequest, grid: str):
    version, grids = _current()
    found = next((candidate for candidate in grids if candidate.code == grid), None)
    if found is None:
        raise Http404
    return {
        "version": version.number,
        "code": found.code,
        "label_fr": found.label_fr,
        "label_en": found.label_en,
        "description_fr": found.description_fr,
        "description_en": found.description_en,
        "items": [_item(item) for item in found.items.all()],
    }
