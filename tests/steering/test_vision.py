import pytest
from django.utils import timezone

from tests.pages import page_text, sent_form
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import Vision, VisionVersion
from trajectoires.steering.vision import needs_coverage, vision_of

pytestmark = pytest.mark.django_db
EDIT = "/territoires/ungersheim/vision/modifier/"
YEAR = timezone.localdate().year


@pytest.fixture
def world():
    return build_world()


def need(code):
    return referential_item("essential_need", code).code


def vision_data(version=0, **values):
    data = {
        "version": version,
        "horizon_year": YEAR + 15,
        "visibility": "alliance",
        "reason": "Première écriture",
        "statement": "Un village nourricier et sobre.",
        "attachments": "Le carreau de mine.",
        "stakes_to_lose": "",
        "stakes_to_gain": "Des emplois locaux.",
        "orientations-TOTAL_FORMS": "2",
        "orientations-INITIAL_FORMS": "0",
        "orientations-MIN_NUM_FORMS": "0",
        "orientations-MAX_NUM_FORMS": "30",
        "orientations-0-title": "Se nourrir localement",
        "orientations-0-needs": [need("food"), need("local_production")],
        "orientations-1-title": "Se déplacer sans voiture",
        "orientations-1-needs": [need("mobility")],
    }
    return data | values


def test_an_editor_writes_the_first_version_and_sees_the_needs_covered(client, world):
    client_as(client, world, "editor")
    response = client.post(EDIT, vision_data(), follow=True)
    assert "La vision a été enregistrée comme une nouvelle version." in page_text(response)
    vision = Vision.objects.get()
    assert (vision.version, vision.horizon_year, vision.visibility) == (1, YEAR + 15, "alliance")
    body = page_text(response)
    assert "Les orientations répondent à 3 des 11 besoins essentiels." in body
    assert "Alimentation · Besoins vitaux Se nourrir localement" in body
    assert "Eau · Besoins vitaux Laissé de côté" in body
    version = VisionVersion.objects.get()
    assert (version.number, version.author, version.reason) == (
        1,
        world.people["editor"],
        "Première écriture",
    )
    assert version.content["orientations"][0] == {
        "title": "Se nourrir localement",
        "description": "",
        "needs": ["food", "local_production"],
    }
    audit = AuditEntry.objects.get(action="vision.save")
    assert audit.changes["version"] == [0, 1] and audit.scope == f"territory:{world.territory.pk}"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"horizon_year": YEAR + 5},
            f"Choisissez un horizon entre {YEAR + 10} et {YEAR + 20} (10 à 20 ans devant nous).",
        ),
        (
            {"orientations-1-needs": []},
            "L'orientation « Se déplacer sans voiture » n'est ancrée dans aucun besoin essentiel.",
        ),
        (
            {"reason": "  "},
            "Pourquoi ce changement : Conservé dans l'historique avec votre nom. Ce champ est obligatoire.",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_written(client, world, values, message):
    client_as(client, world, "editor")
    response = client.post(EDIT, vision_data(**values))
    assert message in page_text(response)
    assert (Vision.objects.count(), VisionVersion.objects.count()) == (0, 0)


def test_a_concurrent_save_is_refused_and_the_second_text_kept(client, world):
    client_as(client, world, "editor")
    client.post(EDIT, vision_data())
    client.post(EDIT, vision_data(version=1, statement="Texte de l'éditeur.", reason="Précision"))
    client_as(client, world, "admin")
    response = client.post(EDIT, vision_data(version=1, statement="Texte de l'admin.", reason="Autre idée"))
    assert response.status_code == 409
    body = page_text(response)
    assert (
        "Quelqu'un a enregistré la vision pendant que vous la modifiiez (elle en est à la version 2)." in body
    )
    assert "Texte de l'admin." in page_text(response)  # their text, kept in the form
    vision = Vision.objects.get()
    assert (vision.version, vision.statement) == (2, "Texte de l'éditeur.")
    response = client.post(EDIT, vision_data(version=2, statement="Texte fusionné.", reason="Fusion"))
    assert Vision.objects.get().version == 3


def test_the_history_compares_two_versions(client, world):
    client_as(client, world, "editor")
    client.post(EDIT, vision_data())
    client.post(
        EDIT, vision_data(version=1, statement="Un village nourricier, sobre et solidaire.", reason="Ajout")
    )
    html = client.get("/territoires/ungersheim/vision/historique/", {"de": 1, "a": 2}).content.decode()
    assert "<del>− Un village nourricier et sobre.</del>" in html
    assert "<ins>+ Un village nourricier, sobre et solidaire.</ins>" in html
    assert "De la version 1 à la version 2" in html


def test_a_private_vision_is_hidden_from_others_and_only_writers_edit(client, world):
    client_as(client, world, "editor")
    client.post(EDIT, vision_data(visibility="private"))
    client_as(client, world, "member_elsewhere")
    assert client.get("/territoires/ungersheim/vision/").status_code == 404
    assert client.get("/territoires/ungersheim/vision/historique/").status_code == 404
    for role in ("viewer", "contributor", "partner_funder"):
        client_as(client, world, role)
        assert client.get(EDIT).status_code == 404
        assert client.post(EDIT, vision_data(version=1)).status_code == 404
    assert Vision.objects.get().version == 1


def first_version_needs(vision) -> None:
    """Point the vision's orientations at version-1 needs, as a vision written before version 2."""
    first = ReferentialVersion.objects.get(number=1)
    for orientation in vision.orientations.all():
        codes = [item.code for item in orientation.needs.all()]
        orientation.needs.set(referential_item("essential_need", code, version=first) for code in codes)


def held_needs(vision) -> dict[str, list[tuple[str, int]]]:
    return {
        o.title: sorted((item.code, item.version.number) for item in o.needs.all())
        for o in vision.orientations.order_by("position")
    }


def test_a_vision_written_with_version_1_is_saved_unchanged_and_keeps_its_needs(client, world):
    client_as(client, world, "editor")
    client.post(EDIT, vision_data())
    vision = Vision.objects.get()
    first_version_needs(vision)
    form = client.get(EDIT)
    assert 'name="orientations-0-needs" value="food"' in form.content.decode()
    sent = sent_form(form, "statement")
    assert sent["orientations-0-needs"] == ["food", "local_production"]
    assert sent["orientations-1-needs"] == ["mobility"]
    response = client.post(EDIT, sent | {"reason": "Relecture"}, follow=True)
    assert "La vision a été enregistrée comme une nouvelle version." in page_text(response)
    assert "Les orientations répondent à 3 des 11 besoins essentiels." in page_text(response)
    assert Vision.objects.get().version == 2
    assert held_needs(vision) == {
        "Se nourrir localement": [("food", 1), ("local_production", 1)],
        "Se déplacer sans voiture": [("mobility", 1)],
    }
    # A need added takes the current version; the others keep their rows.
    sent = sent_form(client.get(EDIT), "statement")
    sent["orientations-0-needs"].append("water")
    client.post(EDIT, sent | {"reason": "L'eau aussi"})
    assert Vision.objects.get().version == 3
    assert held_needs(vision) == {
        "Se nourrir localement": [("food", 1), ("local_production", 1), ("water", 2)],
        "Se déplacer sans voiture": [("mobility", 1)],
    }
    text = page_text(client.get("/territoires/ungersheim/vision/"))
    assert "Les orientations répondent à 4 des 11 besoins essentiels." in text


def test_the_needs_covered_count_the_orientations_of_version_1(client, world):
    client_as(client, world, "editor")
    client.post(EDIT, vision_data())
    first_version_needs(Vision.objects.get())
    coverage = needs_coverage(vision_of(world.people["editor"], world.territory))
    covered = {row.need.code: row.orientations for row in coverage if row.covered}
    assert covered == {
        "food": ["Se nourrir localement"],
        "local_production": ["Se nourrir localement"],
        "mobility": ["Se déplacer sans voiture"],
    }
    assert {row.need.version.number for row in coverage} == {2}
    text = page_text(client.get("/territoires/ungersheim/vision/"))
    assert "Les orientations répondent à 3 des 11 besoins essentiels." in text
    assert "Alimentation · Besoins vitaux Se nourrir localement" in text
