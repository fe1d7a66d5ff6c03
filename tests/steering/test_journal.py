import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import Item
from trajectoires.steering.models import JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def entry_data(**values):
    data = {
        "title": "Fête du verger",
        "occurred_on": "2026-05-04",
        "body": "Cent habitants <b>présents</b>.",
        "visibility": "partners",
    }
    return data | values


def test_an_editor_writes_an_entry_tagged_by_key_actions(client, world):
    client_as(client, world, "editor")
    k10 = Item.objects.get(grid__code="key_action", code="K10")
    response = client.post(
        "/territoires/ungersheim/journal/nouveau/", entry_data(key_actions=[k10.pk]), follow=True
    )
    entry = JournalEntry.objects.get()
    assert response.redirect_chain == [(f"/territoires/ungersheim/journal/{entry.pk}/", 302)]
    assert (entry.title, str(entry.occurred_on), entry.visibility, entry.author) == (
        "Fête du verger",
        "2026-05-04",
        "partners",
        world.people["editor"],
    )
    html = response.content.decode()
    assert "Cent habitants &lt;b&gt;présents&lt;/b&gt;." in html
    assert "L'entrée du journal a été enregistrée." in page_text(response)
    assert "K10 Évaluer, raconter et célébrer" in page_text(response)
    audit = AuditEntry.objects.get(action="journal_entry.create")
    assert audit.scope == f"territory:{world.territory.pk}"
    assert audit.changes["key_actions"] == [None, ["K10"]]
    assert audit.changes["visibility"] == [None, "partners"]


def test_bad_input_names_the_field_and_writes_nothing(client, world):
    client_as(client, world, "editor")
    response = client.post(
        "/territoires/ungersheim/journal/nouveau/",
        entry_data(title="", occurred_on="hier", visibility="everyone"),
    )
    body = page_text(response)
    assert "Titre : Ce champ est obligatoire." in body
    assert "Date : Saisissez une date valide." in body
    assert "Sélectionnez un choix valide. everyone n’en fait pas partie." in body
    assert JournalEntry.objects.count() == 0


def test_an_update_records_the_fields_before_and_after(client, world):
    client_as(client, world, "editor")
    client.post("/territoires/ungersheim/journal/nouveau/", entry_data())
    entry = JournalEntry.objects.get()
    client.post(f"/territoires/ungersheim/journal/{entry.pk}/modifier/", entry_data(visibility="public"))
    audit = AuditEntry.objects.get(action="journal_entry.update")
    assert audit.changes == {"visibility": ["partners", "public"]}


def test_a_contributor_edits_their_own_entries_only(client, world):
    client_as(client, world, "contributor")
    client.post("/territoires/ungersheim/journal/nouveau/", entry_data(title="Atelier vélo"))
    own = JournalEntry.objects.get(title="Atelier vélo")
    assert client.get(f"/territoires/ungersheim/journal/{own.pk}/modifier/").status_code == 200
    client_as(client, world, "editor")
    client.post("/territoires/ungersheim/journal/nouveau/", entry_data(title="Conseil municipal"))
    other = JournalEntry.objects.get(title="Conseil municipal")
    client_as(client, world, "contributor")
    assert client.get(f"/territoires/ungersheim/journal/{other.pk}/modifier/").status_code == 404
    response = client.post(
        f"/territoires/ungersheim/journal/{other.pk}/modifier/", entry_data(title="Changé")
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "Conseil municipal"


def test_a_viewer_cannot_add_an_entry(client, world):
    client_as(client, world, "viewer")
    assert client.get("/territoires/ungersheim/journal/nouveau/").status_code == 404
    assert client.post("/territoires/ungersheim/journal/nouveau/", entry_data()).status_code == 404
    assert JournalEntry.objects.count() == 0


def test_the_journal_lists_what_each_viewer_may_read(client, world):
    client_as(client, world, "admin")
    for visibility in ("private", "partners", "alliance", "public"):
        client.post(
            "/territoires/ungersheim/journal/nouveau/",
            entry_data(title=f"Entrée {visibility}", visibility=visibility),
        )
    seen = {}
    for role in ("anonymous", "member_elsewhere", "partner_funder", "viewer"):
        client.logout()
        body = page_text(client_as(client, world, role).get("/territoires/ungersheim/journal/"))
        seen[role] = [v for v in ("private", "partners", "alliance", "public") if f"Entrée {v}" in body]
    assert seen == {
        "anonymous": ["public"],
        "member_elsewhere": ["alliance", "public"],
        "partner_funder": ["partners", "alliance", "public"],
        "viewer": ["private", "partners", "alliance", "public"],
    }


def test_the_journal_costs_the_same_queries_with_1_and_50_entries(client, world):
    client_as(client, world, "admin")
    k1 = Item.objects.get(grid__code="key_action", code="K1")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/territoires/ungersheim/journal/")
        return len(queries)

    client.post("/territoires/ungersheim/journal/nouveau/", entry_data(key_actions=[k1.pk]))
    one = count()
    for index in range(49):
        client.post(
            "/territoires/ungersheim/journal/nouveau/", entry_data(title=f"E{index}", key_actions=[k1.pk])
        )
    assert JournalEntry.objects.count() == 50
    assert count() == one
