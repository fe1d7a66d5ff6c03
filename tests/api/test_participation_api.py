"""Participation spaces, their meetings and decisions in the API: the same rights and rules as the
pages, and the distribution of participation levels."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.governance.test_decisions import decide
from tests.governance.test_spaces import an_actor, make_space
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.governance.decisions import decision_create
from trajectoires.governance.models import Decision, Meeting, ParticipationSpace
from trajectoires.governance.spaces import meeting_record
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def auth(world, role, scope="read_write"):
    _token, raw = api_token_create(user=world.people[role], name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, payload, headers):
    return client.post(url, payload, content_type="application/json", headers=headers)


def put(client, url, payload, headers):
    return client.put(url, payload, content_type="application/json", headers=headers)


def test_a_space_is_created_read_replaced_and_deleted(client, world):
    maire = an_actor(world, "Maire", "elu")
    secret = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    payload = {
        "name": "Conseil des mobilités",
        "kind": "council",
        "purpose": "Le plan vélo.",
        "members": [maire.pk, secret.pk],
        "visibility": "public",
    }
    response = post(client, f"{BASE}/spaces/", payload, auth(world, "editor"))
    assert response.status_code == 201
    space = ParticipationSpace.objects.get()
    assert response.json() == {
        "id": space.pk,
        "territory": "ungersheim",
        "name": "Conseil des mobilités",
        "kind": "council",
        "purpose": "Le plan vélo.",
        "members": [
            {"id": maire.pk, "name": "Maire", "category": "elu"},
            {"id": secret.pk, "name": "Cabinet du préfet", "category": "etat_territorial"},
        ],
        "meetings": [],
        "visibility": "public",
    }
    # Anyone reads a public space; a member they may not read keeps its category, not its name.
    anonymous = client.__class__()
    assert anonymous.get(f"{BASE}/spaces/{space.pk}").json()["members"] == [
        {"id": maire.pk, "name": "Maire", "category": "elu"},
        {"id": secret.pk, "name": None, "category": "etat_territorial"},
    ]
    assert [row["name"] for row in anonymous.get(f"{BASE}/spaces/").json()["results"]] == [
        "Conseil des mobilités"
    ]
    assert anonymous.get(f"{BASE}/spaces/", {"kind": "workshop"}).json()["results"] == []
    refused = put(client, f"{BASE}/spaces/{space.pk}", payload, auth(world, "viewer"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    changed = put(
        client, f"{BASE}/spaces/{space.pk}", payload | {"members": [maire.pk]}, auth(world, "admin")
    )
    assert [member["id"] for member in changed.json()["members"]] == [maire.pk]
    assert AuditEntry.objects.get(action="space.update").changes == {
        "members": [sorted([maire.pk, secret.pk]), [maire.pk]]
    }
    deleted = client.delete(f"{BASE}/spaces/{space.pk}", headers=auth(world, "editor"))
    assert deleted.status_code == 204 and ParticipationSpace.objects.count() == 0


def test_space_bad_input_names_the_fields(client, world):
    elsewhere = an_actor(world, "Port de Dunkerque", territory=world.elsewhere)
    editor = auth(world, "editor")
    response = post(client, f"{BASE}/spaces/", {"name": "Conseil", "kind": "senate"}, editor)
    assert (response.status_code, list(response.json()["error"]["fields"])) == (422, ["kind"])
    response = post(
        client, f"{BASE}/spaces/", {"name": "", "kind": "council", "members": [elsewhere.pk]}, editor
    )
    assert response.json()["error"]["fields"] == {
        "name": ["Ce champ est obligatoire."],
        "members": [f"Sélectionnez un choix valide. {elsewhere.pk} n’en fait pas partie."],
    }
    assert ParticipationSpace.objects.count() == 0


def test_meetings_are_recorded_among_the_members_and_read_as_their_space(client, world):
    maire, voisin = an_actor(world, "Maire", "elu"), an_actor(world, "Comité de quartier")
    space = make_space(world, members=[maire], visibility="partners")
    url = f"{BASE}/spaces/{space.pk}/meetings"
    payload = {"held_on": TODAY.isoformat(), "agenda": "Budget", "attendees": [maire.pk, voisin.pk]}
    refused = post(client, url, payload, auth(world, "editor"))
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "attendees": ["« Comité de quartier » n’est pas membre de cet espace."]
    }
    assert Meeting.objects.count() == 0
    assert post(client, url, payload | {"attendees": [maire.pk]}, auth(world, "viewer")).status_code == 404
    created = post(
        client, url, payload | {"attendees": [maire.pk], "minutes": "Adopté."}, auth(world, "editor")
    )
    assert created.status_code == 201
    meeting = Meeting.objects.get()
    expected = {
        "id": meeting.pk,
        "space": space.pk,
        "held_on": TODAY.isoformat(),
        "agenda": "Budget",
        "minutes": "Adopté.",
        "attendees": [{"id": maire.pk, "name": "Maire", "category": "elu"}],
    }
    assert created.json() == expected
    assert client.get(f"{url}/{meeting.pk}", headers=auth(world, "contributor")).json() == expected
    assert client.__class__().get(f"{url}/{meeting.pk}").status_code == 404
    other = make_space(world, name="Autre")
    assert client.get(f"{BASE}/spaces/{other.pk}/meetings/{meeting.pk}").status_code == 404
    assert client.get(f"{BASE}/spaces/{space.pk}", headers=auth(world, "viewer")).json()["meetings"] == [
        {"id": meeting.pk, "held_on": TODAY.isoformat(), "attendee_count": 1}
    ]


def test_a_decision_is_recorded_read_filtered_replaced_and_deleted(client, world):
    space = make_space(world, name="Conseil des mobilités")
    payload = {
        "title": "Plan vélo",
        "decided_on": "2026-01-15",
        "participation_level": "co_construct",
        "space": space.pk,
        "co_construction_started_on": "2025-03-10",
        "visibility": "public",
    }
    response = post(client, f"{BASE}/decisions/", payload, auth(world, "contributor"))
    assert response.status_code == 201
    decision = Decision.objects.get()
    expected = {
        "id": decision.pk,
        "territory": "ungersheim",
        "title": "Plan vélo",
        "description": "",
        "decided_on": "2026-01-15",
        "participation_level": {"code": "co_construct", "label": "Co-construire", "rank": 4},
        "space": {"id": space.pk, "name": "Conseil des mobilités"},
        "co_construction_started_on": "2025-03-10",
        "visibility": "public",
    }
    assert response.json() == expected
    anonymous = client.__class__()
    assert anonymous.get(f"{BASE}/decisions/{decision.pk}").json() == expected
    decide(world, "Voirie", "inform", decided_on=datetime.date(2024, 3, 1))
    listed = anonymous.get(f"{BASE}/decisions/", {"level": "inform"}).json()["results"]
    assert [row["title"] for row in listed] == ["Voirie"]
    assert [
        row["title"] for row in anonymous.get(f"{BASE}/decisions/", {"year": 2026}).json()["results"]
    ] == ["Plan vélo"]
    assert [
        row["title"] for row in anonymous.get(f"{BASE}/decisions/", {"space": space.pk}).json()["results"]
    ] == ["Plan vélo"]
    changed = put(
        client,
        f"{BASE}/decisions/{decision.pk}",
        payload | {"participation_level": "co_decide"},
        auth(world, "contributor"),
    )
    assert changed.json()["participation_level"]["code"] == "co_decide"
    assert AuditEntry.objects.get(action="decision.update").changes == {
        "participation_level": ["co_construct", "co_decide"]
    }
    assert client.delete(f"{BASE}/decisions/{decision.pk}", headers=auth(world, "viewer")).status_code == 404
    assert (
        client.delete(f"{BASE}/decisions/{decision.pk}", headers=auth(world, "contributor")).status_code
        == 204
    )
    assert Decision.objects.filter(pk=decision.pk).count() == 0


def test_a_version_1_level_is_counted_filtered_and_kept_by_an_unchanged_replace(client, world):
    """Version 2 of the référentiel is the current one: a decision at a level of version 1 is
    counted and filtered by its code, and keeps its row while its level is unchanged (0009)."""
    first = ReferentialVersion.objects.get(number=1)
    decision = decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Budget participatif",
        decided_on=datetime.date(2026, 1, 15),
        participation_level=referential_item("participation_level", "consult", version=first),
        visibility="public",
    )
    decide(world, "Plan vélo", "consult", decided_on=datetime.date(2026, 2, 1))
    listed = client.get(f"{BASE}/decisions/", {"level": "consult"}).json()["results"]
    assert [row["title"] for row in listed] == ["Plan vélo", "Budget participatif"]
    assert client.get(f"{BASE}/decisions/levels").json()["overall"]["counts"]["consult"] == 2
    payload = {
        "title": "Budget participatif 2026",
        "decided_on": "2026-01-15",
        "participation_level": "consult",
        "visibility": "public",
    }
    url, headers = f"{BASE}/decisions/{decision.pk}", auth(world, "editor")
    response = put(client, url, payload, headers)
    assert response.json()["participation_level"] == {"code": "consult", "label": "Consulter", "rank": 2}
    decision.refresh_from_db()
    assert (decision.title, decision.participation_level.version.number) == ("Budget participatif 2026", 1)
    response = put(client, url, payload | {"participation_level": "concert"}, headers)
    assert response.json()["participation_level"]["code"] == "concert"
    decision.refresh_from_db()
    assert decision.participation_level.version.number == 2


def test_decision_bad_input_names_the_fields_and_writes_nothing(client, world):
    response = post(
        client,
        f"{BASE}/decisions/",
        {
            "title": "Plan vélo",
            "decided_on": "2026-01-15",
            "participation_level": "inform",
            "co_construction_started_on": "2026-02-01",
        },
        auth(world, "editor"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "co_construction_started_on": [
            "La co-construction commence avant la décision : le 15 janvier 2026 au plus tard.",
            "Une décision au niveau « Informer » n’a pas été co-construite : laissez cette date vide.",
        ]
    }
    response = post(
        client,
        f"{BASE}/decisions/",
        {"title": "X", "decided_on": "demain", "participation_level": "vote"},
        auth(world, "editor"),
    )
    assert set(response.json()["error"]["fields"]) == {"decided_on", "participation_level"}
    assert Decision.objects.count() == 0


def test_the_levels_distribution(client, world):
    decide(world, "Voirie", "inform", decided_on=datetime.date(2024, 3, 1))
    decide(world, "Plan vélo", "co_construct", decided_on=datetime.date(2026, 1, 15))
    decide(world, "Note", "consult", visibility="private", decided_on=datetime.date(2026, 2, 1))
    levels = ["inform", "consult", "concert", "co_construct", "co_decide"]
    zero = dict.fromkeys(levels, 0)
    assert client.get(f"{BASE}/decisions/levels").json() == {
        "levels": levels,
        "years": [
            {
                "year": 2024,
                "counts": zero | {"inform": 1},
                "total": 1,
                "top_down_share": 1.0,
                "shared_share": 0.0,
            },
            {"year": 2025, "counts": zero, "total": 0, "top_down_share": None, "shared_share": None},
            {
                "year": 2026,
                "counts": zero | {"co_construct": 1},
                "total": 1,
                "top_down_share": 0.0,
                "shared_share": 1.0,
            },
        ],
        "overall": {
            "year": 0,
            "counts": zero | {"inform": 1, "co_construct": 1},
            "total": 2,
            "top_down_share": 0.5,
            "shared_share": 0.5,
        },
    }
    team = client.get(f"{BASE}/decisions/levels", headers=auth(world, "viewer")).json()
    assert team["overall"]["total"] == 3 and team["overall"]["counts"]["consult"] == 1


def test_the_lists_cost_the_same_queries_whatever_their_size(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    maire = an_actor(world, "Maire", "elu")
    space = make_space(world, members=[maire])
    meeting_record(actor=world.people["admin"], space=space, held_on=TODAY, agenda="A", attendees=[maire])
    decide(world, "D", space=space)
    urls = [f"{BASE}/spaces/", f"{BASE}/decisions/", f"{BASE}/decisions/levels"]
    before = [count(url) for url in urls]
    for index in range(12):
        actor = an_actor(world, f"Association {index}")
        other = make_space(world, name=f"Atelier {index}", members=[maire, actor])
        meeting_record(actor=world.people["admin"], space=other, held_on=TODAY, agenda="A", attendees=[actor])
        decide(world, f"D{index}", space=other, decided_on=datetime.date(2020 + index % 6, 1, 1))
    assert [count(url) for url in urls] == before
