"""Pilot projects (K9): a hypothesis tested on a deliberately modest scope, iterated, adjusted,
documented, and made transferable. Reads go through the viewer's visibility; writes check the right,
validate, write and audit.

Life cycle (the iterations are recorded by `planning.iterations.iteration_record`):

- a pilot starts *running*; its start may be planned, but at most a year ahead (`FURTHEST_START`);
- each iteration is numbered 1, 2, … in order, dated between the pilot's start and today (and not
  before the previous iteration); its decision sets the pilot's status: *continue* → running,
  *adjust* → adjusted, *scale up* → scaled up, *stop* → stopped;
- a scaled-up or stopped pilot is closed: a new iteration is refused;
- stopping requires the lessons learnt (given with the iteration, or already on the pilot): a stopped
  pilot counts as learning, and its lessons cannot be emptied afterwards;
- the status only ever changes through an iteration, never by editing the pilot;
- the start cannot be moved after the date of an existing iteration.

Its transferability sheet lives in `planning.sheets`.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import readable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.steering.models import Orientation
from trajectoires.steering.narratives import readable_orientations, vision_orientations
from trajectoires.steering.services import check_actors
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Pilot, PilotIteration, PilotStatus
from .permissions import can_add_pilot, can_edit_pilot

PILOT_FIELDS = ("title", "hypothesis", "scope", "started_on", "lessons", "visibility")
LINK_FIELDS = ("actors", "orientations")
CLOSED_STATUSES = frozenset({PilotStatus.SCALED_UP, PilotStatus.STOPPED})
# A pilot may be prepared ahead of its start, but not announced for a distant future.
FURTHEST_START = datetime.timedelta(days=365)


def is_closed(pilot: Pilot) -> bool:
    return pilot.status in CLOSED_STATUSES


# Reads -------------------------------------------------------------------------------------------


def readable_pilots(viewer, territory: Territory) -> QuerySet[Pilot]:
    """The territory's pilots `viewer` may read (no related rows fetched)."""
    return visible_to(Pilot.objects.filter(territory=territory), viewer)


def pilot_list(viewer, territory: Territory, *, status: str = "") -> QuerySet[Pilot]:
    """The pilots `viewer` may read, latest start first, optionally of one status, each with its
    number of iterations and its sheet (if any)."""
    pilots = readable_pilots(viewer, territory)
    if status:
        pilots = pilots.filter(status=status)
    return (
        pilots.select_related("territory", "sheet")
        .annotate(iteration_count=Count("iterations"))
        .order_by("-started_on", "-id")
    )


def territory_actors(viewer, territory: Territory) -> QuerySet[Actor]:
    """The actors a pilot may involve: the territory's, as `viewer` may read them."""
    return readable_actors(viewer, territory).order_by("name", "id")


def pilots_of(viewer, territory: Territory) -> QuerySet[Pilot]:
    """The readable pilots with everything their page shows: the actors and orientations `viewer`
    may read, the iterations in order, the sheet."""
    return (
        readable_pilots(viewer, territory)
        .select_related("territory", "author", "sheet")
        .prefetch_related(
            Prefetch("actors", queryset=territory_actors(viewer, territory)),
            Prefetch("orientations", queryset=readable_orientations(viewer)),
            Prefetch("iterations", queryset=PilotIteration.objects.order_by("number")),
        )
        .order_by("-started_on", "-id")
    )


def written_pilot(viewer, territory: Territory, pilot: Pilot) -> Pilot | None:
    """The pilot just written, as `viewer` reads it — or None: a contributor may write a private
    pilot, which then belongs to the team's reading."""
    return pilots_of(viewer, territory).filter(pk=pilot.pk).first()


def written_pilot_as_written(viewer, territory: Territory, pilot: Pilot) -> Pilot:
    """The pilot as its writer wrote it, even when they may not read it any more, with only the
    actors and orientations they read."""
    return (
        Pilot.objects.filter(pk=pilot.pk)
        .select_related("territory")
        .prefetch_related(
            Prefetch("actors", queryset=territory_actors(viewer, territory)),
            Prefetch("orientations", queryset=readable_orientations(viewer)),
            Prefetch("iterations", queryset=PilotIteration.objects.order_by("number")),
        )
        .get()
    )


def access_pilot(viewer, territory: Territory, pk: int) -> Pilot:
    """The pilot, or the same 404 whether it does not exist or `viewer` may not read it."""
    pilot = pilots_of(viewer, territory).filter(pk=pk).first()
    if pilot is None:
        raise Http404
    return pilot


def pilots_by_status(viewer, territory: Territory) -> dict[str, int]:
    """How many pilots of each status `viewer` may read, every status present (one query)."""
    counts = dict(
        readable_pilots(viewer, territory)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    return {status: counts.get(status, 0) for status in PilotStatus.values}


# Writes ------------------------------------------------------------------------------------------


def _snapshot(pilot: Pilot) -> dict[str, Any]:
    values = {field: getattr(pilot, field) for field in PILOT_FIELDS}
    values["started_on"] = values["started_on"].isoformat() if values["started_on"] else None
    values["status"] = pilot.status
    saved = pilot.pk is not None
    values["actors"] = sorted(pilot.actors.values_list("pk", flat=True)) if saved else []
    values["orientations"] = sorted(pilot.orientations.values_list("pk", flat=True)) if saved else []
    return values


def format_date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def validated(instance: Any, rules: Callable[[set[str]], dict[str, list[str]]]) -> None:
    """`full_clean()` and the rules across fields and rows, all errors at once: `rules` receives the
    fields already found invalid, and checks only the others."""
    try:
        instance.full_clean()
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    for field, messages in rules(set(errors)).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _rules(pilot: Pilot, invalid: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "started_on" not in invalid:
        latest = timezone.localdate() + FURTHEST_START
        if pilot.started_on > latest:
            errors.setdefault("started_on", []).append(
                _("A pilot starts at most a year from today: on %(date)s at the latest.")
                % {"date": format_date(latest)}
            )
        first = pilot.iterations.aggregate(first=Min("held_on"))["first"] if pilot.pk else None
        if first is not None and pilot.started_on > first:
            errors.setdefault("started_on", []).append(
                _("An iteration is dated %(date)s: the pilot cannot start after it.")
                % {"date": format_date(first)}
            )
    if pilot.status == PilotStatus.STOPPED and not pilot.lessons and "lessons" not in invalid:
        errors["lessons"] = [_("A stopped pilot keeps the lessons learnt: write them.")]
    return errors


def _check_orientations(actor: Any, territory: Territory, chosen: Iterable[Orientation]) -> list[Orientation]:
    chosen = list(chosen)
    ids = {orientation.pk for orientation in chosen}
    allowed = set(vision_orientations(actor, territory).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ValidationError({"orientations": [_("Choose orientations of this territory's vision.")]})
    return chosen


def _links(actor: Any, territory: Territory, links: dict[str, Any], pilot: Pilot | None) -> dict[str, list]:
    """The links to write: those chosen (checked), plus those the editor cannot read, which stay."""
    checked: dict[str, list] = {}
    if links.get("actors") is not None:
        checked["actors"] = check_actors(actor, territory, links["actors"])
        if pilot is not None:
            visible = territory_actors(actor, territory).values("pk")
            checked["actors"] += Actor.objects.filter(pilots=pilot).exclude(pk__in=visible)
    if links.get("orientations") is not None:
        checked["orientations"] = _check_orientations(actor, territory, links["orientations"])
        if pilot is not None:
            visible = vision_orientations(actor, territory).values("pk")
            checked["orientations"] += Orientation.objects.filter(pilots=pilot).exclude(pk__in=visible)
    return checked


def _audit(actor: Any, action: str, pilot: Pilot, changes: dict[str, list[Any]]) -> None:
    audit_record(
        actor=actor, action=action, obj=pilot, scope=territory_scope(pilot.territory), changes=changes
    )


def pilot_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    hypothesis: str,
    scope: str,
    started_on: datetime.date,
    actors: Iterable[Actor] = (),
    orientations: Iterable[Orientation] = (),
    lessons: str = "",
    visibility: str = Visibility.PRIVATE,
) -> Pilot:
    """A new pilot, running."""
    if not can_add_pilot(actor, territory):
        raise PermissionDenied
    pilot = Pilot(
        territory=territory,
        title=title.strip(),
        hypothesis=hypothesis.strip(),
        scope=scope.strip(),
        started_on=started_on,
        lessons=lessons.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validated(pilot, lambda invalid: _rules(pilot, invalid))
    links = _links(actor, territory, {"actors": actors, "orientations": orientations}, None)
    with transaction.atomic():
        pilot.save()
        for name, linked in links.items():
            getattr(pilot, name).set(linked)
        _audit(actor, "pilot.create", pilot, changed_fields({}, _snapshot(pilot)))
    return pilot


def pilot_update(*, actor: Any, pilot: Pilot, **values: Any) -> Pilot:
    """Change some of the pilot's fields, actors and orientations (its status follows its
    iterations and is not changed here)."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    before = _snapshot(pilot)
    links = {name: values.pop(name, None) for name in LINK_FIELDS}
    for field, value in values.items():
        if field not in PILOT_FIELDS:
            raise TypeError(f"pilots have no field {field!r}")
        setattr(pilot, field, value.strip() if isinstance(value, str) else value)
    validated(pilot, lambda invalid: _rules(pilot, invalid))
    checked = _links(actor, pilot.territory, links, pilot)
    with transaction.atomic():
        pilot.save()
        for name, linked in checked.items():
            getattr(pilot, name).set(linked)
        changes = changed_fields(before, _snapshot(pilot))
        if changes:
            _audit(actor, "pilot.update", pilot, changes)
    return pilot


def pilot_delete(*, actor: Any, pilot: Pilot) -> None:
    """Delete the pilot with its iterations and its sheet."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "pilot.delete", pilot, changed_fields(_snapshot(pilot), {}))
        pilot.delete()
