"""The journal in the API: the same entries as the page for the same viewer, the same rights."""

import pytest

from tests.trust.world import build_world, client_as
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import JournalEntry
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/territories/ungersheim/journal/"


@pytest.fixture
def world():
    world = build_world()
    for visibility in ("private", "partners", "alliance", "public"):
        world_entry(world, f"Entrée {visibility}", visibility)
    return world


def world_entry(world, title, visibility):
    return journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title=title,
        occurred_on="2026-05-04",
        visibility=visibility,
    )


@pytest.mark.parametrize(
    "role", ["anonymous", "member_elsewhere", "partner_funder", "contributor", "viewer", "staff"]
)
def test_the_api_lists_exactly_what_the_page_shows(client, world, role):
    client_as(client, world, role)
    api_titles = [entry["title"] for entry in client.get(URL).json()["results"]]
    page = client.get("/territoires/ungersheim/journal/").content.decode()
    page_titles = [
        title
        for title in [f"Entrée {v}" for v in ("private", "partners", "alliance", "public")]
        if title in page
    ]
    assert sorted(api_titles) == sorted(page_titles)
    assert (
        len(api_titles)
        == {
            "anonymous": 1,
            "member_elsewhere": 2,
            "staff": 2,
            "partner_funder": 3,
            "contributor": 3,
            "viewer": 4,
        }[role]
    )


def test_an_editor_writes_with_a_read_write_token(client, world):
    _token, raw = api_token_create(user=world.people["editor"], name="script", scope="read_write")
    payload = {
        "title": "Comité de pilotage",
        "occurred_on": "2026-10-01",
        "body": "Décisions prises.",
        "entry_type": "meeting",
        "key_actions": ["K8", "K10"],
        "needs": ["food"],
        "visibility": "partners",
    }
    response = client.post(
        URL, payload, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 201
    entry = JournalEntry.objects.get(title="Comité de pilotage")
    assert response.json() == {
        "id": entry.pk,
        "territory": "ungersheim",
        "title": "Comité de pilotage",
        "occurred_on": "2026-10-01",
        "entry_type": "meeting",
        "body": "Décisions prises.",
        "key_actions": ["K8", "K10"],
        "needs": ["food"],
        "actors": [],
        "attachments": [],
        "visibility": "partners",
    }
    assert AuditEntry.objects.filter(action="journal_entry.create", object_id=str(entry.pk)).exists()

    payload |= {"visibility": "public"}
    response = client.put(
        f"{URL}{entry.pk}",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.json()["visibility"] == "public"
    assert AuditEntry.objects.get(action="journal_entry.update").changes == {
        "visibility": ["partners", "public"]
    }


def test_a_read_token_cannot_write(client, world):
    _token, raw = api_token_create(user=world.people["editor"], name="lecture", scope="read")
    response = client.post(
        URL,
        {"title": "X", "occurred_on": "2026-10-01"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"
    assert not JournalEntry.objects.filter(title="X").exists()


def test_a_viewer_cannot_write_and_learns_nothing(client, world):
    _token, raw = api_token_create(user=world.people["viewer"], name="script", scope="read_write")
    response = client.post(
        URL,
        {"title": "X", "occurred_on": "2026-10-01"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Rien n'a été trouvé à cette adresse."}
    }
    assert not JournalEntry.objects.filter(title="X").exists()


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    _token, raw = api_token_create(user=world.people["editor"], name="script", scope="read_write")
    response = client.post(
        URL,
        {"title": "", "occurred_on": "demain", "key_actions": ["K99"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"key_actions": ["Actions clés inconnues : K99."]}
    response = client.post(
        URL,
        {"title": "", "occurred_on": "demain"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.json()["error"]["fields"] == {
        "title": ["Ce champ est obligatoire."],
        "occurred_on": ["Saisissez une date valide."],
    }
    assert JournalEntry.objects.count() == 4


def test_filters_and_writes_by_code_keep_the_version_1_items_an_entry_holds(client, world):
    first = ReferentialVersion.objects.get(number=1)
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Conseil de 2024",
        occurred_on="2024-05-04",
        key_actions=[referential_item("key_action", "K10", version=first)],
        needs=[referential_item("essential_need", "water", version=first)],
        visibility="public",
    )
    client_as(client, world, "editor")

    def titles(**query):
        return [row["title"] for row in client.get(URL, query).json()["results"]]

    assert titles(key_action="K10") == ["Conseil de 2024"]
    assert titles(need="water") == ["Conseil de 2024"]
    assert client.get(URL, {"key_action": "K99"}).json()["error"]["fields"] == {
        "key_action": ["Code inconnu : K99."]
    }

    def held(items):
        return sorted((item.code, item.version.number) for item in items.all())

    payload = {"title": "Conseil de 2024", "occurred_on": "2024-05-04", "visibility": "public"}
    response = client.put(
        f"{URL}{entry.pk}",
        payload | {"key_actions": ["K10"], "needs": ["water"]},
        content_type="application/json",
    )
    assert (response.json()["key_actions"], response.json()["needs"]) == (["K10"], ["water"])
    assert (held(entry.key_actions), held(entry.needs)) == ([("K10", 1)], [("water", 1)])
    assert not AuditEntry.objects.filter(action="journal_entry.update").exists()
    response = client.put(
        f"{URL}{entry.pk}",
        payload | {"key_actions": ["K1", "K10"], "needs": []},
        content_type="application/json",
    )
    assert response.json()["key_actions"] == ["K1", "K10"]
    assert (held(entry.key_actions), held(entry.needs)) == ([("K1", 2), ("K10", 1)], [])
