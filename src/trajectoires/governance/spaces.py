"""Participation spaces (K4) and their meetings: reads through the viewer's visibility, writes that
check the right, validate, write and audit.

- A space's members are actors of its territory. A member the viewer may not read still counts in
  the space's category mix (its category is shown, as on the network page) but appears as « Acteur
  non visible », without its name.
- A meeting reads as its space and is recorded by those who may edit the space. Its attendees are
  members of the space when it is recorded; removing a member from the space later keeps the
  attendance already recorded (it is history).
- A meeting may be announced ahead with its agenda, at most a year ahead (`FURTHEST_MEETING`);
  attendance and minutes are recorded once it has taken place.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import readable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.services import check_actors
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Decision, Meeting, ParticipationSpace
from .permissions import can_add_space, can_edit_space

CATEGORY_GRID = "actor_category"
SPACE_FIELDS = ("name", "kind", "purpose", "visibility")
MEETING_FIELDS = ("held_on", "agenda", "minutes")
# A meeting may be announced with its agenda, not planned for a distant future.
FURTHEST_MEETING = datetime.timedelta(days=365)


# Reads -------------------------------------------------------------------------------------------


def readable_spaces(viewer, territory: Territory) -> QuerySet[ParticipationSpace]:
    """The territory's spaces `viewer` may read (no related rows fetched)."""
    return visible_to(ParticipationSpace.objects.filter(territory=territory), viewer)


def space_list(viewer, territory: Territory, *, kind: str = "") -> QuerySet[ParticipationSpace]:
    """The spaces `viewer` may read, by name, each with its numbers of members and meetings."""
    spaces = readable_spaces(viewer, territory)
    if kind:
        spaces = spaces.filter(kind=kind)
    return (
        spaces.select_related("territory")
        .annotate(
            member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True)
        )
        .order_by("name", "id")
    )


def spaces_of(viewer, territory: Territory) -> QuerySet[ParticipationSpace]:
    """The readable spaces with their members (and categories) and meetings fetched."""
    members = Actor.objects.select_related("category").order_by("id")
    meetings = Meeting.objects.annotate(attendee_count=Count("attendees")).order_by("-held_on", "-id")
    return (
        readable_spaces(viewer, territory)
        .select_related("territory", "author")
        .prefetch_related(Prefetch("members", queryset=members), Prefetch("meetings", queryset=meetings))
        .order_by("name", "id")
    )


def access_space(viewer, territory: Territory, pk: int) -> ParticipationSpace:
    """The space, or the same 404 whether it does not exist or `viewer` may not read it."""
    space = spaces_of(viewer, territory).filter(pk=pk).first()
    if space is None:
        raise Http404
    return space


@dataclass(frozen=True)
class CategoryGroup:
    """The members of a space in one actor category."""

    category: Item
    members: list[ActorView]
    space_total: int  # members of the space, every category

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def share(self) -> float | None:
        return self.count / self.space_total if self.space_total else None

    @property
    def fantastique(self) -> bool:
        return bool(self.category.extra.get("fantastique"))


@dataclass(frozen=True)
class SpacePage:
    space: ParticipationSpace
    groups: list[CategoryGroup]  # every category of the référentiel, members or not
    decisions: list[Decision]
    member_count: int

    @property
    def mix(self) -> list[CategoryGroup]:
        """The categories present in the space."""
        return [group for group in self.groups if group.count]

    @property
    def fantastiques_missing(self) -> list[Item]:
        return [group.category for group in self.groups if group.fantastique and not group.count]

    @property
    def fantastiques_complete(self) -> bool:
        return any(group.fantastique for group in self.groups) and not self.fantastiques_missing


def members_by_category(space: ParticipationSpace, readable: set[int], categories: Iterable[Item]) -> list:
    """Every category in the référentiel's order with the space's members in it; a member the
    viewer may not read keeps its category but not its name."""
    members = [ActorView.of(actor, readable) for actor in space.members.all()]
    groups = []
    for category in categories:
        inside = [member for member in members if member.category.code == category.code]
        groups.append(CategoryGroup(category, sorted(inside, key=_member_order), len(members)))
    return groups


def _member_order(member: ActorView) -> tuple:
    # Hidden members last and by id: their order must not hint at their names.
    return (member.name is None, member.name or "", member.id)


def space_page(viewer, territory: Territory, pk: int) -> SpacePage:
    """The space with its members by category, its meetings and the decisions taken in it that
    `viewer` may read, in the same number of queries whatever their numbers."""
    space = access_space(viewer, territory, pk)
    readable = readable_actor_ids(viewer, territory.pk)
    groups = members_by_category(space, readable, referential_items(CATEGORY_GRID))
    decisions = list(
        visible_to(Decision.objects.filter(space=space), viewer)
        .select_related("participation_level")
        .order_by("-decided_on", "-id")
    )
    return SpacePage(space, groups, decisions, len(space.members.all()))


def access_meeting(viewer, space: ParticipationSpace, pk: int) -> Meeting:
    """A meeting of a space `viewer` reads (see `access_space`), or a 404."""
    attendees = Actor.objects.select_related("category").order_by("id")
    meeting = (
        Meeting.objects.filter(space=space, pk=pk)
        .select_related("space__territory")
        .prefetch_related(Prefetch("attendees", queryset=attendees))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def attendee_views(viewer, meeting: Meeting) -> list[ActorView]:
    readable = readable_actor_ids(viewer, meeting.space.territory_id)
    views = [ActorView.of(actor, readable) for actor in meeting.attendees.all()]
    return sorted(views, key=_member_order)


# Writes ------------------------------------------------------------------------------------------


def _space_snapshot(space: ParticipationSpace) -> dict[str, Any]:
    values = {field: getattr(space, field) for field in SPACE_FIELDS}
    # Members by id: a person's name is personal data, and the audit trail is never rewritten.
    values["members"] = sorted(space.members.values_list("pk", flat=True)) if space.pk else []
    return values


def _members(actor: Any, territory: Territory, chosen: Iterable[Actor], space: ParticipationSpace | None):
    """The members to write: those chosen (actors of the territory the editor reads), plus those
    the editor cannot read, who stay."""
    members = check_actors(actor, territory, chosen, field="members")
    if space is not None:
        visible = readable_actors(actor, territory).values("pk")
        members += list(Actor.objects.filter(participation_spaces=space).exclude(pk__in=visible))
    return members


def _checked(actor: Any, space: ParticipationSpace, members: Iterable[Actor] | None, existing: bool):
    """`full_clean()` and the members, every error at once; the members to write (None: unchanged)."""
    try:
        space.full_clean()
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    chosen = None
    if members is not None:
        try:
            chosen = _members(actor, space.territory, members, space if existing else None)
        except ValidationError as error:
            errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    return chosen


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict[str, list[Any]]) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


def space_create(
    *,
    actor: Any,
    territory: Territory,
    name: str,
    kind: str,
    purpose: str = "",
    members: Iterable[Actor] = (),
    visibility: str = Visibility.PRIVATE,
) -> ParticipationSpace:
    if not can_add_space(actor, territory):
        raise PermissionDenied
    space = ParticipationSpace(
        territory=territory,
        name=name.strip(),
        kind=kind,
        purpose=purpose.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    chosen = _checked(actor, space, members, existing=False)
    with transaction.atomic():
        space.save()
        space.members.set(chosen)
        _audit(actor, "space.create", space, territory, changed_fields({}, _space_snapshot(space)))
    return space


def space_update(*, actor: Any, space: ParticipationSpace, **values: Any) -> ParticipationSpace:
    """Change some of the space's fields and its members (those the editor cannot read stay)."""
    if not can_edit_space(actor, space):
        raise PermissionDenied
    before = _space_snapshot(space)
    members = values.pop("members", None)
    for field, value in values.items():
        if field not in SPACE_FIELDS:
            raise TypeError(f"spaces have no field {field!r}")
        setattr(space, field, value.strip() if isinstance(value, str) else value)
    chosen = _checked(actor, space, members, existing=True)
    with transaction.atomic():
        space.save()
        if chosen is not None:
            space.members.set(chosen)
        changes = changed_fields(before, _space_snapshot(space))
        if changes:
            _audit(actor, "space.update", space, space.territory, changes)
    return space


def space_delete(*, actor: Any, space: ParticipationSpace) -> None:
    """Delete the space with its meetings; its decisions stay, in no space."""
    if not can_edit_space(actor, space):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "space.delete", space, space.territory, changed_fields(_space_snapshot(space), {}))
        space.delete()


def _meeting_rules(meeting: Meeting, attendees: list[Actor]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    latest = today + FURTHEST_MEETING
    if meeting.held_on > latest:
        errors["held_on"] = [
            _("A meeting is announced at most a year ahead: on %(date)s at the latest.")
            % {"date": formats.date_format(latest, "DATE_FORMAT")}
        ]
    elif meeting.held_on > today:
        if attendees:
            errors["attendees"] = [_("Attendance is recorded once the meeting has taken place.")]
        if meeting.minutes:
            errors["minutes"] = [_("Minutes are written once the meeting has taken place.")]
    member_ids = set(meeting.space.members.values_list("pk", flat=True))
    for attendee in attendees:
        if attendee.pk not in member_ids:
            errors.setdefault("attendees", []).append(
                _("« %(name)s » is not a member of this space.") % {"name": attendee.name}
            )
    return errors


def meeting_record(
    *,
    actor: Any,
    space: ParticipationSpace,
    held_on: datetime.date,
    agenda: str,
    minutes: str = "",
    attendees: Iterable[Actor] = (),
) -> Meeting:
    """A meeting of the space, its attendees among the space's members."""
    if not can_edit_space(actor, space):
        raise PermissionDenied
    meeting = Meeting(
        space=space,
        held_on=held_on,
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        meeting.full_clean()
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    try:
        chosen = check_actors(actor, space.territory, attendees, field="attendees")
    except ValidationError as refused:
        errors.setdefault("attendees", []).extend(refused.message_dict["attendees"])
        chosen = []
    if "held_on" not in errors:
        for field, messages in _meeting_rules(meeting, chosen).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting.save()
        meeting.attendees.set(chosen)
        snapshot = {field: getattr(meeting, field) for field in MEETING_FIELDS}
        snapshot["held_on"] = meeting.held_on.isoformat()
        snapshot["space"] = space.pk
        snapshot["attendees"] = sorted(attendee.pk for attendee in chosen)
        _audit(actor, "meeting.create", meeting, space.territory, changed_fields({}, snapshot))
    return meeting


def visible_space_annotation(viewer):
    """For a queryset of decisions: whether `viewer` may read the decision's space."""
    return Exists(visible_to(ParticipationSpace.objects.filter(pk=OuterRef("space_id")), viewer))
