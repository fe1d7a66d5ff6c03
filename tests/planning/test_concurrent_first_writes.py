"""Two people make the same first record at the same moment — the first assessment of a coherence
cell, the first save of a transferability sheet: both saves succeed, one after the other, and one
row is made (each service locks the parent row before looking for the record).

On PostgreSQL only: SQLite runs one write transaction at a time, so the race cannot happen there."""

import importlib
import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tests.planning.test_pilots import make_pilot
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.geo.models import Area
from trajectoires.geo.selectors import area_from_reference
from trajectoires.planning.coherence import coherence_assess
from trajectoires.planning.models import CoherenceAssessment, PlanningDocument, TransferabilitySheet
from trajectoires.planning.sheets import sheet_save
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises write transactions"),
]


@pytest.fixture
def world(transactional_db):
    """A transactional test ends by emptying every table, the référentiel and the geography
    included: they are loaded again when an earlier such test emptied them."""
    if not ReferentialVersion.objects.exists():
        importlib.import_module("trajectoires.referential.migrations.0002_load_referentiel_1").load(
            apps, None
        )
    if not Area.objects.exists():
        call_command("geo", "import", verbosity=0)
    return build_world()


def an_orientation(world):
    vision = vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement="Un village nourricier.",
        orientations=[OrientationInput("Manger local", [referential_item("essential_need", "food")])],
        reason="Conseil",
        visibility="public",
    )
    return vision.orientations.get()


def a_document(world):
    return PlanningDocument.objects.create(
        territory=world.territory,
        doc_type=referential_item("planning_document_type", "plu"),
        title="PLU d’Ungersheim",
        writer=area_from_reference("68343"),
        status="adopted",
        visibility="public",
    )


def at_once(*calls) -> list:
    """Run the calls in threads released together; what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_first_assessments_of_one_cell_at_once(world):
    orientation, document = an_orientation(world), a_document(world)

    def assess(role, value):
        return lambda: coherence_assess(
            actor=world.people[role],
            territory=world.territory,
            document=document,
            orientation=orientation,
            value=value,
            reason=f"Avis de {role}.",
        )

    outcomes = at_once(assess("admin", "coherent"), assess("editor", "neutral"))
    assert [type(outcome) for outcome in outcomes] == [CoherenceAssessment, CoherenceAssessment]
    cell = CoherenceAssessment.objects.get()
    assert (cell.value, cell.reason) in {("coherent", "Avis de admin."), ("neutral", "Avis de editor.")}
    assert AuditEntry.objects.filter(action="coherence.assess").count() == 2


def test_two_first_saves_of_one_sheet_at_once(world):
    pilot = make_pilot(world)

    def save(text):
        return lambda: sheet_save(actor=world.people["editor"], pilot=pilot, context=text)

    outcomes = at_once(save("Première version."), save("Seconde version."))
    assert [type(outcome) for outcome in outcomes] == [TransferabilitySheet, TransferabilitySheet]
    assert TransferabilitySheet.objects.get().context in {"Première version.", "Seconde version."}
    audited = AuditEntry.objects.filter(action__startswith="transferability_sheet")
    actions = sorted(audited.values_list("action", flat=True))
    assert actions == ["transferability_sheet.create", "transferability_sheet.update"]
