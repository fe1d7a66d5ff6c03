"""Celebrations, narratives and the journal's files and search in the API: the same rights and
the same checks as the pages."""

import pytest
from django.utils import timezone

from tests.files import EXE, PDF, upload
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import Attachment, Celebration, Narrative
from trajectoires.steering.narratives import narrative_create
from trajectoires.steering.services import journal_entry_create
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


def auth(world, role):
    _token, raw = api_token_create(user=world.people[role], name="script", scope="read_write")
    return {"Authorization": f"Bearer {raw}"}


def entry(world, title, visibility="public", **values):
    return journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title=title,
        occurred_on="2026-04-10",
        visibility=visibility,
        **values,
    )


def test_celebrations_are_written_read_and_deleted_with_the_pages_rights(client, world):
    planting = entry(world, "Plantation")
    secret = entry(world, "Note interne", visibility="private")
    payload = {
        "title": "Première récolte",
        "achieved_on": "2026-09-12",
        "achievement": "Deux tonnes de pommes.",
        "participants": "Les bénévoles",
        "journal_entries": [planting.pk, secret.pk],
        "visibility": "public",
    }
    response = client.post(
        f"{BASE}/celebrations/", payload, content_type="application/json", headers=auth(world, "editor")
    )
    assert response.status_code == 201
    celebration = Celebration.objects.get()
    expected = {
        "id": celebration.pk,
        "territory": "ungersheim",
        "title": "Première récolte",
        "achieved_on": "2026-09-12",
        "achievement": "Deux tonnes de pommes.",
        "participants": "Les bénévoles",
        "actors": [],
        "journal_entries": [
            {"id": secret.pk, "title": "Note interne", "occurred_on": "2026-04-10"},
            {"id": planting.pk, "title": "Plantation", "occurred_on": "2026-04-10"},
        ],
        "visibility": "public",
    }
    assert response.json() == expected
    # Anyone reads a public celebration, but only the linked entries they may read.
    anonymous = client.__class__()
    assert anonymous.get(f"{BASE}/celebrations/{celebration.pk}").json()["journal_entries"] == [
        {"id": planting.pk, "title": "Plantation", "occurred_on": "2026-04-10"}
    ]
    assert [row["title"] for row in anonymous.get(f"{BASE}/celebrations/").json()["results"]] == [
        "Première récolte"
    ]
    # A viewer may not change it, and learns nothing more than about a missing one.
    refused = client.put(
        f"{BASE}/celebrations/{celebration.pk}",
        payload,
        content_type="application/json",
        headers=auth(world, "viewer"),
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    changed = client.put(
        f"{BASE}/celebrations/{celebration.pk}",
        payload | {"title": "Récolte fêtée"},
        content_type="application/json",
        headers=auth(world, "admin"),
    )
    assert changed.json()["title"] == "Récolte fêtée"
    assert AuditEntry.objects.get(action="celebration.update").changes == {
        "title": ["Première récolte", "Récolte fêtée"]
    }
    deleted = client.delete(f"{BASE}/celebrations/{celebration.pk}", headers=auth(world, "editor"))
    assert deleted.status_code == 204 and Celebration.objects.count() == 0


def test_celebration_bad_input_names_the_fields(client, world):
    other = journal_entry_create(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        title="Ailleurs",
        occurred_on="2026-01-01",
    )
    response = client.post(
        f"{BASE}/celebrations/",
        {"title": "X", "achieved_on": "demain", "achievement": "", "journal_entries": [other.pk]},
        content_type="application/json",
        headers=auth(world, "editor"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "achieved_on": ["Saisissez une date valide."],
        "achievement": ["Ce champ est obligatoire."],
        "journal_entries": [f"Sélectionnez un choix valide. {other.pk} n’en fait pas partie."],
    }
    assert Celebration.objects.count() == 0


def test_narratives_with_orientations_filters_and_a_file(client, world):
    year = timezone.localdate().year
    vision = vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=0,
        horizon_year=year + 15,
        statement="Un village nourricier.",
        reason="x",
        visibility="public",
        orientations=[OrientationInput("Se nourrir ici", [referential_item("essential_need", "food")])],
    )
    orientation = vision.orientations.get()
    assert client.get(f"{BASE}/narratives/orientations").json() == [
        {"id": orientation.pk, "title": "Se nourrir ici"}
    ]
    payload = {
        "title": "Les jardins racontés",
        "body": "Un podcast en six épisodes.",
        "format": "podcast",
        "audience": "Les habitants",
        "told_on": "2026-06-20",
        "orientations": [orientation.pk],
        "link": "https://example.org/podcast",
        "visibility": "public",
    }
    response = client.post(
        f"{BASE}/narratives/", payload, content_type="application/json", headers=auth(world, "editor")
    )
    assert response.status_code == 201
    narrative = Narrative.objects.get()
    assert response.json() == payload | {
        "id": narrative.pk,
        "territory": "ungersheim",
        "orientations": [{"id": orientation.pk, "title": "Se nourrir ici"}],
        "file": None,
    }
    narrative_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Exposition",
        body="…",
        format="exhibition",
        told_on="2026-01-01",
        visibility="public",
    )
    listed = client.get(f"{BASE}/narratives/", {"format": "podcast"}).json()
    assert [row["title"] for row in listed["results"]] == ["Les jardins racontés"]

    refused = client.post(
        f"{BASE}/narratives/{narrative.pk}/file",
        {"file": upload("outil.pdf", EXE)},
        headers=auth(world, "editor"),
    )
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["file"]
    without = client.post(f"{BASE}/narratives/{narrative.pk}/file", {}, headers=auth(world, "editor"))
    assert without.status_code == 422
    assert without.json()["error"]["fields"] == {"file": ["Choisissez un fichier."]}
    # A missing narrative answers 404 before the body is looked at.
    missing = client.post(f"{BASE}/narratives/{narrative.pk + 99}/file", {}, headers=auth(world, "editor"))
    assert missing.status_code == 404
    attached = client.post(
        f"{BASE}/narratives/{narrative.pk}/file",
        {"file": upload("affiche.pdf", PDF)},
        headers=auth(world, "editor"),
    )
    file = attached.json()["file"]
    assert file == {
        "name": "affiche.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "url": f"http://testserver{BASE}/narratives/{narrative.pk}/file",
    }
    download = client.__class__().get(file["url"])
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="affiche.pdf"'


def test_the_journal_api_searches_filters_and_carries_files(client, world):
    k10 = referential_item("key_action", "K10")
    entry(world, "Chantier participatif", entry_type="meeting", key_actions=[k10])
    target = entry(world, "Conseil municipal", entry_type="decision")
    private = entry(world, "Devis", visibility="private", attachments=[upload("devis.pdf", PDF)])
    URL = f"{BASE}/journal/"

    def titles(**query):
        return [row["title"] for row in client.get(URL, query).json()["results"]]

    assert titles(q="chantiers participatifs") == ["Chantier participatif"]
    assert titles(type="decision") == ["Conseil municipal"]
    assert titles(key_action="K10") == ["Chantier participatif"]
    assert client.get(URL, {"key_action": "K99"}).json()["error"]["fields"] == {
        "key_action": ["Code inconnu : K99."]
    }

    added = client.post(
        f"{URL}{target.pk}/attachments/",
        {"files": [upload("deliberation.pdf", PDF), upload("notes.txt", b"Vote.")]},
        headers=auth(world, "editor"),
    )
    assert added.status_code == 201
    files = added.json()["attachments"]
    assert [(f["name"], f["content_type"], f["size"]) for f in files] == [
        ("deliberation.pdf", "application/pdf", len(PDF)),
        ("notes.txt", "text/plain", 5),
    ]
    assert titles(has_attachments=True) == ["Conseil municipal"]  # the private one is not for anonymous
    refused = client.post(
        f"{URL}{target.pk}/attachments/", {"files": [upload("x.exe", EXE)]}, headers=auth(world, "editor")
    )
    assert refused.status_code == 422 and list(refused.json()["error"]["fields"]) == ["files"]
    assert Attachment.objects.filter(entry=target).count() == 2

    secret = private.attachments.get()
    assert client.__class__().get(f"{URL}{private.pk}/attachments/{secret.pk}").status_code == 404
    viewer = client.get(f"{URL}{private.pk}/attachments/{secret.pk}", headers=auth(world, "viewer"))
    assert b"".join(viewer.streaming_content) == PDF

    removed = client.delete(f"{URL}{target.pk}/attachments/{files[0]['id']}", headers=auth(world, "viewer"))
    assert removed.status_code == 404
    removed = client.delete(f"{URL}{target.pk}/attachments/{files[0]['id']}", headers=auth(world, "editor"))
    assert removed.status_code == 204
    assert list(target.attachments.values_list("name", flat=True)) == ["notes.txt"]
