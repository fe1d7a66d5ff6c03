from django.urls import reverse
from django.utils import timezone

from trajectoires.planning.coherence import coherence_assess
from trajectoires.planning.models import PlanningDocument
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

from . import RecordCase


def _assessed_cell(territory, visibility, author):
    """A cell reads as the vision it judges: the vision has the visibility under test, the
    document is public, written by the territory's commune."""
    vision = vision_save(
        actor=author,
        territory=territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement="Un territoire nourricier.",
        visibility=visibility,
        reason="Conseil",
        orientations=[OrientationInput("Se nourrir", [referential_item("essential_need", "food")])],
    )
    document = PlanningDocument.objects.create(
        territory=territory,
        doc_type=referential_item("planning_document_type", "plu"),
        title="Plan local d’urbanisme",
        writer=territory.areas.get(),
        status="adopted",
        visibility="public",
    )
    return coherence_assess(
        actor=author,
        territory=territory,
        document=document,
        orientation=vision.orientations.get(),
        value="contradictory",
        reason=f"Le PLU ouvre des terres agricoles à l’urbanisation ({visibility})",
    )


def _path(cell) -> list:
    return [cell.territory.slug, cell.document_id, cell.orientation_id]


CASES = [
    RecordCase(
        name="coherence cell",
        create=_assessed_cell,
        read_url=lambda cell: reverse("coherence:cell", args=_path(cell)),
        write_url=lambda cell: reverse("coherence:assess", args=_path(cell)),
        api_url=lambda cell: "/api/v1/territories/{}/coherence/{}/{}".format(*_path(cell)),
        title=lambda cell: cell.reason,
        api_text=lambda body: body.get("reason"),
    ),
]
