"""The territory dashboard (SPEC §3.2–3.5): where it is going, who cooperates and how, how far people
take part in its decisions, which controversies it works through and how its team is trained, whether
its planning pulls in the same direction, what it tests, what happened and what was won — read through
the viewer's visibility, in a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import Actor, RoundMetrics, SurveyRound
from trajectoires.core.visibility import Visibility
from trajectoires.governance.capacity_coverage import TrainingCoverage, training_coverage
from trajectoires.governance.controversies import OPEN_STAGES, stage_counts
from trajectoires.governance.decisions import ParticipationSummary, participation_summary
from trajectoires.governance.models import (
    Controversy,
    ControversyStage,
    Decision,
    ParticipationSpace,
    Training,
)
from trajectoires.planning.coherence import CoherenceSummary, coherence_summary
from trajectoires.planning.models import Action, Pilot, PilotStatus, PlanningDocument
from trajectoires.planning.pilots import pilots_by_status
from trajectoires.planning.trajectory import GapsSummary, gaps_summary
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Celebration, JournalEntry, Narrative, Vision
from trajectoires.steering.selectors import journal_entries
from trajectoires.steering.vision import Coverage, needs_coverage, vision_of
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

LATEST = 5
TREND_ROUNDS = 12

# Record types counted in "what each visibility level shows", in the order the table lists them.
COUNTED = (
    (Vision, _("Vision")),
    (Narrative, _("Narratives")),
    (Actor, _("Actors")),
    (SurveyRound, _("Survey rounds")),
    (JournalEntry, _("Journal entries")),
    (Celebration, _("Celebrations")),
    (PlanningDocument, _("Planning documents recorded")),
    (Action, _("Actions")),
    (Pilot, _("Pilots")),
    (ParticipationSpace, _("Participation spaces")),
    (Decision, _("Decisions")),
    (Training, _("Trainings")),
    (Controversy, _("Controversies")),
)


@dataclass(frozen=True)
class VisibilityRow:
    """How many records of one type each audience reads: a visitor reads only public ones, a
    signed-in member adds alliance ones, a partner adds partners ones, the team reads them all."""

    label: str
    by_level: dict[str, int]

    def readable_by(self, levels: tuple[str, ...]) -> int:
        return sum(self.by_level.get(level, 0) for level in levels)

    @property
    def public(self) -> int:
        return self.readable_by((Visibility.PUBLIC,))

    @property
    def alliance(self) -> int:
        return self.readable_by((Visibility.PUBLIC, Visibility.ALLIANCE))

    @property
    def partners(self) -> int:
        return self.readable_by((Visibility.PUBLIC, Visibility.ALLIANCE, Visibility.PARTNERS))

    @property
    def team(self) -> int:
        return sum(self.by_level.values())


@dataclass(frozen=True)
class CategoryCount:
    category: object  # referential Item
    count: int
    fantastique: bool


@dataclass(frozen=True)
class StageCount:
    stage: str  # a ControversyStage value: the register's `stage` filter
    label: str
    count: int


@dataclass
class Dashboard:
    territory: Territory
    vision: Vision | None
    coverage: list[Coverage]
    metrics: list[RoundMetrics]  # ready metrics of the readable rounds, oldest first
    actor_categories: list[CategoryCount]
    entries: list[JournalEntry]
    celebrations: list[Celebration]
    narratives: list[Narrative]
    coherence: CoherenceSummary
    trajectory: GapsSummary
    pilots: dict[str, int]  # status → readable pilots
    participation: ParticipationSummary
    training: TrainingCoverage
    controversies: list[StageCount]  # every stage, in the life cycle's order
    visibility_rows: list[VisibilityRow] = field(default_factory=list)

    @property
    def pilot_statuses(self) -> list[tuple[str, int]]:
        """(label, count) of every pilot status, in the life cycle's order."""
        return [(str(status.label), self.pilots[status.value]) for status in PilotStatus]

    @property
    def open_controversies(self) -> list[StageCount]:
        """The stages of a controversy still worked through (all but « followed up »)."""
        return [row for row in self.controversies if row.stage in OPEN_STAGES]

    @property
    def open_controversy_count(self) -> int:
        return sum(row.count for row in self.open_controversies)

    @property
    def closed_controversy_count(self) -> int:
        """Followed up: the decision is carried out."""
        return sum(row.count for row in self.controversies if row.stage == ControversyStage.FOLLOWED_UP)

    @property
    def covered_count(self) -> int:
        return sum(1 for row in self.coverage if row.covered)

    @property
    def left_out(self) -> list:
        return [row.need for row in self.coverage if not row.covered]

    @property
    def latest_metrics(self) -> RoundMetrics | None:
        return self.metrics[-1] if self.metrics else None

    @property
    def previous_metrics(self) -> RoundMetrics | None:
        return self.metrics[-2] if len(self.metrics) > 1 else None

    @property
    def fantastiques_present(self) -> bool:
        return all(row.count for row in self.actor_categories if row.fantastique)


def territory_dashboard(viewer, territory: Territory, *, with_visibility: bool = False) -> Dashboard:
    """Everything the dashboard shows to `viewer`; `with_visibility` adds the per-level counts
    (for the team, who may read every level)."""
    vision = vision_of(viewer, territory)
    return Dashboard(
        territory=territory,
        vision=vision,
        coverage=needs_coverage(vision),
        metrics=_round_metrics(viewer, territory),
        actor_categories=_actor_categories(viewer, territory),
        entries=list(journal_entries(viewer, territory)[:LATEST]),
        celebrations=list(_visible(Celebration, viewer, territory).order_by("-achieved_on", "-id")[:LATEST]),
        narratives=list(_visible(Narrative, viewer, territory).order_by("-told_on", "-id")[:LATEST]),
        coherence=coherence_summary(viewer, territory),
        trajectory=gaps_summary(viewer, territory),
        pilots=pilots_by_status(viewer, territory),
        participation=participation_summary(viewer, territory),
        training=training_coverage(viewer, territory),
        controversies=[StageCount(*row) for row in stage_counts(viewer, territory)],
        visibility_rows=_visibility_rows(territory) if with_visibility else [],
    )


def _visible(model, viewer, territory: Territory) -> QuerySet:
    return visible_to(model.objects.filter(territory=territory), viewer)


def _round_metrics(viewer, territory: Territory) -> list[RoundMetrics]:
    rounds = _visible(SurveyRound, viewer, territory).values("pk")
    latest = (
        RoundMetrics.objects.filter(round__in=rounds, status=RoundMetrics.Status.READY)
        .select_related("round")
        .order_by("-round__held_on")[:TREND_ROUNDS]
    )
    return list(reversed(latest))


def _actor_categories(viewer, territory: Territory) -> list[CategoryCount]:
    """Every actor category of the current référentiel with the actors `viewer` reads in it, counted
    by category code: an actor keeps the category row of the version it was written with."""
    counts = dict(
        _visible(Actor, viewer, territory)
        .values_list("category__code")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("category__code", "count")
    )
    return [
        CategoryCount(item, counts.get(item.code, 0), bool(item.extra.get("fantastique")))
        for item in referential_items("actor_category")
    ]


def _visibility_rows(territory: Territory) -> list[VisibilityRow]:
    rows = []
    for model, label in COUNTED:
        counts = model.objects.filter(territory=territory).values_list("visibility").annotate(n=Count("id"))
        rows.append(VisibilityRow(str(label), dict(counts.values_list("visibility", "n"))))
    return rows
