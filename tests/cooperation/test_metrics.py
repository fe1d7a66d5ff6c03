"""Network metrics against values computed by hand on small graphs (no database)."""

import pytest

from trajectoires.cooperation.metrics import (
    ActorNode,
    Centrality,
    NetworkMetrics,
    TieEdge,
    compare,
    network_metrics,
    top_actors,
)

FANTASTIC = ["elu", "agent", "etat_territorial", "socio_economique"]


def ties(*pairs, tie_type="information"):
    return [TieEdge(a, b, tie_type) for a, b in pairs]


def centralities(metrics):
    return {
        actor: (round(c.degree, 4), round(c.betweenness, 4))
        for actor, c in sorted(metrics.centrality.items())
    }


def triangle_and_isolate():
    # 1 élu, 2 agent, 3 État territorial tied in a triangle; 4 socio-economic actor, alone.
    actors = [ActorNode(1, "elu"), ActorNode(2, "agent"), ActorNode(3, "etat_territorial")]
    actors.append(ActorNode(4, "socio_economique"))
    return actors, ties((1, 2), (2, 3), (1, 3))


def test_a_triangle_and_an_isolate():
    actors, edges = triangle_and_isolate()
    metrics = network_metrics(actors, edges, fantastic=FANTASTIC)
    assert (metrics.actor_count, metrics.tie_count) == (4, 3)
    # 3 linked pairs of 4 × 3 / 2 = 6 possible pairs.
    assert metrics.density == 0.5
    # Degree: 2 neighbours of n − 1 = 3 for the triangle, 0 for the isolate. Betweenness: every
    # pair of the triangle is linked directly, so no shortest path passes through a third actor.
    assert centralities(metrics) == {1: (0.6667, 0.0), 2: (0.6667, 0.0), 3: (0.6667, 0.0), 4: (0.0, 0.0)}
    # The three ties link different categories.
    assert metrics.cross_category_share == 1.0
    # All four categories have an actor, but the socio-economic actor is tied to none of the others.
    assert metrics.fantastic_four_complete is False


def test_a_star():
    # Centre 1 tied to 2, 3, 4 and 5.
    actors = [ActorNode(pk, "elu") for pk in range(1, 6)]
    metrics = network_metrics(actors, ties((1, 2), (1, 3), (1, 4), (1, 5)))
    # 4 linked pairs of 5 × 4 / 2 = 10.
    assert metrics.density == 0.4
    # Centre: 4 neighbours of 4 = 1; each leaf 1 of 4 = 0.25. Betweenness of the centre: each of the
    # C(4, 2) = 6 pairs of leaves goes through it, ÷ (n − 1)(n − 2) / 2 = 6 → 1.
    assert centralities(metrics) == {
        1: (1.0, 1.0),
        2: (0.25, 0.0),
        3: (0.25, 0.0),
        4: (0.25, 0.0),
        5: (0.25, 0.0),
    }
    # Every tie within one category.
    assert metrics.cross_category_share == 0.0
    assert metrics.category_matrix == {"elu": {"elu": 4}}


def test_a_path_of_four_for_the_betweenness():
    # 1 — 2 — 3 — 4.
    actors = [ActorNode(pk, "agent") for pk in range(1, 5)]
    metrics = network_metrics(actors, ties((1, 2), (2, 3), (3, 4)))
    # 3 linked pairs of 6.
    assert metrics.density == 0.5
    # Degree: ends 1/3, middles 2/3. Betweenness of 2: the paths 1–3 and 1–4 go through it, 2 of the
    # (n − 1)(n − 2) / 2 = 3 pairs of other actors → 2/3; of 3 likewise (2–4, 1–4); the ends 0.
    assert centralities(metrics) == {
        1: (0.3333, 0.0),
        2: (0.6667, 0.6667),
        3: (0.6667, 0.6667),
        4: (0.3333, 0.0),
    }


def mixed():
    # A, B élus; C agent; D researcher. A–B information; A–C information and joint project
    # (two ties, one link); C–D resources.
    actors = [ActorNode(1, "elu"), ActorNode(2, "elu"), ActorNode(3, "agent"), ActorNode(4, "chercheur")]
    edges = [
        TieEdge(1, 2, "information"),
        TieEdge(1, 3, "information"),
        TieEdge(3, 1, "joint_project"),
        TieEdge(3, 4, "resources"),
    ]
    return actors, edges


def test_mixed_categories_give_the_share_across_and_the_matrix():
    metrics = network_metrics(*mixed(), fantastic=FANTASTIC)
    assert metrics.tie_count == 4
    # Across categories: A–C twice and C–D; within: A–B → 3 of 4.
    assert metrics.cross_category_share == 0.75
    # Both halves filled; a tie within a category counts once, on the diagonal.
    assert metrics.category_matrix == {
        "agent": {"agent": 0, "chercheur": 1, "elu": 2},
        "chercheur": {"agent": 1, "chercheur": 0, "elu": 0},
        "elu": {"agent": 2, "chercheur": 0, "elu": 1},
    }
    # The two ties A–C are one link: 3 linked pairs of 6.
    assert metrics.density == 0.5
    # The network is the path B — A — C — D.
    assert centralities(metrics) == {
        1: (0.6667, 0.6667),
        2: (0.3333, 0.0),
        3: (0.6667, 0.6667),
        4: (0.3333, 0.0),
    }
    assert metrics.fantastic_four_complete is False  # no État territorial, no socio-economic actor


def test_each_tie_type_has_its_own_figures():
    metrics = network_metrics(*mixed())
    information = metrics.by_tie_type["information"]
    # Information: A–B and A–C, 2 links of 6 possible; 1 of the 2 ties across categories.
    assert (information.tie_count, round(information.density, 4), information.cross_category_share) == (
        2,
        0.3333,
        0.5,
    )
    # A is linked to B and C (2 of 3) and lies between them (1 pair of 3).
    assert (round(information.centrality[1].degree, 4), round(information.centrality[1].betweenness, 4)) == (
        0.6667,
        0.3333,
    )
    # Joint project and resources: 1 tie each, 1 link of 6, across categories.
    assert {
        tie_type: (figures.tie_count, round(figures.density, 4), figures.cross_category_share)
        for tie_type, figures in metrics.by_tie_type.items()
        if tie_type != "information"
    } == {"joint_project": (1, 0.1667, 1.0), "resources": (1, 0.1667, 1.0)}


def test_the_fantastic_four_are_complete_when_each_is_tied_to_the_three_others():
    actors = [ActorNode(pk, code) for pk, code in enumerate(FANTASTIC, start=1)]
    # The six pairs of the four categories, one tie each.
    complete = ties((1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4))
    assert network_metrics(actors, complete, fantastic=FANTASTIC).fantastic_four_complete is True
    # Without the tie agent – socio-economic actor (2–4), one pair is not tied directly.
    assert (
        network_metrics(actors, complete[:4] + complete[5:], fantastic=FANTASTIC).fantastic_four_complete
        is False
    )
    # Without the State in the territory, they cannot be complete.
    assert (
        network_metrics(
            actors[:2] + actors[3:], ties((1, 2), (1, 4), (2, 4)), fantastic=FANTASTIC
        ).fantastic_four_complete
        is False
    )


def test_degenerate_networks():
    alone = network_metrics([ActorNode(1, "elu")], [])
    assert (alone.density, alone.centrality, alone.cross_category_share) == (
        0.0,
        {1: Centrality(0.0, 0.0)},
        0.0,
    )
    empty = network_metrics([], [])
    assert (empty.actor_count, empty.tie_count, empty.density, empty.category_matrix) == (0, 0, 0.0, {})
    with pytest.raises(ValueError, match=r"\[9\]"):
        network_metrics([ActorNode(1, "elu")], ties((1, 9)))


def test_the_change_between_two_rounds():
    actors, edges = triangle_and_isolate()
    before = network_metrics(actors, edges, fantastic=FANTASTIC)
    after = network_metrics(actors, edges + ties((3, 4)), fantastic=FANTASTIC)
    change = compare(before, after)
    assert (change.actor_delta, change.tie_delta) == (0, 1)
    # Density 3/6 → 4/6; every tie still across categories.
    assert round(change.density_delta, 4) == 0.1667
    assert change.cross_share_delta == 0.0
    assert [(p.first, p.second, p.before, p.after, p.delta) for p in change.pairs] == [
        ("etat_territorial", "socio_economique", 0, 1, 1)
    ]
    # Degree: before 1, 2, 3 at 2/3 and 4 at 0 (not counted); after 3 at 1, 1 and 2 at 2/3, 4 at 1/3.
    assert (change.degree_entering, change.degree_leaving) == ([4], [])
    # Betweenness: none before; after, 3 lies between 4 and each of 1 and 2 (2 of 3 pairs).
    assert (change.betweenness_entering, change.betweenness_leaving) == ([3], [])


def test_the_most_central_are_the_top_five_with_ties_at_the_last_place():
    values = [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.1, 0.0]
    centrality = {pk: Centrality(value, 0.0) for pk, value in enumerate(values, start=1)}
    assert top_actors(centrality, "degree") == {1, 2, 3, 4, 5, 6}
    assert top_actors(centrality, "betweenness") == set()


def test_metrics_come_back_whole_from_their_stored_form():
    metrics = network_metrics(*mixed(), fantastic=FANTASTIC)

    class Row:
        pass

    row = Row()
    for name, value in metrics.stored().items():
        setattr(row, name, value)
    assert NetworkMetrics.from_stored(row) == metrics
    assert set(metrics.stored()["centrality"]) == {"1", "2", "3", "4"}
