"""A synthetic alliance at national scale (SPEC §6), for `trajectoires bench` only.

2,000 member territories on real communes, each with a team of five, 500 journal entries
(1,000,000 in all), its workspace (100 actors, three survey rounds of 150 ties, celebrations,
narratives: synthetic_workspace.py) and its steering layer (vision, planning documents, coherence
matrix, actions, pilots: synthetic_planning.py), its governance layer (participation spaces, decisions,
trainings, a controversy register at every stage: synthetic_governance.py), its evaluation layer
(harvested outcomes and their substantiations: synthetic_evaluation.py; two closed self-assessment
campaigns: synthetic_assessments.py; two reporting periods with their stories of change, selection
rounds, systemic effects and indicators, and a diagnostic sensible: synthetic_stories.py), 300
funders partnered with ten territories each, and their programmes and 5,000 engagement contracts
(synthetic_funding.py). `scale`
shrinks it all.
Rows are written with plain INSERTs (see docs/decisions/0002) in one transaction; the data is
deterministic (seeded), clearly synthetic in its names, and never mixed with the platform's own
database: the bench writes it to a database of its own.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from trajectoires.accounts.models import Funder, FunderMembership, User
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.geo.models import Area
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import EntryType, JournalEntry
from trajectoires.territories.models import (
    Territory,
    TerritoryArea,
    TerritoryMembership,
    TerritoryPartnership,
)

from .synthetic_assessments import generate_assessments, has_assessments
from .synthetic_evaluation import generate_evaluation, has_evaluation
from .synthetic_funding import generate_funding, has_funding
from .synthetic_governance import generate_governance, has_governance
from .synthetic_planning import generate_planning, has_planning
from .synthetic_stories import generate_stories, has_stories
from .synthetic_workspace import compute_first_territory_metrics, generate_workspaces, journal_text

ROLES = ["admin", "editor", "contributor", "viewer", "viewer"]
VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
ENTRY_TYPES = [choice.value for choice in EntryType]


@dataclass(frozen=True)
class Size:
    territories: int
    entries_per_territory: int
    funders: int
    actors_per_territory: int
    ties_per_round: int

    @classmethod
    def at(cls, scale: float) -> "Size":
        per_territory = min(1.0, scale * 10)  # a tenth of the alliance keeps full-size territories
        return cls(
            territories=max(2, round(2000 * scale)),
            entries_per_territory=max(1, round(500 * per_territory)),
            funders=max(1, round(300 * scale)),
            actors_per_territory=max(4, round(100 * per_territory)),
            ties_per_round=max(3, round(150 * per_territory)),
        )


def generate(scale: float, *, seed: int = 2026) -> Size:
    size = Size.at(scale)
    rng = random.Random(seed)  # noqa: S311 — reproducible synthetic data, not security
    now = timezone.now()
    with transaction.atomic():
        territories = _territories(size, rng, now)
        users = _users(size, now)
        insert_rows(
            TerritoryMembership,
            ("user_id", "territory_id", "role", "created_at"),
            [
                (users[t * 5 + i], territory, ROLES[i], now)
                for t, territory in enumerate(territories)
                for i in range(5)
            ],
        )
        _funders(size, territories, rng, now)
        _journal(size, territories, users, rng, now)
        generate_workspaces(territories, size.actors_per_territory, size.ties_per_round, rng, now)
    compute_first_territory_metrics(territories[0])
    add_missing_layers()
    return size


# The layers added on top of the alliance, each with its own seed: whether it is there, and how to make it.
LAYERS = (
    (has_planning, generate_planning, 1),
    (has_governance, generate_governance, 2),
    (has_evaluation, generate_evaluation, 3),
    (has_assessments, generate_assessments, 4),
    (has_stories, generate_stories, 5),
    (has_funding, generate_funding, 6),
)


def add_missing_layers(*, seed: int = 2026) -> bool:
    """Add the layers a synthetic alliance made by an earlier version lacks; whether any was added."""
    territories = list(
        Territory.objects.filter(slug__startswith="synthetique-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    added = False
    for has_layer, generate_layer, offset in LAYERS:
        if not territories or has_layer(territories):
            continue
        with transaction.atomic():
            generate_layer(territories, random.Random(seed + offset), timezone.now())  # noqa: S311
        added = True
    return added


def _territories(size: Size, rng: random.Random, now) -> list[int]:
    communes = list(
        Area.objects.filter(kind="commune", is_obsolete=False).order_by("code").values_list("pk", flat=True)
    )
    chosen = rng.sample(communes, size.territories)
    joined = datetime.date(2021, 1, 1)
    insert_rows(
        Territory,
        ("name", "slug", "kind", "description", "alliance_joined_on", "created_at", "updated_at"),
        [
            (f"Territoire synthétique {n:04d}", f"synthetique-{n:04d}", "commune", "", joined, now, now)
            for n in range(size.territories)
        ],
    )
    ids = list(
        Territory.objects.filter(slug__startswith="synthetique-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    insert_rows(TerritoryArea, ("territory_id", "area_id"), list(zip(ids, chosen, strict=True)))
    return ids


def _users(size: Size, now) -> list[int]:
    unusable = make_password(None)
    insert_rows(
        User,
        (
            "email",
            "full_name",
            "password",
            "language",
            "is_staff",
            "is_active",
            "is_superuser",
            "date_joined",
        ),
        [
            (f"membre{n:05d}@synthetique.invalid", f"Membre {n:05d}", unusable, "fr", False, True, False, now)
            for n in range(size.territories * 5)
        ],
    )
    return list(
        User.objects.filter(email__endswith="@synthetique.invalid")
        .order_by("email")
        .values_list("pk", flat=True)
    )


def _funders(size: Size, territories: list[int], rng: random.Random, now) -> None:
    kinds = list(referential_items("funder_type").values_list("pk", flat=True))
    insert_rows(
        Funder,
        ("name", "slug", "kind_id", "siren", "created_at"),
        [
            (
                f"Financeur synthétique {n:03d}",
                f"financeur-synthetique-{n:03d}",
                kinds[n % len(kinds)],
                "",
                now,
            )
            for n in range(size.funders)
        ],
    )
    funders = list(
        Funder.objects.filter(slug__startswith="financeur-synthetique-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    pairs = {
        (funder, territory)
        for funder in funders
        for territory in rng.sample(territories, min(10, len(territories)))
    }
    insert_rows(
        TerritoryPartnership,
        ("funder_id", "territory_id", "since"),
        [(*pair, datetime.date(2025, 1, 1)) for pair in sorted(pairs)],
    )
    officers = (
        User.objects.filter(email__endswith="@synthetique.invalid")
        .order_by("email")
        .values_list("pk", flat=True)
    )
    insert_rows(
        FunderMembership,
        ("user_id", "funder_id", "role", "created_at"),
        [(user, funder, "officer", now) for user, funder in zip(officers, funders, strict=False)],
    )


def _journal(size: Size, territories: list[int], users: list[int], rng: random.Random, now) -> None:
    start = datetime.date(2020, 1, 1)
    for index, territory in enumerate(territories):
        author = users[index * 5]
        insert_rows(
            JournalEntry,
            (
                "territory_id",
                "title",
                "occurred_on",
                "entry_type",
                "body",
                "search_document",
                "visibility",
                "author_id",
                "created_at",
                "updated_at",
            ),
            [
                (
                    territory,
                    f"Entrée synthétique {n}",
                    start + datetime.timedelta(days=rng.randrange(2500)),
                    ENTRY_TYPES[n % len(ENTRY_TYPES)],
                    *journal_text(rng, f"Entrée synthétique {n}"),
                    VISIBILITIES[n % 4],
                    author,
                    now,
                    now,
                )
                for n in range(size.entries_per_territory)
            ],
        )
