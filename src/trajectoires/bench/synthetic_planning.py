"""The synthetic steering layer of each territory, for `trajectoires bench`: a vision with six
orientations, the planning documents that bind it (its commune's PLU, and the SRADDET of its région,
the SCoT and PCAET of its EPCI, recorded once and shared by every synthetic territory inside them),
a coherence matrix assessed in full, 40 actions across services and 10 pilots of 5 iterations each.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py."""

import datetime
import random

from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.geo.models import AreaAncestry
from trajectoires.planning.models import (
    Action,
    CoherenceAssessment,
    Pilot,
    PilotIteration,
    PlanningDocument,
    Service,
    TransferabilitySheet,
)
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Orientation, Vision
from trajectoires.territories.models import TerritoryArea

VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
ORIENTATIONS = 6
ACTIONS = 40
SERVICES = ("Urbanisme", "Mobilités", "Énergie", "Alimentation", "Eau", "Solidarités", "Culture")
PILOTS = 10
ITERATIONS = 5
VALUES = ("coherent", "neutral", "contradictory")
DECISIONS = ("continue", "adjust", "adjust", "continue", "scale_up")
SHARED_TYPES = (("region", "sraddet"), ("epci", "scot"), ("epci", "pcaet"))


def has_planning(territories: list[int]) -> bool:
    return Vision.objects.filter(territory_id__in=territories[:1]).exists()


def generate_planning(territories: list[int], rng: random.Random, now) -> None:
    _visions(territories, now)
    documents = _documents(territories, now)
    _coherence(territories, documents, rng, now)
    _actions(territories, rng, now)
    _pilots(territories, rng, now)


def _visions(territories: list[int], now) -> None:
    insert_rows(
        Vision,
        ("territory_id", "horizon_year", "statement", "attachments", "stakes_to_lose", "stakes_to_gain",
         "visibility", "version", "created_at", "updated_at"),
        [(t, 2045, "Vision synthétique pour la mesure.", "", "", "", Visibility.PUBLIC, 1, now, now)
         for t in territories],
    )  # fmt: skip
    visions = Vision.objects.filter(territory_id__in=territories).values_list("pk", flat=True)
    insert_rows(
        Orientation,
        ("vision_id", "position", "title", "description"),
        [(v, n, f"Orientation synthétique {n}", "") for v in visions for n in range(1, ORIENTATIONS + 1)],
    )
    needs = list(referential_items("essential_need").values_list("pk", flat=True))
    through = Orientation.needs.through
    rows = [
        (o, needs[o % len(needs)])
        for o in Orientation.objects.filter(vision__in=visions).values_list("pk", flat=True)
    ]
    insert_rows(through, ("orientation_id", "item_id"), rows)


def _documents(territories: list[int], now) -> dict[int, list[int]]:
    """Each territory's binding documents: its own PLU, and the shared ones of the areas above it."""
    types = dict(referential_items("planning_document_type").values_list("code", "pk"))
    communes = dict(
        TerritoryArea.objects.filter(territory_id__in=territories).values_list("territory_id", "area_id")
    )
    above: dict[int, dict[str, int]] = {}
    for area, ancestor, kind in AreaAncestry.objects.filter(area_id__in=communes.values()).values_list(
        "area_id", "ancestor_id", "ancestor__kind"
    ):
        above.setdefault(area, {})[kind] = ancestor
    shared: dict[tuple[str, int], int] = {}  # (type, writer) → the territory that records it
    for territory in territories:
        for kind, code in SHARED_TYPES:
            if writer := above.get(communes[territory], {}).get(kind):
                shared.setdefault((code, writer), territory)
    rows = [
        (territory, types[code], f"{code.upper()} synthétique {writer}", writer, "adopted",
         datetime.date(2020, 1, 1), datetime.date(2030, 1, 1), "", "", Visibility.PUBLIC, now, now)
        for (code, writer), territory in shared.items()
    ] + [
        (territory, types["plu"], f"PLU synthétique {territory}", communes[territory], "adopted",
         datetime.date(2019, 1, 1), datetime.date(2027, 1, 1), "", "", VISIBILITIES[territory % 4], now, now)
        for territory in territories
    ]  # fmt: skip
    insert_rows(
        PlanningDocument,
        ("territory_id", "doc_type_id", "title", "writer_id", "status", "adopted_on", "review_due_on", "link",
         "summary", "visibility", "created_at", "updated_at"),
        rows,
    )  # fmt: skip
    by_writer: dict[int, list[int]] = {}
    for pk, writer in PlanningDocument.objects.filter(title__contains="synthétique").values_list(
        "pk", "writer_id"
    ):
        by_writer.setdefault(writer, []).append(pk)
    return {
        t: [
            doc
            for area in (communes[t], *above.get(communes[t], {}).values())
            for doc in by_writer.get(area, [])
        ]
        for t in territories
    }


def _coherence(territories: list[int], documents: dict[int, list[int]], rng: random.Random, now) -> None:
    orientations: dict[int, list[int]] = {}
    for territory, pk in Orientation.objects.filter(vision__territory_id__in=territories).values_list(
        "vision__territory_id", "pk"
    ):
        orientations.setdefault(territory, []).append(pk)
    insert_rows(
        CoherenceAssessment,
        ("territory_id", "document_id", "orientation_id", "value", "reason", "assessed_at"),
        [
            (t, doc, o, rng.choice(VALUES), "Appréciation synthétique pour la mesure.", now)
            for t in territories
            for doc in documents[t]
            for o in orientations[t]
        ],
    )


def _actions(territories: list[int], rng: random.Random, now) -> None:
    insert_rows(Service, ("territory_id", "name"), [(t, name) for t in territories for name in SERVICES])
    services: dict[int, list[int]] = {}
    for territory, pk in Service.objects.filter(territory_id__in=territories).values_list(
        "territory_id", "pk"
    ):
        services.setdefault(territory, []).append(pk)
    insert_rows(
        Action,
        ("territory_id", "title", "description", "owner_service_id", "status", "starts_on", "ends_on",
         "budget", "visibility", "created_at", "updated_at"),
        [
            (t, f"Action synthétique {n:02d}", "", services[t][n % len(SERVICES)], "in_progress",
             datetime.date(2025, 1, 1), datetime.date(2028, 12, 31), 10_000 * (n + 1),
             VISIBILITIES[n % 4], now, now)
            for t in territories
            for n in range(ACTIONS)
        ],
    )  # fmt: skip
    orientations: dict[int, list[int]] = {}
    for territory, pk in Orientation.objects.filter(vision__territory_id__in=territories).values_list(
        "vision__territory_id", "pk"
    ):
        orientations.setdefault(territory, []).append(pk)
    linked, involved = [], []
    for n, (action, territory) in enumerate(
        Action.objects.filter(territory_id__in=territories).order_by("pk").values_list("pk", "territory_id")
    ):
        if n % 8:  # one action in eight serves no orientation: the trajectory page lists them
            linked.append((action, orientations[territory][n % ORIENTATIONS]))
        involved += [(action, service) for service in rng.sample(services[territory], 1 + n % 3)]
    insert_rows(Action.orientations.through, ("action_id", "orientation_id"), linked)
    insert_rows(Action.services.through, ("action_id", "service_id"), involved)


def _pilots(territories: list[int], rng: random.Random, now) -> None:
    start = datetime.date(2024, 1, 15)
    insert_rows(
        Pilot,
        ("territory_id", "title", "hypothesis", "scope", "started_on", "status", "lessons", "visibility",
         "created_at", "updated_at"),
        [
            (t, f"Pilote synthétique {n}", "Hypothèse synthétique.", "Un quartier.", start, "scaled_up",
             "Enseignements synthétiques.", VISIBILITIES[n % 4], now, now)
            for t in territories
            for n in range(PILOTS)
        ],
    )  # fmt: skip
    pilots = list(Pilot.objects.filter(territory_id__in=territories).values_list("pk", flat=True))
    insert_rows(
        PilotIteration,
        ("pilot_id", "number", "held_on", "tried", "observed", "evidence", "decision", "adjustment",
         "recorded_at"),
        [
            (p, n + 1, start + datetime.timedelta(days=60 * (n + 1)), "Essai synthétique.",
             "Observation synthétique.", "", DECISIONS[n], "Décision synthétique.", now)
            for p in pilots
            for n in range(ITERATIONS)
        ],
    )  # fmt: skip
    text = "Section synthétique."
    insert_rows(
        TransferabilitySheet,
        (
            "pilot_id",
            "context",
            "prerequisites",
            "costs",
            "pitfalls",
            "contacts",
            "published_at",
            "updated_at",
        ),
        [(p, text, text, text, text, text, now if rng.random() < 0.5 else None, now) for p in pilots],
    )
