"""The controversy register (K6, C3): reads through the viewer's visibility, and the writes of a
controversy itself (report, change, delete). Its life cycle is in `controversy_lifecycle`, what the
instruction gathers (parties, expertise, états, follow-up) in `controversy_records`.

- A controversy's parties, expertise, états, follow-up and transitions read as the controversy.
- A party that is an actor the viewer may not read shows as « Acteur non visible » with its
  category, as on the network page; its position stays readable (it was stated in the open forum).
- Its forum is a participation space of its territory; a viewer who may not read that space sees
  that there is one, not its name.
- Its subject areas are essential needs of the référentiel (water, food, energy, mobility…).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import (
    Controversy,
    ControversyStage,
    Decision,
    ParticipationSpace,
    Party,
    StageTransition,
    StateOfControversy,
)
from .permissions import can_add_controversy, can_edit_controversy
from .spaces import readable_spaces

AREA_GRID = "essential_need"
CONTROVERSY_FIELDS = ("subject", "description", "visibility")
LINK_FIELDS = ("forum", "subject_areas")
# Followed up: the decision is carried out; every other stage is an open controversy.
OPEN_STAGES = tuple(stage for stage in ControversyStage if stage != ControversyStage.FOLLOWED_UP)


# Reads -------------------------------------------------------------------------------------------


def readable_controversies(viewer, territory: Territory) -> QuerySet[Controversy]:
    return visible_to(Controversy.objects.filter(territory=territory), viewer)


def forum_visible_annotation(viewer):
    """For a queryset of controversies: whether `viewer` may read the forum."""
    return Exists(visible_to(ParticipationSpace.objects.filter(pk=OuterRef("forum_id")), viewer))


def controversy_register(
    viewer, territory: Territory, *, stage: str = "", forum: int | None = None, area: str = ""
) -> QuerySet[Controversy]:
    """The controversies `viewer` may read, latest first, optionally at one stage, in one forum
    (id) and about one subject area (code); each with its number of parties and whether `viewer`
    may read its forum (`forum_visible`)."""
    controversies = readable_controversies(viewer, territory)
    if stage:
        controversies = controversies.filter(stage=stage)
    if forum:
        controversies = controversies.filter(forum_id=forum)
    if area:
        controversies = controversies.filter(subject_areas__grid__code=AREA_GRID, subject_areas__code=area)
    return (
        controversies.select_related("forum")
        .prefetch_related(Prefetch("subject_areas", queryset=Item.objects.order_by("position", "id")))
        .annotate(party_count=Count("parties", distinct=True), forum_visible=forum_visible_annotation(viewer))
        .order_by("-created_at", "-id")
    )


def access_controversy(viewer, territory: Territory, pk: int) -> Controversy:
    """The controversy, or the same 404 whether it does not exist or `viewer` may not read it."""
    controversy = (
        readable_controversies(viewer, territory)
        .filter(pk=pk)
        .select_related("territory", "forum", "author")
        .annotate(forum_visible=forum_visible_annotation(viewer))
        .first()
    )
    if controversy is None:
        raise Http404
    return controversy


def stage_counts(viewer, territory: Territory) -> list[tuple[str, str, int]]:
    """(stage, label, number of controversies `viewer` may read at that stage), every stage in
    the order of the life cycle (one query)."""
    counted = dict(
        readable_controversies(viewer, territory).order_by().values_list("stage").annotate(n=Count("id"))
    )
    return [(stage.value, stage.label, counted.get(stage.value, 0)) for stage in ControversyStage]


@dataclass(frozen=True)
class PartyView:
    party: Party
    actor: ActorView | None  # None for a group of inhabitants

    @property
    def label(self) -> str:
        if self.actor is not None:
            return self.actor.label
        return self.party.group_name or _("Former actor of the map")

    @property
    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.party.sources.splitlines() if line.strip()]


@dataclass(frozen=True)
class StateView:
    state: StateOfControversy
    signatories: list[str]  # labels of the parties who co-signed


@dataclass(frozen=True)
class ControversyStory:
    """Everything the controversy's page tells, in the order a citizen reads it."""

    controversy: Controversy
    subject_areas: list[Item]
    parties: list[PartyView]
    expertise: list
    states: list[StateView]  # latest first
    follow_ups: list
    transitions: list[StageTransition]
    decisions: list[Decision]  # the related decisions `viewer` may read

    @property
    def current_state(self) -> StateView | None:
        return self.states[0] if self.states else None

    @property
    def timeline(self) -> list[tuple[StageTransition, bool]]:
        """Each recorded step, with whether it reopened the controversy (went back in the cycle)."""
        return [(step, is_reopening(step.from_stage, step.to_stage)) for step in self.transitions]

    @property
    def reopened(self) -> int:
        return sum(1 for _step, reopening in self.timeline if reopening)


# Going back from these stages reopens the controversy; a deliberation sent back to instruction
# is the instruction going on, not a reopening.
DECIDED_STAGES = (ControversyStage.DECIDED, ControversyStage.FOLLOWED_UP)


def is_reopening(from_stage: str, to_stage: str) -> bool:
    return from_stage in DECIDED_STAGES and to_stage not in DECIDED_STAGES


def controversy_story(viewer, territory: Territory, pk: int) -> ControversyStory:
    """The controversy with all it gathered, in the same number of queries whatever their numbers."""
    controversy = access_controversy(viewer, territory, pk)
    readable = readable_actor_ids(viewer, territory.pk)
    parties = list(controversy.parties.select_related("actor__category").order_by("id"))
    views = {party.pk: _party_view(party, readable) for party in parties}
    states = [
        StateView(state, [views[p.pk].label for p in state.signatories.all() if p.pk in views])
        for state in controversy.states.prefetch_related("signatories").order_by("-number")
    ]
    return ControversyStory(
        controversy=controversy,
        subject_areas=list(controversy.subject_areas.order_by("position", "id")),
        parties=list(views.values()),
        expertise=list(controversy.expertise.order_by("dated", "id")),
        states=states,
        follow_ups=list(controversy.follow_ups.order_by("due_on", "id")),
        transitions=list(controversy.transitions.select_related("by").order_by("at", "id")),
        decisions=list(
            visible_to(controversy.related_decisions.all(), viewer)
            .select_related("participation_level")
            .order_by("-decided_on", "-id")
        ),
    )


def _party_view(party: Party, readable: set[int]) -> PartyView:
    return PartyView(party, ActorView.of(party.actor, readable) if party.actor_id else None)


def subject_area_choices() -> list[Item]:
    return referential_items(AREA_GRID)


# Writes ------------------------------------------------------------------------------------------


def audit_controversy(actor: Any, action: str, obj: Any, controversy: Controversy, changes: dict) -> None:
    """Every controversy write is audited in its territory's scope."""
    audit_record(
        actor=actor, action=action, obj=obj, scope=territory_scope(controversy.territory), changes=changes
    )


def _snapshot(controversy: Controversy, areas: Iterable[Item] | None = None) -> dict[str, Any]:
    values = {field: getattr(controversy, field) for field in CONTROVERSY_FIELDS}
    values["forum"] = controversy.forum_id
    values["stage"] = controversy.stage
    if areas is None:
        areas = controversy.subject_areas.all() if controversy.pk else []
    values["subject_areas"] = sorted(item.code for item in areas)
    return values


def _checked_links(
    actor: Any,
    controversy: Controversy,
    forum_before: int | None,
    areas: Iterable[Item] | None,
    held: Iterable[Item] = (),
) -> dict[str, list[str]]:
    """The forum and the subject areas: essential needs of the current référentiel, or those the
    controversy already holds (of an older version: decision 0009)."""
    errors: dict[str, list[str]] = {}
    forum = controversy.forum
    changed = forum is not None and forum.pk != forum_before
    if changed and not readable_spaces(actor, controversy.territory).filter(pk=forum.pk).exists():
        errors["forum"] = [_("Choose a participation space of this territory.")]
    if areas is not None:
        allowed = {item.pk for item in subject_area_choices()} | {item.pk for item in held}
        if any(item.pk not in allowed for item in areas):
            errors["subject_areas"] = [_("Choose essential needs of the référentiel.")]
    return errors


def _validate(
    actor: Any, controversy: Controversy, forum_before: int | None, areas, held: Iterable[Item] = ()
) -> None:
    try:
        controversy.full_clean(exclude=["forum", "territory"])
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    for field, messages in _checked_links(actor, controversy, forum_before, areas, held).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def controversy_report(
    *,
    actor: Any,
    territory: Territory,
    subject: str,
    description: str,
    forum: ParticipationSpace | None = None,
    subject_areas: Iterable[Item] = (),
    visibility: str = Visibility.PRIVATE,
) -> Controversy:
    """Report a controversy: it starts at « reported », and that first step is recorded."""
    if not can_add_controversy(actor, territory):
        raise PermissionDenied
    author = actor if getattr(actor, "is_authenticated", False) else None
    controversy = Controversy(
        territory=territory,
        subject=subject.strip(),
        description=description.strip(),
        forum=forum,
        visibility=visibility,
        author=author,
    )
    areas = list(subject_areas)
    _validate(actor, controversy, None, areas)
    with transaction.atomic():
        controversy.save()
        controversy.subject_areas.set(areas)
        StageTransition.objects.create(
            controversy=controversy, to_stage=ControversyStage.REPORTED, reason=_("Reported"), by=author
        )
        changes = changed_fields({}, _snapshot(controversy, areas))
        audit_controversy(actor, "controversy.create", controversy, controversy, changes)
    return controversy


def controversy_update(*, actor: Any, controversy: Controversy, **values: Any) -> Controversy:
    """Change the subject, description, forum, subject areas or visibility (the stage moves only
    through `controversy_lifecycle.controversy_move`)."""
    if not can_edit_controversy(actor, controversy):
        raise PermissionDenied
    before = _snapshot(controversy)
    held = list(controversy.subject_areas.all())
    areas = values.pop("subject_areas", None)
    areas = list(areas) if areas is not None else None
    for field, value in values.items():
        if field not in (*CONTROVERSY_FIELDS, "forum"):
            raise TypeError(f"controversies have no field {field!r}")
        setattr(controversy, field, value.strip() if isinstance(value, str) else value)
    try:
        _validate(actor, controversy, before["forum"], areas, held)
    except ValidationError:
        controversy.refresh_from_db()  # the caller's object keeps what is stored, not what was refused
        raise
    if areas is not None:
        # One row per code: a code the controversy holds keeps its row, whatever its version.
        areas = kept_or_current(AREA_GRID, list(dict.fromkeys(item.code for item in areas)), held)
    with transaction.atomic():
        controversy.save()
        if areas is not None:
            controversy.subject_areas.set(areas)
        changes = changed_fields(before, _snapshot(controversy, areas))
        if changes:
            audit_controversy(actor, "controversy.update", controversy, controversy, changes)
    return controversy


def controversy_delete(*, actor: Any, controversy: Controversy) -> None:
    if not can_edit_controversy(actor, controversy):
        raise PermissionDenied
    with transaction.atomic():
        audit_controversy(
            actor, "controversy.delete", controversy, controversy, changed_fields(_snapshot(controversy), {})
        )
        controversy.delete()
