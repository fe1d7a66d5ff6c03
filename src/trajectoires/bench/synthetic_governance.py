"""The synthetic governance layer of each territory, for `trajectoires bench`: 4 participation spaces
of 12 members with 6 meetings each, 30 decisions over the years at every participation level, 12
trainings of 6 participants, the team's structure, and a controversy register of 25 controversies —
5 at each stage, one of the instructed ones decided then reopened — each with 4 parties (3 actors
of the map and a group of inhabitants), its expertise, états co-signed by two parties, its
decision and its follow-up, and the transitions that took it there.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py."""

import datetime
import random

from trajectoires.cooperation.models import Actor
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.governance.models import (
    Controversy,
    ControversyStage,
    Decision,
    Expertise,
    FollowUp,
    Meeting,
    ParticipationSpace,
    Party,
    StageTransition,
    StateOfControversy,
    TeamStructure,
    Training,
)
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import TerritoryMembership

VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
SPACE_KINDS = ("development_council", "citizen_assembly", "workshop", "committee")
SPACE_MEMBERS = 12
MEETINGS = 6
DECISIONS = 30
TRAININGS = 12
TRAINEES = 6
PER_STAGE = 5
STAGES = [stage.value for stage in ControversyStage]
SETTLED = (ControversyStage.DECIDED, ControversyStage.FOLLOWED_UP)
PARTY_ACTORS = 3
TEXT = "Texte synthétique pour la mesure."
SOURCES = "Source synthétique 1\nSource synthétique 2"
START = datetime.date(2020, 1, 1)
DAY = datetime.timedelta(days=1)


def has_governance(territories: list[int]) -> bool:
    return ParticipationSpace.objects.filter(territory_id__in=territories[:1]).exists()


def generate_governance(territories: list[int], rng: random.Random, now) -> None:
    actors: dict[int, list[int]] = {}
    for territory, actor in (
        Actor.objects.filter(territory_id__in=territories).order_by("pk").values_list("territory", "pk")
    ):
        actors.setdefault(territory, []).append(actor)
    admins = dict(
        TerritoryMembership.objects.filter(territory_id__in=territories, role="admin").values_list(
            "territory_id", "user_id"
        )
    )
    spaces = _spaces(territories, actors, admins, rng, now)
    decisions = _decisions(territories, spaces, admins, now)
    _trainings(territories, actors, admins, rng, now)
    _controversies(territories, actors, admins, spaces, decisions, rng, now)


def _some(rng: random.Random, actors: list[int], count: int) -> list[int]:
    """`count` actors at random (fewer in the small territories of a small-scale alliance)."""
    return rng.sample(actors, min(count, len(actors)))


def _by_territory(queryset) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for territory, pk in queryset.order_by("pk").values_list("territory_id", "pk"):
        grouped.setdefault(territory, []).append(pk)
    return grouped


def _spaces(territories, actors, admins, rng, now) -> dict[int, list[int]]:
    insert_rows(
        ParticipationSpace,
        ("territory_id", "name", "kind", "purpose", "visibility", "author_id", "created_at", "updated_at"),
        [(t, f"Espace synthétique {n}", kind, TEXT, VISIBILITIES[(n + 1) % 4], admins.get(t), now, now)
         for t in territories for n, kind in enumerate(SPACE_KINDS)],
    )  # fmt: skip
    spaces = _by_territory(ParticipationSpace.objects.filter(territory_id__in=territories))
    insert_rows(
        ParticipationSpace.members.through,
        ("participationspace_id", "actor_id"),
        [(s, a) for t in territories for s in spaces[t] for a in _some(rng, actors[t], SPACE_MEMBERS)],
    )
    all_spaces = [(t, s) for t in territories for s in spaces[t]]
    insert_rows(
        Meeting,
        ("space_id", "held_on", "agenda", "minutes", "recorded_by_id", "recorded_at"),
        [(s, START + datetime.timedelta(days=90 * n), TEXT, TEXT, admins.get(t), now)
         for t, s in all_spaces for n in range(MEETINGS)],
    )  # fmt: skip
    members: dict[int, list[int]] = {}
    for space, actor in ParticipationSpace.members.through.objects.filter(
        participationspace__territory_id__in=territories
    ).values_list("participationspace_id", "actor_id"):
        members.setdefault(space, []).append(actor)
    meetings = Meeting.objects.filter(space__territory_id__in=territories).values_list("pk", "space")
    insert_rows(
        Meeting.attendees.through,
        ("meeting_id", "actor_id"),
        [(meeting, actor) for meeting, space in meetings for actor in members[space][: SPACE_MEMBERS - 4]],
    )
    return spaces


def _decisions(territories, spaces, admins, now) -> dict[int, list[int]]:
    levels = referential_items("participation_level")
    levels = list(levels.values_list("pk", flat=True))
    insert_rows(
        Decision,
        ("territory_id", "title", "description", "decided_on", "participation_level_id", "space_id",
         "co_construction_started_on", "visibility", "author_id", "created_at", "updated_at"),
        [(t, f"Décision synthétique {n:02d}", TEXT, START + datetime.timedelta(days=80 * n),
          levels[n % len(levels)], spaces[t][n % 4] if n % 2 else None,
          START + datetime.timedelta(days=80 * n - 120) if n % 3 == 0 else None,
          VISIBILITIES[n % 4], admins.get(t), now, now)
         for t in territories for n in range(DECISIONS)],
    )  # fmt: skip
    return _by_territory(Decision.objects.filter(territory_id__in=territories))


def _trainings(territories, actors, admins, rng, now) -> None:
    insert_rows(
        Training,
        ("territory_id", "title", "held_on", "hours", "organisation", "is_training_action",
         "change_management", "visibility", "author_id", "created_at", "updated_at"),
        [(t, f"Formation synthétique {n:02d}", START + datetime.timedelta(days=150 * n), 7 * (1 + n % 3),
          "Organisme synthétique", n % 4 == 0, n % 2 == 0, VISIBILITIES[(n + 3) % 4], admins.get(t), now, now)
         for t in territories for n in range(TRAININGS)],
    )  # fmt: skip
    trainings = _by_territory(Training.objects.filter(territory_id__in=territories))
    insert_rows(
        Training.participants.through,
        ("training_id", "actor_id"),
        [(g, a) for t in territories for g in trainings[t] for a in _some(rng, actors[t], TRAINEES)],
    )
    insert_rows(
        TeamStructure,
        ("territory_id", "dgs_id", "dgs_role", "pole_name", "pole_missions", "pole_services", "visibility",
         "author_id", "created_at", "updated_at"),
        [(t, actors[t][1], TEXT, "Pôle synthétique", TEXT, "Urbanisme\nÉnergie\nSolidarités",
          Visibility.PUBLIC, admins.get(t), now, now) for t in territories],
    )  # fmt: skip
    insert_rows(
        TeamStructure.pole_members.through,
        ("teamstructure_id", "actor_id"),
        [(structure, a) for structure, t in TeamStructure.objects.filter(territory_id__in=territories)
         .values_list("pk", "territory_id") for a in actors[t][2:6]],
    )  # fmt: skip


def _path(n: int) -> list[str]:
    """The stages controversy `n` went through: the first one being instructed was decided, then
    reopened."""
    stage = STAGES[n % len(STAGES)]
    path = STAGES[: STAGES.index(stage) + 1]
    if stage == ControversyStage.INSTRUCTING and n < len(STAGES):
        path = [*STAGES[:4], ControversyStage.INSTRUCTING]
    return path


def _decided(n: int) -> bool:
    return ControversyStage.DECIDED in _path(n)


def _controversy_row(territory: int, n: int, forum: int | None, author: int | None, now) -> tuple:
    decided = _decided(n)
    return (
        territory, f"Controverse synthétique {n:02d}", TEXT, forum, _path(n)[-1], now - DAY * n,
        TEXT if decided else "", TEXT if decided else "", _decided_on(n, now) if decided else None,
        VISIBILITIES[(n // 5 + 3) % 4], author, now - DAY * (n + 200), now,
    )  # fmt: skip


def _controversies(territories, actors, admins, spaces, decisions, rng, now) -> None:
    insert_rows(
        Controversy,
        ("territory_id", "subject", "description", "forum_id", "stage", "stage_changed_at", "decision_text",
         "instruction_use", "decided_on", "visibility", "author_id", "created_at", "updated_at"),
        [_controversy_row(t, n, spaces[t][n % 4] if n % 5 else None, admins.get(t), now)
         for t in territories for n in range(PER_STAGE * len(STAGES))],
    )  # fmt: skip
    rows = Controversy.objects.filter(territory_id__in=territories).order_by("pk")
    made = [  # (controversy, territory, n)
        (pk, territory, int(subject.rsplit(" ", 1)[1]))
        for pk, territory, subject in rows.values_list("pk", "territory", "subject")
    ]
    needs = list(referential_items("essential_need").values_list("pk", flat=True))
    insert_rows(
        Controversy.subject_areas.through,
        ("controversy_id", "item_id"),
        [(c, needs[(n + k) % len(needs)]) for c, _t, n in made for k in (0, 3)],
    )
    insert_rows(
        Controversy.related_decisions.through,
        ("controversy_id", "decision_id"),
        [(c, decisions[t][n]) for c, t, n in made if _decided(n)],
    )
    insert_rows(
        StageTransition,
        ("controversy_id", "from_stage", "to_stage", "reason", "by_id", "at"),
        [(c, path[i - 1] if i else "", stage, TEXT, admins.get(t), now - DAY * (n + 200 - 30 * i))
         for c, t, n in made for path in [_path(n)] for i, stage in enumerate(path)],
    )  # fmt: skip
    _instruction(territories, made, actors, admins, rng, now)


def _instruction(territories, made, actors, admins, rng, now) -> None:
    """Parties, expertise, états and follow-up of each controversy, as far as its stage goes."""
    insert_rows(
        Party,
        ("controversy_id", "actor_id", "group_name", "contact_email", "position", "arguments", "sources",
         "declared_interests", "author_id", "created_at", "updated_at"),
        [(c, a, "", "", TEXT, TEXT, SOURCES, TEXT, admins.get(t), now, now)
         for c, t, _n in made for a in _some(rng, actors[t], PARTY_ACTORS)]
        + [(c, None, f"Habitants synthétiques {n}", "", TEXT, TEXT, "", "", admins.get(t), now, now)
           for c, t, n in made],
    )  # fmt: skip
    instructed = [(c, t, n) for c, t, n in made if len(_path(n)) > 1]
    insert_rows(
        Expertise,
        ("controversy_id", "kind", "title", "dated", "summary", "source", "recorded_by_id", "recorded_at"),
        [(c, kind, f"Expertise synthétique ({kind})", (now - DAY * (n + 60)).date(), TEXT, "",
          admins.get(t), now) for c, t, n in instructed for kind in ("document", "hearing")],
    )  # fmt: skip
    insert_rows(
        StateOfControversy,
        ("controversy_id", "number", "statement", "minority_view", "written_by_id", "written_at"),
        [(c, number, TEXT, TEXT if number > 1 else "", admins.get(t), now)
         for c, t, n in instructed for number in range(1, min(len(_path(n)), 3))],
    )  # fmt: skip
    in_alliance = {"controversy__territory_id__in": territories}
    parties: dict[int, list[int]] = {}
    actor_first = Party.objects.filter(**in_alliance).order_by("pk")
    for controversy, party in actor_first.values_list("controversy", "pk"):
        parties.setdefault(controversy, []).append(party)
    states = StateOfControversy.objects.filter(**in_alliance).values_list("pk", "controversy_id")
    insert_rows(
        StateOfControversy.signatories.through,
        ("stateofcontroversy_id", "party_id"),
        [(state, party) for state, c in states for party in parties[c][:2]],
    )
    insert_rows(
        FollowUp,
        ("controversy_id", "action", "due_on", "done_on", "recorded_by_id"),
        [(c, f"Action synthétique {k}", _decided_on(n, now) + DAY * 30 * (k + 1), _done_on(n, k, now),
          admins.get(t))
         for c, t, n in made if _path(n)[-1] in SETTLED for k in range(3)],
    )  # fmt: skip


def _decided_on(n: int, now) -> datetime.date:
    return (now - DAY * (n + 30)).date()


def _done_on(n: int, k: int, now) -> datetime.date | None:
    """The first two actions of a followed-up controversy are done, soon after the decision."""
    followed_up = _path(n)[-1] == ControversyStage.FOLLOWED_UP
    return _decided_on(n, now) + DAY * 10 * (k + 1) if followed_up and k < 2 else None
