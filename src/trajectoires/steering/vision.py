"""The vision (K1, K3): saving it as a new version, refusing to overwrite a concurrent save, and
reading its history, its differences and the essential needs it covers."""

import datetime
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory, visible_to
from trajectoires.territories.services import territory_scope

from .models import Orientation, Vision, VisionVersion

TEXT_FIELDS = ("statement", "attachments", "stakes_to_lose", "stakes_to_gain")
HORIZON_MIN, HORIZON_MAX = 10, 20  # years ahead (SPEC §3.2)


class VisionConflict(Exception):
    """Someone saved the vision after the editor opened it: their save is refused, not merged."""

    def __init__(self, current: Vision):
        super().__init__(f"vision saved meanwhile (now version {current.version})")
        self.current = current


@dataclass(frozen=True)
class OrientationInput:
    """An orientation as saved. `id` names the existing orientation it updates: orientations keep
    their identity across saves, so what links to them (narratives) stays linked."""

    title: str
    needs: list[Item]
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Coverage:
    need: Item
    orientations: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.orientations)


def _check(horizon_year: int, orientations: list[OrientationInput], reason: str) -> None:
    year = timezone.localdate().year
    errors: dict[str, list[str]] = {}
    if not year + HORIZON_MIN <= horizon_year <= year + HORIZON_MAX:
        errors["horizon_year"] = [
            _("Choose a horizon between %(first)d and %(last)d (10 to 20 years ahead).")
            % {"first": year + HORIZON_MIN, "last": year + HORIZON_MAX}
        ]
    if missing := [o.title for o in orientations if not o.needs]:
        errors["orientations"] = [
            _("The orientation “%(title)s” is anchored in no essential need.") % {"title": title}
            for title in missing
        ]
    if not reason.strip():
        errors["reason"] = [_("Say in a few words why the vision changes.")]
    if errors:
        raise ValidationError(errors)


def vision_snapshot(vision: Vision) -> dict[str, Any]:
    return {
        "horizon_year": vision.horizon_year,
        **{name: getattr(vision, name) for name in TEXT_FIELDS},
        "visibility": vision.visibility,
        "orientations": [
            {"title": o.title, "description": o.description, "needs": sorted(n.code for n in o.needs.all())}
            for o in vision.orientations.all()
        ],
    }


def vision_save(
    *,
    actor: Any,
    territory: Territory,
    expected_version: int,
    horizon_year: int,
    statement: str,
    orientations: list[OrientationInput],
    reason: str,
    visibility: str,
    attachments: str = "",
    stakes_to_lose: str = "",
    stakes_to_gain: str = "",
) -> Vision:
    """Save the vision as its next version. `expected_version` is the version the editor started
    from (0 for a first vision); if the vision has moved on since, VisionConflict is raised."""
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    _check(horizon_year, orientations, reason)
    with transaction.atomic():
        vision = Vision.objects.select_for_update().filter(territory=territory).first()
        current_version = vision.version if vision else 0
        if expected_version != current_version:
            raise VisionConflict(vision)
        before = vision_snapshot(vision) if vision else {}
        vision = vision or Vision(territory=territory, version=0)
        vision.horizon_year, vision.visibility = horizon_year, visibility
        for name, value in zip(
            TEXT_FIELDS, (statement, attachments, stakes_to_lose, stakes_to_gain), strict=True
        ):
            setattr(vision, name, value.strip())
        vision.version += 1
        vision.full_clean()
        vision.save()
        _save_orientations(vision, orientations)
        after = vision_snapshot(vision)
        VisionVersion.objects.create(
            vision=vision, number=vision.version, author=actor, reason=reason.strip(), content=after
        )
        audit_record(
            actor=actor,
            action="vision.save",
            obj=vision,
            scope=territory_scope(territory),
            changes=changed_fields(before, after) | {"version": [current_version, vision.version]},
        )
    return vision


def _save_orientations(vision: Vision, orientations: list[OrientationInput]) -> None:
    """Update the orientations that are kept, create the new ones, delete those left out.

    An input names the row it updates by `id`; without one, an unmatched row with the same title
    is taken (a client that sends the orientations back unchanged keeps them). A kept orientation
    keeps its own need rows for unchanged codes (whatever their version); any other need, and every
    need of a new orientation, is the current version's."""
    existing = {row.pk: row for row in vision.orientations.all()}
    by_title = {row.title: row for row in reversed(existing.values())}
    kept: set[int] = set()
    for position, orientation in enumerate(orientations, start=1):
        title = orientation.title.strip()
        row = existing.get(orientation.id) if orientation.id else by_title.get(title)
        if row is None or row.pk in kept:
            row = Orientation(vision=vision)
        held = list(row.needs.all()) if row.pk else []
        needs = kept_or_current("essential_need", [need.code for need in orientation.needs], held)
        row.position, row.title, row.description = position, title, orientation.description.strip()
        row.save()
        row.needs.set(needs)
        kept.add(row.pk)
    vision.orientations.exclude(pk__in=kept).delete()


def vision_of(viewer, territory: Territory) -> Vision | None:
    """The territory's vision if `viewer` may read it (otherwise, as if there were none)."""
    orientations = Orientation.objects.prefetch_related("needs").order_by("position")
    visions = Vision.objects.filter(territory=territory).prefetch_related(
        Prefetch("orientations", orientations)
    )
    return visible_to(visions, viewer).first()


def vision_versions(vision: Vision) -> QuerySet[VisionVersion]:
    return vision.versions.select_related("author").order_by("-number")


def needs_coverage(vision: Vision | None) -> list[Coverage]:
    """Every essential need of the current référentiel, with the orientations that serve it (none: a
    need the vision leaves out), matched by code: an orientation keeps the need rows of the version
    it was written with."""
    covering: dict[str, list[str]] = {}
    for orientation in vision.orientations.all() if vision else []:
        for need in orientation.needs.all():
            covering.setdefault(need.code, []).append(orientation.title)
    needs = referential_items("essential_need").select_related("parent")
    return [Coverage(need, covering.get(need.code, [])) for need in needs]


@dataclass(frozen=True)
class FieldDiff:
    name: str
    lines: list[tuple[str, str]]  # (" ", "-" or "+", line)


def versions_diff(older: VisionVersion, newer: VisionVersion) -> list[FieldDiff]:
    """Line by line, the fields that differ between two versions."""
    diffs = []
    for name in ("horizon_year", *TEXT_FIELDS, "visibility", "orientations"):
        before, after = _lines(older.content.get(name)), _lines(newer.content.get(name))
        if before != after:
            lines = [(line[0], line[2:]) for line in difflib.ndiff(before, after) if line[0] in " -+"]
            diffs.append(FieldDiff(name, lines))
    return diffs


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):  # orientations
        return [
            f"{o['title']} [{', '.join(o['needs'])}]" + (f" — {o['description']}" if o["description"] else "")
            for o in value
        ]
    return str(value if value is not None else "").splitlines()


def default_horizon() -> int:
    return datetime.date.today().year + 15
