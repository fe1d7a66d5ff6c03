"""Narratives (K2): told in some format to an audience, carrying orientations of the vision, with
an optional link or file; the links to orientations survive every save of the vision."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.files import PDF, PNG, upload
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import Narrative, Orientation
from trajectoires.steering.narratives import narrative_create
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
NEW = "/territoires/ungersheim/recits/nouveau/"
YEAR = timezone.localdate().year


@pytest.fixture
def world():
    return build_world()


def need(code):
    return referential_item("essential_need", code)


def save_vision(world, orientations, version=0, visibility="private"):
    return vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=version,
        horizon_year=YEAR + 15,
        statement="Un village nourricier.",
        orientations=orientations,
        reason="Conseil",
        visibility=visibility,
    )


def data(**values):
    return {
        "title": "Le verger <em>raconté</em>",
        "format": "exhibition",
        "told_on": "2026-06-20",
        "audience": "Les habitants",
        "body": "Vingt photographies des jardins.",
        "link": "https://example.org/expo",
        "visibility": "public",
    } | values


def test_an_editor_tells_a_narrative_with_orientations_and_a_file(client, world):
    vision = save_vision(world, [OrientationInput("Se nourrir ici", [need("food")])])
    orientation = vision.orientations.get()
    client_as(client, world, "editor")
    response = client.post(
        NEW, data(orientations=[orientation.pk], file=upload("affiche.pdf", PDF)), follow=True
    )
    narrative = Narrative.objects.get()
    assert response.redirect_chain == [(f"/territoires/ungersheim/recits/{narrative.pk}/", 302)]
    assert (narrative.file_name, narrative.file_content_type, narrative.file_size) == (
        "affiche.pdf",
        "application/pdf",
        len(PDF),
    )
    body = page_text(response)
    assert "Le récit a été enregistré." in body
    assert "Le verger <em>raconté</em> Exposition · 20 juin 2026 · Public" in body
    assert "Le verger &lt;em&gt;raconté&lt;/em&gt;" in response.content.decode()
    assert "Pour : Les habitants" in body
    assert "Orientations de la vision qu’il raconte Se nourrir ici" in body
    assert "Pour le voir ou l’écouter https://example.org/expo affiche.pdf" in body
    download = client.get(f"/territoires/ungersheim/recits/{narrative.pk}/fichier/")
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    audit = AuditEntry.objects.get(action="narrative.create")
    assert audit.changes["orientations"] == [None, [orientation.pk]]
    assert audit.changes["file"] == [None, "affiche.pdf"]


def test_bad_input_is_named_and_nothing_written(client, world, settings):
    client_as(client, world, "editor")
    response = client.post(
        NEW, data(format="opera", link="pas une adresse", body="", file=upload("affiche.pdf", PNG))
    )
    body = page_text(response)
    assert "Format : Sélectionnez un choix valide. opera n’en fait pas partie." in body
    assert "Lien : Saisissez une URL valide." in body
    assert "Texte : Ce champ est obligatoire." in body
    assert "Type de fichier non accepté : « affiche.pdf »" in body
    assert Narrative.objects.count() == 0
    assert not (settings.MEDIA_ROOT.exists() and any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")))


def test_orientations_of_another_territory_are_refused(world):
    vision = vision_save(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        expected_version=0,
        horizon_year=YEAR + 15,
        statement="Ailleurs.",
        orientations=[OrientationInput("Autre", [need("water")])],
        reason="x",
        visibility="public",
    )
    with pytest.raises(ValidationError) as refused:
        narrative_create(
            actor=world.people["editor"],
            territory=world.territory,
            title="X",
            body="Y",
            format="text",
            told_on="2026-01-01",
            orientations=list(vision.orientations.all()),
        )
    assert refused.value.message_dict == {
        "orientations": ["Choisissez des orientations de la vision de ce territoire."]
    }


def test_a_narrative_stays_linked_to_its_orientation_across_vision_saves(client, world):
    vision = save_vision(
        world,
        [OrientationInput("Se nourrir ici", [need("food")]), OrientationInput("Bouger", [need("mobility")])],
    )
    food, mobility = vision.orientations.order_by("position")
    narrative = narrative_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Récit",
        body="…",
        format="text",
        told_on="2026-01-01",
        orientations=[food],
    )
    # Through the service: renamed by id, reordered, one removed, one added.
    save_vision(
        world,
        [
            OrientationInput("Nouvelle", [need("energy")]),
            OrientationInput("Se nourrir du village", [need("food")], id=food.pk),
        ],
        version=1,
    )
    assert list(narrative.orientations.values_list("pk", "title", "position")) == [
        (food.pk, "Se nourrir du village", 2)
    ]
    assert not Orientation.objects.filter(pk=mobility.pk).exists()
    # Through the page: the form carries each orientation's id, unchanged orientations are kept.
    client_as(client, world, "editor")
    form = client.get("/territoires/ungersheim/vision/modifier/").content.decode()
    assert f'name="orientations-1-id" value="{food.pk}"' in form
    rows = list(Orientation.objects.order_by("position"))
    post = {
        "version": 2,
        "horizon_year": YEAR + 15,
        "visibility": "private",
        "reason": "Relecture",
        "statement": "Un village nourricier et sobre.",
        "orientations-TOTAL_FORMS": "2",
        "orientations-INITIAL_FORMS": "2",
        "orientations-MIN_NUM_FORMS": "0",
        "orientations-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        post |= {
            f"orientations-{index}-id": row.pk,
            f"orientations-{index}-title": row.title,
            f"orientations-{index}-needs": [n.code for n in row.needs.all()],
        }
    response = client.post("/territoires/ungersheim/vision/modifier/", post)
    assert response.status_code == 302
    assert sorted(Orientation.objects.values_list("pk", flat=True)) == sorted(row.pk for row in rows)
    assert list(narrative.orientations.values_list("pk", flat=True)) == [food.pk]


def test_the_list_filters_by_format_and_costs_the_same_queries(client, world):
    vision = save_vision(world, [OrientationInput("Se nourrir ici", [need("food")])], visibility="public")
    orientation = vision.orientations.get()

    def add(index, format):
        narrative_create(
            actor=world.people["admin"],
            territory=world.territory,
            title=f"Récit {format} {index}",
            body="…",
            format=format,
            told_on="2026-01-01",
            orientations=[orientation],
            visibility="public",
        )

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/territoires/ungersheim/recits/")
        return len(queries)

    add(0, "video")
    add(0, "podcast")
    one = count()
    for index in range(1, 25):
        add(index, "video")
        add(index, "podcast")
    assert count() == one
    body = page_text(client.get("/territoires/ungersheim/recits/", {"format": "podcast"}))
    assert "Récit podcast 3 · Podcast" in body and "Récit video" not in body


def test_a_contributor_edits_their_own_narratives_and_replaces_the_file(
    client, world, django_capture_on_commit_callbacks
):
    client_as(client, world, "contributor")
    client.post(NEW, data(title="Podcast des jardins", format="podcast", file=upload("a.txt", b"A")))
    narrative = Narrative.objects.get()
    old_path = narrative.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/territoires/ungersheim/recits/{narrative.pk}/modifier/",
            data(title="Podcast des jardins", format="podcast", file=upload("b.md", b"# B")),
        )
    narrative.refresh_from_db()
    assert (narrative.file_name, narrative.file_content_type) == ("b.md", "text/markdown")
    assert not os.path.exists(old_path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/territoires/ungersheim/recits/{narrative.pk}/modifier/",
            data(title="Podcast des jardins", format="podcast", remove_file="on"),
        )
    narrative.refresh_from_db()
    assert (narrative.file_name, narrative.file.name) == ("", "")
    assert client.get(f"/territoires/ungersheim/recits/{narrative.pk}/fichier/").status_code == 404
    other = narrative_create(
        actor=world.people["editor"],
        territory=world.territory,
        title="Autre",
        body="…",
        format="text",
        told_on="2026-01-01",
        visibility="partners",
    )
    assert client.get(f"/territoires/ungersheim/recits/{other.pk}/modifier/").status_code == 404


def test_a_private_narrative_s_file_is_a_404_to_outsiders(client, world):
    narrative = narrative_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Interne",
        body="…",
        format="text",
        told_on="2026-01-01",
        file=upload("note.txt", b"interne"),
    )
    url = f"/territoires/ungersheim/recits/{narrative.pk}/fichier/"
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        client.logout()
        assert client_as(client, world, role).get(url).status_code == 404
    client_as(client, world, "viewer")
    assert b"".join(client.get(url).streaming_content) == b"interne"
