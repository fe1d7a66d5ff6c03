"""The synthetic workspace of each territory, for `trajectoires bench`: 100 actors in the référentiel's
categories, survey rounds of cooperation ties, celebrations and narratives, and journal texts varied
enough for the French search to find some entries and not others. Plain INSERTs, like synthetic.py."""

import datetime
import random

from trajectoires.cooperation.models import Actor, SurveyRound, Tie
from trajectoires.cooperation.tasks import compute_round_metrics
from trajectoires.core.bulk import insert_rows
from trajectoires.core.fulltext import stems
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Celebration, Narrative

VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
ROUND_DATES = [datetime.date(2023, 5, 15), datetime.date(2024, 5, 15), datetime.date(2026, 5, 15)]
TIE_TYPES = ["information", "resources", "joint_project", "decision"]
FREQUENCIES = ["yearly", "monthly", "weekly", "daily"]
CELEBRATIONS_PER_TERRITORY = 10
NARRATIVES_PER_TERRITORY = 5
# Words of the journal's synthetic texts: the search looks for some of them.
VOCABULARY = tuple(
    (  # noqa: SIM905 — a paragraph of words reads better than a long list
        "chantier participatif verger école cantine régie agricole énergie solaire chaufferie bois "
        "réseau chaleur mobilité vélo covoiturage habitants associations conseil municipal "
        "sous-préfecture financement diagnostic sensible récit fête récoltes eau potable rivière "
        "biodiversité haies logement rénovation thermique emploi insertion jardin partagé alimentation "
        "marché producteurs déchets compostage ressourcerie éclairage public sobriété concertation "
        "atelier formation élus agents coopération controverse éolien friche mairie quartier jeunes "
        "aînés santé "
    ).split()
)
_STEM = {word: stems(word) for word in VOCABULARY}


def journal_text(rng: random.Random, title: str) -> tuple[str, str]:
    """A body of a dozen words and the entry's search document (title and body stems, once each)."""
    words = rng.sample(VOCABULARY, 12)
    found: dict[str, None] = dict.fromkeys(stems(title))
    for word in words:
        found.update(dict.fromkeys(_STEM[word]))
    return " ".join(words).capitalize() + ".", " ".join(found)


def generate_workspaces(
    territories: list[int], actors_per_territory: int, ties_per_round: int, rng: random.Random, now
) -> None:
    categories = list(referential_items("actor_category"))
    insert_rows(
        Actor,
        ("territory_id", "kind", "name", "category_id", "function", "email", "phone", "notes", "visibility",
         "created_at", "updated_at"),
        [
            (territory, "person" if n % 3 else "organisation", f"Acteur synthétique {n:03d}",
             categories[n % len(categories)].pk, "", "", "", "", VISIBILITIES[n % 4], now, now)
            for territory in territories
            for n in range(actors_per_territory)
        ],
    )  # fmt: skip
    insert_rows(
        SurveyRound,
        ("territory_id", "title", "held_on", "notes", "visibility", "created_at", "updated_at"),
        [
            (territory, f"Enquête synthétique {day:%Y}", day, "", VISIBILITIES[(i + 1) % 4], now, now)
            for territory in territories
            for i, day in enumerate(ROUND_DATES)
        ],
    )
    _ties(territories, ties_per_round, rng)
    _celebrations_and_narratives(territories, rng, now)


def _ties(territories: list[int], ties_per_round: int, rng: random.Random) -> None:
    actors: dict[int, list[int]] = {}
    for territory, actor in Actor.objects.filter(territory__in=territories).values_list("territory", "pk"):
        actors.setdefault(territory, []).append(actor)
    rows = []
    rounds = SurveyRound.objects.filter(territory__in=territories).values_list("territory", "pk")
    for territory, survey in rounds.order_by("pk"):
        pairs = set()
        while len(pairs) < ties_per_round:
            source, target = rng.sample(actors[territory], 2)
            pairs.add((min(source, target), max(source, target)))
        rows += [
            (survey, source, target, rng.choice(TIE_TYPES), rng.choice(FREQUENCIES), rng.randint(1, 4))
            for source, target in sorted(pairs)
        ]
    insert_rows(Tie, ("round_id", "source_id", "target_id", "tie_type", "frequency", "quality"), rows)


def _celebrations_and_narratives(territories: list[int], rng: random.Random, now) -> None:
    start = datetime.date(2021, 1, 1)
    insert_rows(
        Celebration,
        ("territory_id", "title", "achieved_on", "achievement", "participants", "visibility", "created_at",
         "updated_at"),
        [
            (territory, f"Victoire synthétique {n}", start + datetime.timedelta(days=rng.randrange(2000)),
             "Réussite synthétique pour la mesure.", "", VISIBILITIES[n % 4], now, now)
            for territory in territories
            for n in range(CELEBRATIONS_PER_TERRITORY)
        ],
    )  # fmt: skip
    insert_rows(
        Narrative,
        ("territory_id", "title", "body", "format", "audience", "told_on", "link", "file", "file_name",
         "file_content_type", "visibility", "created_at", "updated_at"),
        [
            (territory, f"Récit synthétique {n}", "Récit synthétique pour la mesure.", "text", "Habitants",
             start + datetime.timedelta(days=rng.randrange(2000)), "", "", "", "", VISIBILITIES[n % 4],
             now, now)
            for territory in territories
            for n in range(NARRATIVES_PER_TERRITORY)
        ],
    )  # fmt: skip


def compute_first_territory_metrics(territory: int) -> None:
    """The metrics of the measured territory's rounds, by the task itself (run inline here); the other
    territories' rounds have none, as if their task had not run yet — no page reads them."""
    for survey in SurveyRound.objects.filter(territory=territory).values_list("pk", flat=True):
        compute_round_metrics.call(survey)
