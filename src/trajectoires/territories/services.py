"""Writes to territories in transition."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.core.audit import audit_record
from trajectoires.core.text import unique_slug
from trajectoires.geo.models import Area, AreaAncestry

from .enums import SINGLE_AREA_KINDS, TerritoryKind
from .models import Territory, TerritoryArea, TerritoryPartnership


def territory_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    areas: list[Area],
    alliance_joined_on: datetime.date,
    description: str = "",
) -> Territory:
    """Create a territory on its perimeter. Raises ValidationError naming the field at fault."""
    _check_perimeter(kind, areas)
    territory = Territory(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        alliance_joined_on=alliance_joined_on,
        slug=unique_slug(
            name, taken=lambda slug: Territory.objects.filter(slug=slug).exists(), fallback="territoire"
        ),
    )
    territory.full_clean()
    with transaction.atomic():
        territory.save()
        TerritoryArea.objects.bulk_create(TerritoryArea(territory=territory, area=area) for area in areas)
        audit_record(
            actor=actor,
            action="territory.create",
            obj=territory,
            scope=territory_scope(territory),
            changes={
                "name": [None, territory.name],
                "kind": [None, territory.kind],
                "alliance_joined_on": [None, territory.alliance_joined_on.isoformat()],
                "areas": [None, sorted(f"{area.kind}:{area.code}" for area in areas)],
            },
        )
    return territory


def territory_scope(territory: Territory) -> str:
    """The audit scope of everything written about a territory: its admins read that log."""
    return f"territory:{territory.pk}"


def _check_perimeter(kind: str, areas: list[Area]) -> None:
    if not areas:
        raise ValidationError({"areas": _("A territory covers at least one area.")})
    if obsolete := [area for area in areas if area.is_obsolete]:
        raise ValidationError(
            {"areas": _("%(area)s no longer exists in the official geography.") % {"area": obsolete[0]}}
        )
    if expected := SINGLE_AREA_KINDS.get(TerritoryKind(kind) if kind in TerritoryKind.values else None):
        if len(areas) != 1 or areas[0].kind != expected:
            raise ValidationError(
                {
                    "areas": _("A territory of kind “%(kind)s” is exactly one area of that kind.")
                    % {"kind": TerritoryKind(kind).label}
                }
            )
        return
    ids = [area.pk for area in areas]
    if len(set(ids)) != len(ids):
        raise ValidationError({"areas": _("The same area is listed twice.")})
    overlap = (
        AreaAncestry.objects.filter(area_id__in=ids, ancestor_id__in=ids)
        .select_related("area", "ancestor")
        .first()
    )
    if overlap:
        raise ValidationError(
            {
                "areas": _("%(inner)s already lies inside %(outer)s: list one or the other.")
                % {"inner": overlap.area, "outer": overlap.ancestor}
            }
        )


def partnership_create(
    *, actor: Any, territory: Territory, funder: Funder, since: datetime.date
) -> TerritoryPartnership:
    """Record that a funder works with a territory: its members become the territory's partners.
    Platform staff only (engagement contracts will create partnerships of their own)."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied
    partnership = TerritoryPartnership(territory=territory, funder=funder, since=since)
    try:
        partnership.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError(
                {
                    "territory": _("%(funder)s is already a partner of %(territory)s.")
                    % {"funder": funder, "territory": territory}
                }
            ) from None
        raise
    with transaction.atomic():
        partnership.save()
        audit_record(
            actor=actor,
            action="partnership.create",
            obj=partnership,
            scope=territory_scope(territory),
            changes={"funder": [None, funder.slug], "since": [None, since.isoformat()]},
        )
    return partnership
