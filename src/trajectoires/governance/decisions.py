"""Decisions and the participation level each reached (K4; stop S2): reads through the viewer's
visibility, writes that check the right, validate, write and audit, and the statistics of the
levels over time.

Rules of a decision:
- its level is an item of the référentiel's participation ladder (inform → co-decide, `extra["rank"]`
  1 to 5);
- its space, if any, is a space of its territory that the author may read;
- it may be recorded ahead of a planned vote, at most a year ahead (`FURTHEST_DECISION`);
- co-construction starts on the decision's date at the latest, and never after today;
- a decision at a top-down level (inform, consult: the people are told or asked, the decision is
  taken above them) was not co-constructed: it has no co-construction start.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Decision, ParticipationSpace
from .permissions import can_add_decision, can_edit_decision
from .spaces import readable_spaces, visible_space_annotation

LEVEL_GRID = "participation_level"
DECISION_FIELDS = ("title", "description", "decided_on", "co_construction_started_on", "visibility")
LINK_FIELDS = ("participation_level", "space")
# The ladder of the référentiel, version 1: code → rank.
LADDER = {"inform": 1, "consult": 2, "concert": 3, "co_construct": 4, "co_decide": 5}
TOP_DOWN_UP_TO = 2  # inform, consult: decided top-down (S2)
SHARED_FROM = 4  # co-construct, co-decide: decided with people
FURTHEST_DECISION = datetime.timedelta(days=365)


def rank_of(level: Item) -> int:
    return int(level.extra.get("rank", 0))


def ladder_items() -> list[Item]:
    """The levels of the current référentiel, from inform to co-decide."""
    return sorted(referential_items(LEVEL_GRID), key=rank_of)


# Statistics --------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class LevelCounts:
    """How many decisions at each level (codes in rank order), and the two ends of the ladder."""

    counts: dict[str, int]
    top_down: int
    shared: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def top_down_share(self) -> float | None:
        return _share(self.top_down, self.total)

    @property
    def shared_share(self) -> float | None:
        return _share(self.shared, self.total)


@dataclass(frozen=True)
class YearLevels(LevelCounts):
    year: int = 0


@dataclass(frozen=True)
class LevelDistribution:
    levels: tuple[str, ...]  # level codes, in rank order
    years: list[YearLevels]  # every year from the first decision to the last, empty ones included
    overall: LevelCounts


def _counts(levels: tuple[str, ...], ranks: Mapping[str, int], counted: Mapping[str, int]) -> dict:
    counts = {code: counted.get(code, 0) for code in levels}
    return {
        "counts": counts,
        "top_down": sum(n for code, n in counts.items() if ranks[code] <= TOP_DOWN_UP_TO),
        "shared": sum(n for code, n in counts.items() if ranks[code] >= SHARED_FROM),
    }


def level_distribution(
    decisions: Iterable[tuple[int, str, int]], ranks: Mapping[str, int] = LADDER
) -> LevelDistribution:
    """Decisions per year and level. `decisions`: rows of (year, level code, number of decisions);
    `ranks`: the ladder (code → rank). A year with no decision between the first and the last
    is kept, with zeros, so the picture over time has no hidden gap."""
    levels = tuple(sorted(ranks, key=ranks.__getitem__))
    by_year: dict[int, dict[str, int]] = {}
    overall: dict[str, int] = {}
    for year, code, number in decisions:
        if code not in ranks:
            raise ValueError(f"{code!r} is not a level of the ladder")
        by_year.setdefault(year, {}).setdefault(code, 0)
        by_year[year][code] += number
        overall[code] = overall.get(code, 0) + number
    years = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    return LevelDistribution(
        levels=levels,
        years=[YearLevels(year=year, **_counts(levels, ranks, by_year.get(year, {}))) for year in years],
        overall=LevelCounts(**_counts(levels, ranks, overall)),
    )


# Reads -------------------------------------------------------------------------------------------


def readable_decisions(viewer, territory: Territory) -> QuerySet[Decision]:
    return visible_to(Decision.objects.filter(territory=territory), viewer)


def decisions_of(
    viewer, territory: Territory, *, level: str = "", space: int | None = None, year: int | None = None
) -> QuerySet[Decision]:
    """The decisions `viewer` may read, latest first, optionally of one level (code), one space
    (id) and one year; each says whether `viewer` may read its space (`space_visible`)."""
    decisions = readable_decisions(viewer, territory)
    if level:
        decisions = decisions.filter(participation_level__code=level)
    if space:
        decisions = decisions.filter(space_id=space)
    if year:
        decisions = decisions.filter(decided_on__year=year)
    return (
        decisions.select_related("territory", "participation_level", "space", "author")
        .annotate(space_visible=visible_space_annotation(viewer))
        .order_by("-decided_on", "-id")
    )


def access_decision(viewer, territory: Territory, pk: int) -> Decision:
    """The decision, or the same 404 whether it does not exist or `viewer` may not read it."""
    decision = decisions_of(viewer, territory).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def readable_level_distribution(viewer, territory: Territory) -> LevelDistribution:
    """The distribution of the levels of every decision `viewer` may read (one query, plus the
    ladder)."""
    rows = (
        readable_decisions(viewer, territory)
        .order_by()
        .values_list("decided_on__year", "participation_level__code")
        .annotate(number=Count("id"))
    )
    ranks = {item.code: rank_of(item) for item in ladder_items()}
    return level_distribution(((year, code, n) for year, code, n in rows if code in ranks), ranks)


@dataclass(frozen=True)
class ParticipationSummary:
    """For the dashboard: decisions per level (every level of the ladder), and the share decided
    at co-construct or above."""

    levels: list[tuple[Item, int]]
    total: int
    shared: int

    @property
    def shared_share(self) -> float | None:
        return _share(self.shared, self.total)


def participation_summary(viewer, territory: Territory) -> ParticipationSummary:
    """Three queries whatever the number of decisions: the référentiel's version, its ladder, and
    the count per level."""
    ladder = ladder_items()
    counted = dict(
        readable_decisions(viewer, territory)
        .order_by()
        .values_list("participation_level__code")
        .annotate(number=Count("id"))
    )
    levels = [(item, counted.get(item.code, 0)) for item in ladder]
    shared = sum(n for item, n in levels if rank_of(item) >= SHARED_FROM)
    return ParticipationSummary(levels, sum(n for _item, n in levels), shared)


# Writes ------------------------------------------------------------------------------------------


def _snapshot(decision: Decision) -> dict[str, Any]:
    values = {field: getattr(decision, field) for field in DECISION_FIELDS}
    for field in ("decided_on", "co_construction_started_on"):
        values[field] = values[field].isoformat() if values[field] else None
    level = decision.participation_level if decision.participation_level_id else None
    values["participation_level"] = level.code if level else None
    values["space"] = decision.space_id
    return values


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _level_errors(decision: Decision) -> list[str]:
    level = decision.participation_level if decision.participation_level_id else None
    if level is None or level.grid.code != LEVEL_GRID:
        return [_("Choose a level of the participation ladder.")]
    return []


def _date_errors(decision: Decision, invalid: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if "decided_on" not in invalid and decision.decided_on > today + FURTHEST_DECISION:
        errors["decided_on"] = [
            _("A decision is recorded at most a year ahead: on %(date)s at the latest.")
            % {"date": _date(today + FURTHEST_DECISION)}
        ]
    start = decision.co_construction_started_on
    if start is None or "co_construction_started_on" in invalid:
        return errors
    problems = []
    if start > today:
        problems.append(_("Co-construction cannot start in the future."))
    if "decided_on" not in invalid and start > decision.decided_on:
        problems.append(
            _("Co-construction starts before the decision: on %(date)s at the latest.")
            % {"date": _date(decision.decided_on)}
        )
    if "participation_level" not in invalid and rank_of(decision.participation_level) <= TOP_DOWN_UP_TO:
        problems.append(
            _("A decision at the level « %(level)s » was not co-constructed: leave this date empty.")
            % {"level": decision.participation_level.label}
        )
    if problems:
        errors["co_construction_started_on"] = problems
    return errors


def _space_errors(actor: Any, decision: Decision, before: int | None) -> list[str]:
    space = decision.space
    if space is None or space.pk == before:
        return []  # unchanged: a space the editor cannot read stays
    readable = readable_spaces(actor, decision.territory).filter(pk=space.pk).exists()
    return [] if readable else [_("Choose a participation space of this territory.")]


def _validate(actor: Any, decision: Decision, space_before: int | None) -> None:
    try:
        decision.full_clean(exclude=["participation_level", "space"])
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    if level_errors := _level_errors(decision):
        errors["participation_level"] = level_errors
    if space_errors := _space_errors(actor, decision, space_before):
        errors["space"] = space_errors
    for field, messages in _date_errors(decision, set(errors)).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _audit(actor: Any, action: str, decision: Decision, changes: dict[str, list[Any]]) -> None:
    audit_record(
        actor=actor, action=action, obj=decision, scope=territory_scope(decision.territory), changes=changes
    )


def decision_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    decided_on: datetime.date,
    participation_level: Item,
    description: str = "",
    space: ParticipationSpace | None = None,
    co_construction_started_on: datetime.date | None = None,
    visibility: str = Visibility.PRIVATE,
) -> Decision:
    if not can_add_decision(actor, territory):
        raise PermissionDenied
    decision = Decision(
        territory=territory,
        title=title.strip(),
        description=description.strip(),
        decided_on=decided_on,
        participation_level=participation_level,
        space=space,
        co_construction_started_on=co_construction_started_on,
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate(actor, decision, None)
    with transaction.atomic():
        decision.save()
        _audit(actor, "decision.create", decision, changed_fields({}, _snapshot(decision)))
    return decision


def _same_level(level: Item, decision: Decision) -> bool:
    """Whether `level` is the decision's level, or the same code of the ladder in another version
    of the référentiel (decision 0009)."""
    held = decision.participation_level
    return level.pk == held.pk or (level.code, level.grid.code) == (held.code, held.grid.code)


def decision_update(*, actor: Any, decision: Decision, **values: Any) -> Decision:
    if not can_edit_decision(actor, decision):
        raise PermissionDenied
    before = _snapshot(decision)
    level = values.get("participation_level")
    if isinstance(level, Item) and decision.participation_level_id and _same_level(level, decision):
        values["participation_level"] = decision.participation_level  # keeps its row, whatever its version
    for field, value in values.items():
        if field not in DECISION_FIELDS + LINK_FIELDS:
            raise TypeError(f"decisions have no field {field!r}")
        setattr(decision, field, value.strip() if isinstance(value, str) else value)
    _validate(actor, decision, before["space"])
    with transaction.atomic():
        decision.save()
        changes = changed_fields(before, _snapshot(decision))
        if changes:
            _audit(actor, "decision.update", decision, changes)
    return decision


def decision_delete(*, actor: Any, decision: Decision) -> None:
    if not can_edit_decision(actor, decision):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "decision.delete", decision, changed_fields(_snapshot(decision), {}))
        decision.delete()


def months_of_co_construction(decision: Decision) -> int | None:
    """Whole months from the start of co-construction to the decision, if it started."""
    start, end = decision.co_construction_started_on, decision.decided_on
    if start is None:
        return None
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
