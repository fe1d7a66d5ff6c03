"""The synthetic evaluation layer of each territory, for `trajectoires bench`: 20 harvested outcomes
of every kind of change (one in five negative, one in four unintended, every other one naming the
actor of the map who changed), each linked to one or two actions of the trajectory and substantiated
by two actors of the map, one of them only partly agreeing every third time.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py. Dates are counted back from `now`: outcomes
are observed in the past, views given after them."""

import datetime
import random

from trajectoires.cooperation.models import Actor
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import Agreement, ChangeKind, Outcome, Substantiation, Valence
from trajectoires.planning.models import Action
from trajectoires.territories.models import TerritoryMembership

OUTCOMES = 20
VIEWS = 2
KINDS = [kind.value for kind in ChangeKind]
VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
TEXT = "Texte synthétique pour la mesure."
DAY = datetime.timedelta(days=1)


def has_evaluation(territories: list[int]) -> bool:
    return Outcome.objects.filter(territory_id__in=territories[:1]).exists()


def generate_evaluation(territories: list[int], rng: random.Random, now) -> None:
    actors = _by_territory(Actor.objects.filter(territory_id__in=territories))
    # Who changed is one of half the actors, the independent people are of the other half.
    changed = {territory: people[0::2] for territory, people in actors.items()}
    independent = {territory: people[1::2] for territory, people in actors.items()}
    actions = _by_territory(Action.objects.filter(territory_id__in=territories))
    admins = dict(
        TerritoryMembership.objects.filter(territory_id__in=territories, role="admin").values_list(
            "territory_id", "user_id"
        )
    )
    today = now.date()
    insert_rows(
        Outcome,
        ("territory_id", "who", "actor_id", "change_kind", "description", "observed_on", "place",
         "significance", "contribution", "intended", "valence", "visibility", "author_id", "created_at",
         "updated_at"),
        [(t, f"Groupe synthétique {n:02d}", changed[t][n % len(changed[t])] if n % 2 == 0 else None,
          KINDS[n % len(KINDS)], TEXT, _observed_on(n, today), "Lieu synthétique", TEXT, TEXT, n % 4 != 3,
          Valence.NEGATIVE if n % 5 == 4 else Valence.POSITIVE, VISIBILITIES[n % 4], admins.get(t), now, now)
         for t in territories for n in range(OUTCOMES)],
    )  # fmt: skip
    made = [  # (outcome, territory, n)
        (pk, territory, int(who.rsplit(" ", 1)[1]))
        for pk, territory, who in Outcome.objects.filter(territory_id__in=territories)
        .order_by("pk")
        .values_list("pk", "territory_id", "who")
    ]
    insert_rows(
        Outcome.actions.through,
        ("outcome_id", "action_id"),
        [(o, a) for o, t, n in made for a in actions.get(t, [])[n : n + 1 + n % 2]],
    )
    insert_rows(
        Substantiation,
        ("outcome_id", "substantiator_id", "agreement", "comment", "given_on", "recorded_by_id",
         "recorded_at"),
        [(o, a, _agreement(n, k), TEXT, _observed_on(n, today) + DAY * (5 + 7 * k), admins.get(t), now)
         for o, t, n in made for k, a in enumerate(rng.sample(independent[t], VIEWS))],
    )  # fmt: skip


def _by_territory(queryset) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for territory, pk in queryset.order_by("pk").values_list("territory_id", "pk"):
        grouped.setdefault(territory, []).append(pk)
    return grouped


def _observed_on(n: int, today: datetime.date) -> datetime.date:
    return today - DAY * (20 + 30 * n)


def _agreement(n: int, k: int) -> str:
    if k == 1 and n % 3 == 0:
        return Agreement.PARTLY
    if k == 1 and n % 7 == 6:
        return Agreement.DISAGREES
    return Agreement.AGREES
