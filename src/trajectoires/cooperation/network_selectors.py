"""Reads of survey rounds, their ties and their stored metrics, always through the viewer's
visibility. Nothing here computes a metric: pages and the API show what the task stored.

A round's visibility decides who reads it, its ties and its metrics; each actor's own visibility
decides whether its name is shown: an actor the viewer may not read appears as « Acteur non
visible » with its category only.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .metrics import Comparison, NetworkMetrics, compare, fantastic_four_gaps
from .models import Actor, RoundMetrics, SurveyRound, Tie, TieType
from .tasks import CATEGORY_GRID


def survey_rounds(viewer, territory: Territory) -> QuerySet[SurveyRound]:
    """The territory's rounds `viewer` may read, newest first, with their stored metrics."""
    rounds = SurveyRound.objects.filter(territory=territory).select_related("territory", "metrics")
    return visible_to(rounds, viewer).order_by("-held_on", "-id")


def access_survey_round(viewer, territory: Territory, pk: int) -> SurveyRound:
    """The round, or the same 404 whether it does not exist or `viewer` may not read it."""
    survey_round = survey_rounds(viewer, territory).filter(pk=pk).first()
    if survey_round is None:
        raise Http404
    return survey_round


def access_tie(survey_round: SurveyRound, pk: int) -> Tie:
    tie = Tie.objects.filter(round=survey_round, pk=pk).select_related("round__territory").first()
    if tie is None:
        raise Http404
    return tie


def metrics_of(survey_round: SurveyRound) -> RoundMetrics | None:
    try:
        return survey_round.metrics
    except RoundMetrics.DoesNotExist:
        return None


def round_ties(survey_round: SurveyRound) -> QuerySet[Tie]:
    """The round's ties with their actors and categories, in the order they were recorded."""
    ties = Tie.objects.filter(round=survey_round).select_related("source__category", "target__category")
    return ties.order_by("id")


def ready_metrics_of(survey_round: SurveyRound) -> RoundMetrics | None:
    """The round's metrics if they are up to date (not being computed, not failed)."""
    metrics = metrics_of(survey_round)
    return metrics if metrics is not None and metrics.status == RoundMetrics.Status.READY else None


def tie_actor_choices(viewer, territory: Territory) -> QuerySet[Actor]:
    """The actors a tie may link: the territory's, not erased, that `viewer` may read."""
    actors = Actor.objects.filter(territory=territory, erased_at__isnull=True).select_related("category")
    return visible_to(actors, viewer).order_by("name", "id")


@dataclass(frozen=True)
class ActorView:
    """An actor as this viewer may see it: its name only if they may read its record."""

    id: int
    name: str | None
    category: Item

    @property
    def label(self) -> str:
        return self.name if self.name is not None else _("Actor not visible")

    @classmethod
    def of(cls, actor: Actor, readable: set[int]) -> "ActorView":
        """`readable`: the ids of the actors the viewer may read (`readable_actor_ids`)."""
        return cls(actor.pk, actor.name if actor.pk in readable else None, actor.category)


@dataclass(frozen=True)
class TieView:
    id: int
    source: ActorView
    target: ActorView
    tie: Tie


@dataclass(frozen=True)
class NodeView:
    actor: ActorView
    degree: float
    betweenness: float


@dataclass
class RoundNetwork:
    """One round's network as a viewer may see it, for one tie type or all."""

    survey_round: SurveyRound
    metrics: RoundMetrics | None
    tie_type: str  # "" for every type
    ties: list[TieView]
    categories: dict[str, Item]  # every actor category of the référentiel, by code
    nodes: list[NodeView] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.metrics is not None and self.metrics.status == RoundMetrics.Status.READY

    @property
    def tie_type_label(self) -> str:
        return str(TieType(self.tie_type).label) if self.tie_type else ""

    @property
    def figures(self) -> dict:
        """Actors, ties, density and share across categories, for the tie type shown."""
        if not self.ready:
            return {}
        metrics = self.metrics
        if not self.tie_type:
            return {
                "actor_count": metrics.actor_count,
                "tie_count": metrics.tie_count,
                "density": metrics.density,
                "cross_category_share": metrics.cross_category_share,
            }
        by_type = metrics.by_tie_type.get(self.tie_type, {})
        return {
            "actor_count": metrics.actor_count,
            "tie_count": by_type.get("tie_count", 0),
            "density": by_type.get("density", 0.0),
            "cross_category_share": by_type.get("cross_category_share", 0.0),
        }

    @property
    def matrix(self) -> list[tuple[Item, list[int]]]:
        """The category × category table, rows and columns in the référentiel's order."""
        stored = self.metrics.category_matrix if self.ready else {}
        codes = [code for code in self.categories if code in stored]
        return [(self.categories[row], [stored[row].get(column, 0) for column in codes]) for row in codes]

    @property
    def matrix_columns(self) -> list[Item]:
        stored = self.metrics.category_matrix if self.ready else {}
        return [item for code, item in self.categories.items() if code in stored]

    @property
    def fantastic_four(self) -> dict:
        """What the « 4 Fantastiques » lack: categories with no actor, pairs with no direct tie."""
        fantastic = [code for code, item in self.categories.items() if item.extra.get("fantastique")]
        missing, untied = fantastic_four_gaps(self.metrics.category_matrix if self.ready else {}, fantastic)
        return {
            "complete": self.ready and self.metrics.fantastic_four_complete,
            "missing": [self.categories[code] for code in missing],
            "untied": [(self.categories[a], self.categories[b]) for a, b in untied],
        }


def round_network(viewer, survey_round: SurveyRound, *, tie_type: str = "") -> RoundNetwork:
    """The round's ties (of `tie_type`, or all) and stored metrics, in four queries whatever the
    size: ties, the viewer's readable actors, the nodes' actors, the categories."""
    tie_type = tie_type if tie_type in TieType.values else ""
    categories = {item.code: item for item in referential_items(CATEGORY_GRID)}
    ties = round_ties(survey_round)
    if tie_type:
        ties = ties.filter(tie_type=tie_type)
    ties = list(ties)
    readable = readable_actor_ids(viewer, survey_round.territory_id)
    network = RoundNetwork(
        survey_round=survey_round,
        metrics=metrics_of(survey_round),
        tie_type=tie_type,
        ties=[
            TieView(
                tie.pk,
                ActorView.of(tie.source, readable),
                ActorView.of(tie.target, readable),
                tie,
            )
            for tie in ties
        ],
        categories=categories,
    )
    if network.ready:
        network.nodes = _nodes(network, readable)
    return network


def readable_actor_ids(viewer, territory_id: int) -> set[int]:
    return set(
        visible_to(Actor.objects.filter(territory_id=territory_id), viewer).values_list("pk", flat=True)
    )


def _nodes(network: RoundNetwork, readable: set[int]) -> list[NodeView]:
    stored = NetworkMetrics.from_stored(network.metrics)
    centrality = stored.centrality
    if network.tie_type:
        by_type = stored.by_tie_type.get(network.tie_type)
        centrality = by_type.centrality if by_type else dict.fromkeys(centrality, None)
    # By id, not by name: the order must not hint at the names of actors the viewer may not read.
    actors = Actor.objects.filter(pk__in=list(centrality)).select_related("category").order_by("id")
    nodes = []
    for actor in actors:
        values = centrality[actor.pk]
        nodes.append(
            NodeView(
                ActorView.of(actor, readable),
                values.degree if values else 0.0,
                values.betweenness if values else 0.0,
            )
        )
    return sorted(nodes, key=lambda node: (-node.degree, -node.betweenness, node.actor.label))


@dataclass(frozen=True)
class PairChangeView:
    first: Item
    second: Item
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class RoundComparison:
    """From the `earlier` round to the `later` one (Comparison of `metrics.compare`, with names)."""

    earlier: SurveyRound
    later: SurveyRound
    change: Comparison
    pairs: list[PairChangeView]
    degree_entering: list[ActorView]
    degree_leaving: list[ActorView]
    betweenness_entering: list[ActorView]
    betweenness_leaving: list[ActorView]


def rounds_comparison(viewer, first: SurveyRound, second: SurveyRound) -> RoundComparison | None:
    """How the network changed between two rounds (in date order), if both have ready metrics."""
    earlier, later = sorted((first, second), key=lambda survey_round: (survey_round.held_on, survey_round.pk))
    stored = [ready_metrics_of(survey_round) for survey_round in (earlier, later)]
    if None in stored:
        return None
    change = compare(*(NetworkMetrics.from_stored(metrics) for metrics in stored))
    categories = {item.code: item for item in referential_items(CATEGORY_GRID)}
    moved = [
        *change.degree_entering,
        *change.degree_leaving,
        *change.betweenness_entering,
        *change.betweenness_leaving,
    ]
    readable = readable_actor_ids(viewer, later.territory_id) if moved else set()
    actors = {
        actor.pk: ActorView.of(actor, readable)
        for actor in Actor.objects.filter(pk__in=moved).select_related("category")
    }

    def views(ids: list[int]) -> list[ActorView]:
        return [actors[pk] for pk in ids if pk in actors]

    return RoundComparison(
        earlier=earlier,
        later=later,
        change=change,
        pairs=[
            PairChangeView(categories[pair.first], categories[pair.second], pair.before, pair.after)
            for pair in change.pairs
            if pair.first in categories and pair.second in categories
        ],
        degree_entering=views(change.degree_entering),
        degree_leaving=views(change.degree_leaving),
        betweenness_entering=views(change.betweenness_entering),
        betweenness_leaving=views(change.betweenness_leaving),
    )
