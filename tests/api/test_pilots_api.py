"""Pilots, their iterations and their transferability sheets in the API: the same rights, rules and
life cycle as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.planning.test_pilots import an_actor, iterate, make_pilot, vision_of
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.planning.models import Pilot, PilotIteration, TransferabilitySheet
from trajectoires.planning.sheets import sheet_publish, sheet_save

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/pilots"
SECTIONS = {
    "context": "Une commune rurale.",
    "prerequisites": "Un cuisinier formé.",
    "costs": "0,40 € par repas.",
    "pitfalls": "Les vacances.",
    "contacts": "La mairie.",
}


@pytest.fixture
def world():
    return build_world()


def auth(world, role, scope="read_write"):
    _token, raw = api_token_create(user=world.people[role], name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, payload, headers):
    return client.post(url, payload, content_type="application/json", headers=headers)


def test_a_pilot_is_started_read_iterated_replaced_and_deleted(client, world):
    orientation = vision_of(world, visibility="public").orientations.get()
    farm = an_actor(world, visibility="public")
    payload = {
        "title": "Cantine locale",
        "hypothesis": "Si la cantine achète local, alors les repas changent.",
        "scope": "Une école, un trimestre.",
        "started_on": "2026-03-02",
        "actors": [farm.pk],
        "orientations": [orientation.pk],
        "visibility": "public",
    }
    editor = auth(world, "editor")
    response = post(client, f"{BASE}/", payload, editor)
    assert response.status_code == 201
    pilot = Pilot.objects.get()
    expected = {
        "id": pilot.pk,
        "territory": "ungersheim",
        "title": "Cantine locale",
        "hypothesis": "Si la cantine achète local, alors les repas changent.",
        "scope": "Une école, un trimestre.",
        "started_on": "2026-03-02",
        "status": "running",
        "actors": [{"id": farm.pk, "name": "Ferme du Moulin"}],
        "orientations": [{"id": orientation.pk, "title": "Se nourrir ici"}],
        "lessons": "",
        "iterations": [],
        "sheet": {"written": False, "published_at": None},
        "visibility": "public",
    }
    assert response.json() == expected
    assert client.__class__().get(f"{BASE}/{pilot.pk}").json() == expected

    iteration = {
        "held_on": "2026-04-06",
        "tried": "Un repas local par semaine.",
        "observed": "Moins de restes.",
        "evidence": "Pesées.",
        "decision": "adjust",
        "adjustment": "Deux repas.",
    }
    response = post(client, f"{BASE}/{pilot.pk}/iterations", iteration, editor)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "adjusted"
    assert body["iterations"] == [
        {
            "number": 1,
            "held_on": "2026-04-06",
            "tried": "Un repas local par semaine.",
            "observed": "Moins de restes.",
            "evidence": "Pesées.",
            "decision": "adjust",
            "adjustment": "Deux repas.",
        }
    ]
    listed = client.get(f"{BASE}/", {"status": "adjusted"}).json()
    assert [row["title"] for row in listed["results"]] == ["Cantine locale"]
    assert client.get(f"{BASE}/", {"status": "running"}).json()["count"] == 0

    changed = client.put(
        f"{BASE}/{pilot.pk}",
        payload | {"title": "Cantine 100 % locale", "actors": []},
        content_type="application/json",
        headers=editor,
    )
    assert (changed.json()["title"], changed.json()["actors"], changed.json()["status"]) == (
        "Cantine 100 % locale",
        [],
        "adjusted",
    )
    assert AuditEntry.objects.filter(action="pilot.update").latest("id").changes == {
        "actors": [[farm.pk], []],
        "title": ["Cantine locale", "Cantine 100 % locale"],
    }
    deleted = client.delete(f"{BASE}/{pilot.pk}", headers=editor)
    assert deleted.status_code == 204
    assert (Pilot.objects.count(), PilotIteration.objects.count()) == (0, 0)


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    foreign = an_actor(world, "Ailleurs", territory=world.elsewhere, visibility="public")
    response = post(
        client,
        f"{BASE}/",
        {"title": "X", "hypothesis": "", "scope": "S", "started_on": "demain", "actors": [foreign.pk]},
        auth(world, "editor"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "hypothesis": ["Ce champ est obligatoire."],
        "started_on": ["Saisissez une date valide."],
        "actors": [f"Sélectionnez un choix valide. {foreign.pk} n’en fait pas partie."],
    }
    assert Pilot.objects.count() == 0


def test_iterations_follow_the_life_cycle(client, world):
    pilot = make_pilot(world, visibility="alliance")
    editor = auth(world, "editor")
    url = f"{BASE}/{pilot.pk}/iterations"
    stop = {
        "held_on": "2026-02-01",
        "tried": "T",
        "observed": "O",
        "decision": "stop",
        "adjustment": "On arrête.",
    }
    refused = post(client, url, stop, editor)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "held_on": ["Le pilote a commencé le 2 mars 2026 : une itération ne peut pas être datée d’avant."],
        "lessons": ["Arrêter un pilote consigne les enseignements tirés : rédigez-les."],
    }
    stopped = post(client, url, stop | {"held_on": "2026-04-01", "lessons": "Appris."}, editor)
    assert (stopped.status_code, stopped.json()["status"], stopped.json()["lessons"]) == (
        201,
        "stopped",
        "Appris.",
    )
    closed = post(client, url, stop | {"held_on": "2026-05-01", "decision": "continue"}, editor)
    assert closed.status_code == 409
    assert closed.json()["error"] == {
        "status": 409,
        "code": "conflict",
        "message": (
            "Ce pilote est clos (Arrêté — enseignements tirés) : il ne reçoit plus de nouvelle itération."
        ),
    }
    # A reader who may not change the pilot learns nothing more than about a missing one.
    viewer = post(client, url, stop | {"decision": "continue"}, auth(world, "viewer"))
    assert (viewer.status_code, viewer.json()["error"]["code"]) == (404, "not_found")
    assert PilotIteration.objects.count() == 1


def test_the_sheet_is_written_published_and_listed_for_the_alliance(client, world):
    pilot = make_pilot(world)
    iterate(world, pilot, "adjust")
    editor = auth(world, "editor")
    sheet_url = f"{BASE}/{pilot.pk}/sheet"
    empty = client.get(sheet_url, headers=editor).json()
    assert empty == {
        "pilot": {
            "id": pilot.pk,
            "territory": "ungersheim",
            "title": "Cantine 100 % locale",
            "status": "adjusted",
            "hypothesis": "Si la cantine achète aux maraîchers du village, alors les repas seront locaux.",
        },
        "context": "",
        "prerequisites": "",
        "costs": "",
        "pitfalls": "",
        "contacts": "",
        "published_at": None,
    }
    written = client.put(
        sheet_url, SECTIONS | {"contacts": ""}, content_type="application/json", headers=editor
    )
    assert written.json()["context"] == "Une commune rurale."
    refused = post(client, f"{sheet_url}/publish", {}, editor)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "contacts": ["Rédigez la section «\xa0Contacts\xa0» : une fiche publiée a toutes ses sections."]
    }
    client.put(sheet_url, SECTIONS, content_type="application/json", headers=editor)
    published = post(client, f"{sheet_url}/publish", {}, editor)
    assert published.status_code == 200 and published.json()["published_at"] is not None

    elsewhere = auth(world, "member_elsewhere")
    assert client.get(f"{BASE}/{pilot.pk}", headers=elsewhere).status_code == 404
    assert client.get(sheet_url, headers=elsewhere).json()["contacts"] == "La mairie."
    listed = client.get("/api/v1/transferability-sheets/", headers=elsewhere).json()
    assert (listed["count"], listed["results"][0]["pilot"]["title"]) == (1, "Cantine 100 % locale")
    anonymous = client.__class__()
    assert anonymous.get(sheet_url).status_code == 404
    assert anonymous.get("/api/v1/transferability-sheets/").json()["count"] == 0

    unpublished = post(client, f"{sheet_url}/unpublish", {}, editor)
    assert unpublished.json()["published_at"] is None
    assert client.get(sheet_url, headers=elsewhere).status_code == 404
    assert client.get("/api/v1/transferability-sheets/", headers=elsewhere).json()["count"] == 0
    assert [
        entry.action
        for entry in AuditEntry.objects.filter(action__startswith="transferability").order_by("id")
    ] == [
        "transferability_sheet.create",
        "transferability_sheet.update",
        "transferability_sheet.publish",
        "transferability_sheet.unpublish",
    ]


def test_sheet_writes_need_the_right_to_edit_the_pilot(client, world):
    pilot = make_pilot(world, visibility="alliance")
    for role in ("viewer", "member_elsewhere"):
        headers = auth(world, role)
        assert (
            client.put(
                f"{BASE}/{pilot.pk}/sheet", SECTIONS, content_type="application/json", headers=headers
            ).status_code
            == 404
        )
        assert post(client, f"{BASE}/{pilot.pk}/sheet/publish", {}, headers).status_code == 404
    assert post(client, f"{BASE}/{pilot.pk}/sheet/publish", {}, {}).status_code == 401
    read_only = auth(world, "editor", scope="read")
    assert post(client, f"{BASE}/{pilot.pk}/sheet/publish", {}, read_only).status_code == 403
    assert TransferabilitySheet.objects.count() == 0


def test_the_lists_cost_the_same_queries_whatever_their_size(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(index):
        pilot = make_pilot(world, title=f"Pilote {index}", visibility="public")
        iterate(world, pilot, "adjust")
        sheet_save(actor=world.people["editor"], pilot=pilot, **SECTIONS)
        sheet_publish(actor=world.people["editor"], pilot=pilot)

    add(0)
    one = (count(f"{BASE}/"), count("/api/v1/transferability-sheets/"))
    for index in range(1, 12):
        add(index)
    assert (count(f"{BASE}/"), count("/api/v1/transferability-sheets/")) == one


def test_a_contributor_s_private_pilot_is_answered_as_written_then_belongs_to_the_team(client, world):
    created = post(
        client,
        "/api/v1/territories/ungersheim/pilots/",
        {
            "title": "Pilote confié à l'équipe",
            "hypothesis": "Si…, alors…",
            "scope": "Une rue.",
            "started_on": "2026-01-05",
            "visibility": "private",
        },
        auth(world, "contributor"),
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["status"], body["visibility"]) == (
        "Pilote confié à l'équipe",
        "running",
        "private",
    )
    # Only the team reads a private pilot: its writer, a contributor, no longer does.
    again = client.get(
        f"/api/v1/territories/ungersheim/pilots/{body['id']}", headers=auth(world, "contributor")
    )
    assert again.status_code == 404
    team = client.get(f"/api/v1/territories/ungersheim/pilots/{body['id']}", headers=auth(world, "viewer"))
    assert team.json()["title"] == "Pilote confié à l'équipe"
