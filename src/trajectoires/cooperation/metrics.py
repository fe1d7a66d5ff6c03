"""Network metrics of a survey round, from plain data (no database), with networkx.

The network is undirected: a tie from A to B is a tie between A and B. Several ties of different
types between the same two actors are one link of the network for the density and the
centralities; counts and shares count ties. Definitions (also in docs/cooperation-network.md):

- actors: the nodes given — the caller passes every actor of the territory, so an actor without a
  tie in the round counts (an isolate lowers the density and has a centrality of 0);
- ties: the ties of the round, every type;
- density: linked pairs ÷ possible pairs, n(n−1)/2 (0 with fewer than two actors);
- degree centrality of an actor: the actors it is linked to ÷ (n − 1) (networkx; 0 when alone);
- betweenness centrality: the share of shortest paths between two other actors that pass through
  it, normalised by (n−1)(n−2)/2 (networkx's default for an undirected graph);
- share across categories: ties whose two actors are of different categories ÷ all ties;
- category × category matrix: ties between each pair of categories, both halves filled (a tie
  élu–agent counts in [élu][agent] and [agent][élu]; a tie within a category once, on the diagonal);
  every category that has an actor appears, with zeros;
- « 4 Fantastiques » complete: each of the four categories (élu, agent, État territorial,
  socio-economic actor) has at least one actor, and each is directly tied to each of the three
  others (the six pairs each have at least one tie);
- by tie type: the same figures on the ties of one type only.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

TOP = 5  # how many actors count as "the most central" when two rounds are compared


@dataclass(frozen=True)
class ActorNode:
    id: int
    category: str  # the référentiel code of its category


@dataclass(frozen=True)
class TieEdge:
    source: int
    target: int
    tie_type: str


@dataclass(frozen=True)
class Centrality:
    degree: float
    betweenness: float


@dataclass(frozen=True)
class TypeMetrics:
    tie_count: int
    density: float
    cross_category_share: float
    centrality: dict[int, Centrality]


@dataclass(frozen=True)
class NetworkMetrics:
    actor_count: int
    tie_count: int
    density: float
    cross_category_share: float
    category_matrix: dict[str, dict[str, int]]
    centrality: dict[int, Centrality]
    fantastic_four_complete: bool
    by_tie_type: dict[str, TypeMetrics] = field(default_factory=dict)

    def stored(self) -> dict[str, Any]:
        """The values of a RoundMetrics row (JSON keys are text)."""
        return {
            "actor_count": self.actor_count,
            "tie_count": self.tie_count,
            "density": self.density,
            "cross_category_share": self.cross_category_share,
            "category_matrix": self.category_matrix,
            "centrality": _centrality_json(self.centrality),
            "fantastic_four_complete": self.fantastic_four_complete,
            "by_tie_type": {
                tie_type: {
                    "tie_count": figures.tie_count,
                    "density": figures.density,
                    "cross_category_share": figures.cross_category_share,
                    "centrality": _centrality_json(figures.centrality),
                }
                for tie_type, figures in self.by_tie_type.items()
            },
        }

    @classmethod
    def from_stored(cls, record: Any) -> "NetworkMetrics":
        """Back from a RoundMetrics row (or anything with the same attributes)."""
        by_type = {
            tie_type: TypeMetrics(
                figures["tie_count"],
                figures["density"],
                figures["cross_category_share"],
                _centrality_from_json(figures.get("centrality", {})),
            )
            for tie_type, figures in (record.by_tie_type or {}).items()
        }
        return cls(
            actor_count=record.actor_count,
            tie_count=record.tie_count,
            density=record.density,
            cross_category_share=record.cross_category_share,
            category_matrix=record.category_matrix or {},
            centrality=_centrality_from_json(record.centrality or {}),
            fantastic_four_complete=record.fantastic_four_complete,
            by_tie_type=by_type,
        )


def network_metrics(
    actors: Iterable[ActorNode], ties: Iterable[TieEdge], *, fantastic: Sequence[str] = ()
) -> NetworkMetrics:
    """The metrics of a round: `actors` are the nodes, `ties` the round's ties (their actors must be
    among `actors`), `fantastic` the codes of the four « 4 Fantastiques » categories."""
    categories = {actor.id: actor.category for actor in actors}
    ties = list(ties)
    if unknown := {end for tie in ties for end in (tie.source, tie.target)} - categories.keys():
        raise ValueError(f"ties name actors that are not nodes: {sorted(unknown)}")
    overall = _figures(categories, ties)
    matrix = category_matrix(categories, ties)
    by_type = {
        tie_type: _figures(categories, [tie for tie in ties if tie.tie_type == tie_type])
        for tie_type in sorted({tie.tie_type for tie in ties})
    }
    missing, untied = fantastic_four_gaps(matrix, fantastic)
    return NetworkMetrics(
        actor_count=len(categories),
        tie_count=overall.tie_count,
        density=overall.density,
        cross_category_share=overall.cross_category_share,
        category_matrix=matrix,
        centrality=overall.centrality,
        fantastic_four_complete=bool(fantastic) and not missing and not untied,
        by_tie_type=by_type,
    )


def _figures(categories: Mapping[int, str], ties: list[TieEdge]) -> TypeMetrics:
    graph = nx.Graph()
    graph.add_nodes_from(categories)
    graph.add_edges_from((tie.source, tie.target) for tie in ties if tie.source != tie.target)
    across = sum(1 for tie in ties if categories[tie.source] != categories[tie.target])
    if len(graph) > 1:
        degree = nx.degree_centrality(graph)
        betweenness = nx.betweenness_centrality(graph, normalized=True)
    else:  # networkx gives a lone actor a degree of 1: it is linked to no one, so 0 here
        degree = betweenness = dict.fromkeys(graph, 0.0)
    return TypeMetrics(
        tie_count=len(ties),
        density=nx.density(graph) if len(graph) > 1 else 0.0,
        cross_category_share=across / len(ties) if ties else 0.0,
        centrality={node: Centrality(degree[node], betweenness[node]) for node in graph},
    )


def category_matrix(categories: Mapping[int, str], ties: Iterable[TieEdge]) -> dict[str, dict[str, int]]:
    present = sorted(set(categories.values()))
    counts: Counter[tuple[str, str]] = Counter()
    for tie in ties:
        first, second = categories[tie.source], categories[tie.target]
        counts[first, second] += 1
        if first != second:
            counts[second, first] += 1
    return {row: {column: counts[row, column] for column in present} for row in present}


def fantastic_four_gaps(
    matrix: Mapping[str, Mapping[str, int]], fantastic: Sequence[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """What keeps the « 4 Fantastiques » from being complete: the categories with no actor, and the
    pairs of present categories with no direct tie (both empty: complete)."""
    missing = [code for code in fantastic if code not in matrix]
    present = [code for code in fantastic if code in matrix]
    untied = [(first, second) for first, second in combinations(present, 2) if not matrix[first][second]]
    return missing, untied


@dataclass(frozen=True)
class PairChange:
    first: str
    second: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """From round `a` (earlier) to round `b` (later)."""

    actor_delta: int
    tie_delta: int
    density_delta: float
    cross_share_delta: float
    pairs: list[PairChange]  # category pairs whose number of ties changed
    degree_entering: list[int]  # actors among the most central in b, not in a
    degree_leaving: list[int]
    betweenness_entering: list[int]
    betweenness_leaving: list[int]


def compare(a: NetworkMetrics, b: NetworkMetrics) -> Comparison:
    degree_a, degree_b = (top_actors(m.centrality, "degree") for m in (a, b))
    between_a, between_b = (top_actors(m.centrality, "betweenness") for m in (a, b))
    return Comparison(
        actor_delta=b.actor_count - a.actor_count,
        tie_delta=b.tie_count - a.tie_count,
        density_delta=b.density - a.density,
        cross_share_delta=b.cross_category_share - a.cross_category_share,
        pairs=_pair_changes(a.category_matrix, b.category_matrix),
        degree_entering=sorted(degree_b - degree_a),
        degree_leaving=sorted(degree_a - degree_b),
        betweenness_entering=sorted(between_b - between_a),
        betweenness_leaving=sorted(between_a - between_b),
    )


def top_actors(centrality: Mapping[int, Centrality], measure: str, *, top: int = TOP) -> set[int]:
    """The `top` actors with the highest non-zero `measure`, with every actor tied with the last."""
    values = sorted(
        (getattr(c, measure) for c in centrality.values() if getattr(c, measure) > 0), reverse=True
    )
    if not values:
        return set()
    threshold = values[min(top, len(values)) - 1]
    return {actor for actor, c in centrality.items() if getattr(c, measure) >= threshold > 0}


def _pair_changes(a: Mapping[str, Mapping[str, int]], b: Mapping[str, Mapping[str, int]]) -> list[PairChange]:
    codes = sorted(a.keys() | b.keys())
    changes = []
    for index, first in enumerate(codes):
        for second in codes[index:]:
            before = a.get(first, {}).get(second, 0)
            after = b.get(first, {}).get(second, 0)
            if before != after:
                changes.append(PairChange(first, second, before, after))
    return changes


def _centrality_json(centrality: Mapping[int, Centrality]) -> dict[str, dict[str, float]]:
    return {str(actor): {"degree": c.degree, "betweenness": c.betweenness} for actor, c in centrality.items()}


def _centrality_from_json(values: Mapping[str, Mapping[str, float]]) -> dict[int, Centrality]:
    return {int(actor): Centrality(v["degree"], v["betweenness"]) for actor, v in values.items()}
