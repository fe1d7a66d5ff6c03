import pytest
from django.utils import timezone

from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import Orientation, Vision, VisionVersion

pytestmark = pytest.mark.django_db
URL = "/api/v1/territories/ungersheim/vision"
YEAR = timezone.localdate().year


@pytest.fixture
def world():
    return build_world()


def put(client, world, role, **values):
    _token, raw = api_token_create(user=world.people[role], name="script", scope="read_write")
    body = {
        "version": 0,
        "horizon_year": YEAR + 12,
        "statement": "Un village nourricier.",
        "visibility": "public",
        "orientations": [{"title": "Se nourrir", "needs": ["food", "water"]}],
        "reason": "Conseil du 3 mars",
    }
    return client.put(
        URL, body | values, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )


def test_an_editor_saves_and_anyone_reads_a_public_vision(client, world):
    response = put(client, world, "editor")
    assert response.status_code == 200
    expected = {
        "territory": "ungersheim",
        "version": 1,
        "horizon_year": YEAR + 12,
        "statement": "Un village nourricier.",
        "attachments": "",
        "stakes_to_lose": "",
        "stakes_to_gain": "",
        "visibility": "public",
        "orientations": [{"title": "Se nourrir", "description": "", "needs": ["water", "food"]}],
    }
    body = response.json()
    coverage = {row["need"]: row["covered_by"] for row in body.pop("coverage")}
    assert body == expected
    assert coverage["food"] == ["Se nourrir"] and coverage["mobility"] == [] and len(coverage) == 11
    anonymous = client.__class__().get(URL).json()
    anonymous.pop("coverage")
    assert anonymous == expected


def test_a_stale_version_is_refused_with_409_and_nothing_written(client, world):
    put(client, world, "editor")
    response = put(client, world, "admin", statement="Autre texte.")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "status": 409,
            "code": "conflict",
            "message": "La vision a été enregistrée entre-temps (version 1 désormais) : "
            "fusionnez et renvoyez-la depuis cette version.",
        }
    }
    assert (Vision.objects.get().statement, VisionVersion.objects.count()) == ("Un village nourricier.", 1)


def test_bad_input_and_forbidden_callers(client, world):
    response = put(client, world, "editor", orientations=[{"title": "X", "needs": ["gold"]}])
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"orientations": ["Besoins essentiels inconnus : gold."]}
    response = put(client, world, "editor", horizon_year=YEAR + 40)
    assert response.json()["error"]["fields"] == {
        "horizon_year": [f"Choisissez un horizon entre {YEAR + 10} et {YEAR + 20} (10 à 20 ans devant nous)."]
    }
    assert put(client, world, "viewer").status_code == 404
    assert Vision.objects.count() == 0
    put(client, world, "editor", visibility="private")
    assert client.get(URL).status_code == 404


def test_a_save_keeps_the_version_1_needs_of_unchanged_codes_and_covers_them(client, world):
    put(client, world, "editor")
    first = ReferentialVersion.objects.get(number=1)
    orientation = Orientation.objects.get()
    orientation.needs.set(
        referential_item("essential_need", code, version=first) for code in ("food", "water")
    )
    body = client.get(URL).json()
    coverage = {row["need"]: row["covered_by"] for row in body["coverage"]}
    assert coverage["food"] == coverage["water"] == ["Se nourrir"] and len(coverage) == 11

    def held():
        return sorted((item.code, item.version.number) for item in Orientation.objects.get().needs.all())

    response = put(client, world, "editor", version=1, reason="Relecture")
    assert response.status_code == 200
    assert held() == [("food", 1), ("water", 1)]
    orientations = [{"title": "Se nourrir", "needs": ["food", "water", "local_production"]}]
    response = put(client, world, "editor", version=2, reason="Ajout", orientations=orientations)
    assert held() == [("food", 1), ("local_production", 2), ("water", 1)]
    coverage = {row["need"]: row["covered_by"] for row in response.json()["coverage"]}
    assert [need for need, covering in coverage.items() if covering] == ["water", "food", "local_production"]
