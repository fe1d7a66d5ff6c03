"""The lookups the operations share before they call a service, so they all answer alike.

- A territory the caller may not write in answers the 404 of a missing one: a forbidden write says
  nothing the caller may not already read, and it answers before any check of the input (422).
- An id sent in a payload that matches no record answers 422, naming the field at fault, as the
  services name theirs. Only whether the record exists is checked here: whether the caller may
  choose it (its territory, its visibility) is the service's to say.
"""

from django.http import Http404, HttpRequest

from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .errors import invalid


def writable_territory(request: HttpRequest, slug: str) -> Territory:
    """The territory the caller writes in (admin, editor), or a 404."""
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory


def record_or_invalid(model, field: str, pk: int | None, message: str):
    """The record named by its id (None for None), or a 422 naming `field` with `message`."""
    if pk is None:
        return None
    record = model.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if record is None:
        raise invalid({field: [message]})
    return record


def records_or_invalid(model, field: str, ids: list[int], message: str) -> list:
    """The records named by their ids, in order and once each, or a 422 naming `field` with `message`
    when any id matches none."""
    found = model.objects.in_bulk([pk for pk in ids if 0 < pk < 2**63])
    if any(pk not in found for pk in ids):
        raise invalid({field: [message]})
    return [found[pk] for pk in dict.fromkeys(ids)]
