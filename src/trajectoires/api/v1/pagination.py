"""Page-number pagination: `?page=1&page_size=50` (at most 100), answered as
`{"count", "page", "pages", "next", "previous", "results"}`.

A page costs two queries whatever the data (the count and the slice, plus whatever the selector
prefetches), so lists stay flat as the alliance grows (SPEC §6).
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from .errors import ApiError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="The page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Results per page, at most {MAX_PAGE_SIZE}."
    )


class PageOut(Schema):
    """A page of a list; each list extends it with its typed `results`."""

    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(
    request: HttpRequest,
    items: QuerySet | Sequence[Any],
    query: PageQuery,
    serialize: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of `items`, each turned into a dict by `serialize`; a page past the end is a 404."""
    paginator = Paginator(items, query.page_size)
    try:
        page = paginator.page(query.page)
    except EmptyPage:
        raise ApiError(404, "not_found", _("There is no page %(page)s.") % {"page": query.page}) from None
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "results": [serialize(item) for item in page.object_list],
    }
