"""How the network's figures read: shares as percentages, changes with their sign."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()
NBSP = "\u00a0"


@register.filter
def percent(share: float | None) -> str:
    """0.754 → « 75 % »."""
    if share is None:
        return "—"
    return f"{number_format(round(share * 100), 0)}{NBSP}%"


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    places = int(places)
    return number_format(round(value, places), places)  # number_format cuts, it does not round


@register.filter
def signed(value: float | int | None, places: int = 0) -> str:
    """A change: « +3 », « −0,17 », « 0 »."""
    if value is None:
        return "—"
    places = int(places)
    text = number_format(round(abs(value), places), places)
    if round(value, places) > 0:
        return f"+{text}"
    if round(value, places) < 0:
        return f"−{text}"
    return number_format(0, places)


@register.filter
def signed_points(share_change: float | None) -> str:
    """A change of a share, in percentage points: 0.25 → « +25 points »."""
    if share_change is None:
        return "—"
    return _("%(value)s points") % {"value": signed(share_change * 100, 0)}
