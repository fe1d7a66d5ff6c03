import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.files import PDF, upload
from tests.pages import page_text, sent_form
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.celebrations import celebration_create
from trajectoires.steering.models import JournalEntry
from trajectoires.steering.services import journal_entry_create

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
    response = client.post(
        "/territoires/ungersheim/journal/nouveau/", entry_data(key_actions=["K10"]), follow=True
    )
    entry = JournalEntry.objects.get()
    assert [(item.code, item.version.number) for item in entry.key_actions.all()] == [("K10", 2)]
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

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/territoires/ungersheim/journal/")
        return len(queries)

    client.post("/territoires/ungersheim/journal/nouveau/", entry_data(key_actions=["K1"]))
    one = count()
    for index in range(49):
        client.post(
            "/territoires/ungersheim/journal/nouveau/", entry_data(title=f"E{index}", key_actions=["K1"])
        )
    assert JournalEntry.objects.count() == 50
    assert count() == one


def test_an_entry_carries_its_type_needs_actors_and_files(client, world, make_actor):
    garden = make_actor(world.territory, "Jardin <i>partagé</i>")
    elsewhere = make_actor(world.elsewhere, "Association lointaine")
    client_as(client, world, "editor")
    response = client.post(
        "/territoires/ungersheim/journal/nouveau/",
        entry_data(
            entry_type="decision",
            needs=["food"],
            actors=[garden.pk],
            attachments=[upload("délibération.pdf", PDF), upload("notes.txt", b"Vote unanime.")],
        ),
        follow=True,
    )
    entry = JournalEntry.objects.get()
    assert entry.entry_type == "decision"
    assert [need.code for need in entry.needs.all()] == ["food"]
    assert list(entry.actors.all()) == [garden]
    assert sorted(entry.attachments.values_list("name", "content_type", "size")) == [
        ("délibération.pdf", "application/pdf", len(PDF)),
        ("notes.txt", "text/plain", 13),
    ]
    body = page_text(response)
    assert "Décision · Partenaires" in body
    assert "Besoins essentiels Alimentation" in body
    assert "Acteurs Jardin <i>partagé</i>" in body  # escaped, shown as typed
    assert "Jardin &lt;i&gt;partagé&lt;/i&gt;" in response.content.decode()
    assert "Fichiers délibération.pdf" in body
    audit = AuditEntry.objects.get(action="journal_entry.create")
    assert audit.changes["attachments"] == [None, ["délibération.pdf", "notes.txt"]]
    assert audit.changes["actors"] == [None, [garden.pk]]
    assert audit.changes["entry_type"] == [None, "decision"]

    # An actor of another territory is not among the choices.
    response = client.post(
        f"/territoires/ungersheim/journal/{entry.pk}/modifier/", entry_data(actors=[elsewhere.pk])
    )
    assert "Acteurs : Sélectionnez un choix valide." in page_text(response)
    assert list(entry.actors.all()) == [garden]


def test_an_edit_adds_and_removes_files(client, world, django_capture_on_commit_callbacks):
    client_as(client, world, "editor")
    client.post(
        "/territoires/ungersheim/journal/nouveau/",
        entry_data(attachments=[upload("a.txt", b"A"), upload("b.txt", b"B")]),
    )
    entry = JournalEntry.objects.get()
    first = entry.attachments.get(name="a.txt")
    stored = first.file.path
    with_removal = entry_data(remove_attachments=[first.pk], attachments=[upload("c.csv", b"x;y\n")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/territoires/ungersheim/journal/{entry.pk}/modifier/", with_removal)
    assert sorted(entry.attachments.values_list("name", flat=True)) == ["b.txt", "c.csv"]
    assert not os.path.exists(stored)
    audit = AuditEntry.objects.get(action="journal_entry.update")
    assert audit.changes == {"attachments": [["a.txt", "b.txt"], ["b.txt", "c.csv"]]}


def test_the_timeline_merges_entries_and_celebrations_by_year_and_month(client, world):

    admin = world.people["admin"]
    for title, day in (("Conseil", "2025-11-20"), ("Plantation", "2026-03-02"), ("Bilan", "2026-03-28")):
        client_as(client, world, "admin").post(
            "/territoires/ungersheim/journal/nouveau/",
            entry_data(title=title, occurred_on=day, visibility="public"),
        )
    celebration_create(
        actor=admin,
        territory=world.territory,
        title="Le verger a donné",
        achieved_on="2026-03-15",
        achievement="Première récolte.",
        visibility="public",
    )
    client.logout()
    body = page_text(client.get("/territoires/ungersheim/journal/"))
    public = "Public — tout le monde, et les données ouvertes"
    assert (
        f"4 éléments 2026 mars 2026 Bilan · 28 mars 2026 · Événement · {public} "
        f"Célébration Le verger a donné · 15 mars 2026 · {public} "
        f"Plantation · 2 mars 2026 · Événement · {public} "
        f"2025 novembre 2025 Conseil · 20 novembre 2025 · Événement · {public}"
    ) in body


def test_the_timeline_filters(client, world, make_actor):

    admin, territory = world.people["admin"], world.territory
    k10 = referential_item("key_action", "K10")
    water = referential_item("essential_need", "water")
    mayor = make_actor(territory, "Mairie")

    def add(title, **values):
        values = {"occurred_on": "2026-05-04", "visibility": "public"} | values
        return journal_entry_create(actor=admin, territory=territory, title=title, **values)

    add("Décision du conseil", entry_type="decision", key_actions=[k10])
    add("Forage", needs=[water], occurred_on="2025-06-01")
    add("Rencontre", actors=[mayor])
    add("Rapport", attachments=[upload("r.txt", b"r")])
    celebration_create(
        actor=admin,
        territory=territory,
        title="Fête",
        achieved_on="2026-06-01",
        achievement="Oui.",
        actors=[mayor],
        visibility="public",
    )

    def titles(**query):
        body = page_text(client.get("/territoires/ungersheim/journal/", query))
        names = ("Décision du conseil", "Forage", "Rencontre", "Rapport", "Fête")
        return [name for name in names if f"{name} ·" in body]

    assert titles() == ["Décision du conseil", "Forage", "Rencontre", "Rapport", "Fête"]
    assert titles(type="decision") == ["Décision du conseil"]
    assert titles(type="celebration") == ["Fête"]
    assert titles(key_action="K10") == ["Décision du conseil"]
    assert titles(need="water") == ["Forage"]
    assert titles(actor=mayor.pk) == ["Rencontre", "Fête"]
    assert titles(year=2025) == ["Forage"]
    assert titles(has_attachments="on") == ["Rapport"]
    body = page_text(client.get("/territoires/ungersheim/journal/", {"year": "demain"}))
    assert "Année : Saisissez un nombre entier." in body and "Forage ·" in body


def test_the_timeline_costs_the_same_queries_with_1_and_50_tagged_entries(client, world, make_actor):

    admin, territory = world.people["admin"], world.territory
    k1 = referential_item("key_action", "K1")
    food = referential_item("essential_need", "food")
    actor = make_actor(territory, "Ferme")
    client_as(client, world, "viewer")

    def add(index):
        journal_entry_create(
            actor=admin,
            territory=territory,
            title=f"Entrée {index}",
            occurred_on=f"2026-01-{index % 28 + 1:02d}",
            key_actions=[k1],
            needs=[food],
            actors=[actor],
            attachments=[upload("n.txt", b"n")],
        )
        celebration_create(
            actor=admin,
            territory=territory,
            title=f"Fête {index}",
            achieved_on=f"2026-01-{index % 28 + 1:02d}",
            achievement="Oui.",
            actors=[actor],
        )

    def count(query=None):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/territoires/ungersheim/journal/", query or {})
        assert response.status_code == 200
        return len(queries)

    add(0)
    one, one_searched = count(), count({"q": "entrée", "actor": actor.pk})
    for index in range(1, 50):
        add(index)
    assert (count(), count({"q": "entrée", "actor": actor.pk})) == (one, one_searched)


def first_version(grid, code):
    return referential_item(grid, code, version=ReferentialVersion.objects.get(number=1))


def held(items) -> list[tuple[str, int]]:
    return sorted((item.code, item.version.number) for item in items.all())


def test_the_timeline_filters_by_code_find_entries_holding_version_1_items(client, world):
    admin, territory = world.people["admin"], world.territory

    def add(title, **values):
        values = {"occurred_on": "2026-05-04", "visibility": "public"} | values
        return journal_entry_create(actor=admin, territory=territory, title=title, **values)

    add("Conseil de 2024", key_actions=[first_version("key_action", "K10")])
    add("Conseil de 2026", key_actions=[referential_item("key_action", "K10")])
    add("Forage", needs=[first_version("essential_need", "water")])
    add("Atelier", key_actions=[first_version("key_action", "K1")])

    def titles(**query):
        response = client.get("/territoires/ungersheim/journal/", query)
        assert not response.context["filter_form"].errors
        body = page_text(response)
        return [
            name
            for name in ("Conseil de 2024", "Conseil de 2026", "Forage", "Atelier")
            if f"{name} ·" in body
        ]

    assert titles(key_action="K10") == ["Conseil de 2024", "Conseil de 2026"]
    assert titles(need="water") == ["Forage"]
    assert titles(key_action="K1") == ["Atelier"]
    filter_html = client.get("/territoires/ungersheim/journal/", {"key_action": "K10"}).content.decode()
    assert '<option value="K10" selected>' in filter_html


def test_an_unchanged_edit_keeps_the_version_1_tags_and_a_new_one_is_current(client, world):
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Conseil de 2024",
        occurred_on="2024-05-04",
        key_actions=[first_version("key_action", "K10")],
        needs=[first_version("essential_need", "water")],
    )
    client_as(client, world, "editor")
    edit = f"/territoires/ungersheim/journal/{entry.pk}/modifier/"
    sent = sent_form(client.get(edit), "title")
    assert (sent["key_actions"], sent["needs"]) == (["K10"], ["water"])
    response = client.post(edit, sent | {"body": "Compte rendu ajouté."})
    assert response.status_code == 302
    assert (held(entry.key_actions), held(entry.needs)) == ([("K10", 1)], [("water", 1)])
    assert AuditEntry.objects.get(action="journal_entry.update").changes == {
        "body": ["", "Compte rendu ajouté."]
    }
    sent = sent_form(client.get(edit), "title")
    client.post(edit, sent | {"key_actions": ["K1", "K10"], "needs": ["food"]})
    assert (held(entry.key_actions), held(entry.needs)) == ([("K1", 2), ("K10", 1)], [("food", 2)])
    text = page_text(client.get(f"/territoires/ungersheim/journal/{entry.pk}/"))
    assert "Actions clés K1 Définir une vision inspirante K10 Évaluer, raconter et célébrer" in text
