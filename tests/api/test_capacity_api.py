"""The team's capacity in the API: trainings, the team's organisation and the coverage of
change-management training, with the same rights and rules as the team page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.governance.test_capacity import a_training, an_actor, known_team
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.governance.models import TeamStructure, Training
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim"


@pytest.fixture
def world():
    return build_world()


def auth(world, role, scope="read_write"):
    _token, raw = api_token_create(user=world.people[role], name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, payload, headers):
    return getattr(client, method)(url, payload, content_type="application/json", headers=headers)


def test_a_training_is_added_read_replaced_and_deleted(client, world):
    elu = an_actor(world, "Élue A")
    agent = an_actor(world, "Agent D", code="agent", visibility="private")
    payload = {
        "title": "Conduire le changement",
        "held_on": "2026-03-12",
        "hours": 7.5,
        "organisation": "CNFPT",
        "change_management": True,
        "participants": [elu.pk, agent.pk],
        "visibility": "public",
    }
    editor = auth(world, "editor")
    response = send(client, "post", f"{BASE}/trainings/", payload, editor)
    assert response.status_code == 201
    training = Training.objects.get()
    expected = {
        "id": training.pk,
        "territory": "ungersheim",
        "title": "Conduire le changement",
        "held_on": "2026-03-12",
        "hours": 7.5,
        "organisation": "CNFPT",
        "is_training_action": False,
        "change_management": True,
        "participants": [
            {"id": agent.pk, "name": "Agent D", "category": "agent"},
            {"id": elu.pk, "name": "Élue A", "category": "elu"},
        ],
        "visibility": "public",
    }
    assert response.json() == expected
    # A visitor reads the training, without the private participant.
    anonymous = client.__class__()
    assert anonymous.get(f"{BASE}/trainings/{training.pk}").json() == expected | {
        "participants": [{"id": elu.pk, "name": "Élue A", "category": "elu"}]
    }
    listed = anonymous.get(f"{BASE}/trainings/").json()
    assert (listed["count"], [row["title"] for row in listed["results"]]) == (1, ["Conduire le changement"])

    changed = send(
        client,
        "put",
        f"{BASE}/trainings/{training.pk}",
        payload | {"hours": 8, "is_training_action": True, "participants": [elu.pk]},
        editor,
    )
    assert changed.status_code == 200
    assert (changed.json()["hours"], changed.json()["is_training_action"]) == (8.0, True)
    assert AuditEntry.objects.get(action="training.update").changes == {
        "hours": ["7.5", "8.0"],
        "is_training_action": [False, True],
        "participants": [sorted([elu.pk, agent.pk]), [elu.pk]],
    }
    assert client.delete(f"{BASE}/trainings/{training.pk}", headers=editor).status_code == 204
    assert Training.objects.count() == 0
    assert AuditEntry.objects.filter(action="training.delete").count() == 1


def test_bad_trainings_are_refused_naming_each_field(client, world):
    stranger = an_actor(world, "Élue d’ailleurs", territory=world.elsewhere)
    base = {"title": "Formation", "held_on": "2026-03-12", "hours": 7, "visibility": "public"}
    editor = auth(world, "editor")
    cases = [
        ({"hours": 0}, {"hours": ["Une formation dure plus de 0 heure."]}),
        (
            {"hours": 250},
            {
                "hours": [
                    "Une formation dure au plus 200 heures : enregistrez un parcours plus long "
                    "séance par séance."
                ]
            },
        ),
        ({"held_on": "2099-01-01"}, "held_on"),
        (
            {"participants": [stranger.pk]},
            {"participants": [f"Sélectionnez un choix valide. {stranger.pk} n’en fait pas partie."]},
        ),
        ({"title": ""}, {"title": ["Ce champ est obligatoire."]}),
        ({"colour": "bleu"}, {"colour": ["Ce champ n'est pas accepté ici."]}),
    ]
    for values, fields in cases:
        response = send(client, "post", f"{BASE}/trainings/", base | values, editor)
        assert response.status_code == 422, values
        body = response.json()["error"]["fields"]
        if isinstance(fields, str):
            assert list(body) == [fields]
        else:
            assert body == fields
    assert Training.objects.count() == 0


def test_writes_of_people_without_the_right_answer_404(client, world):
    training = a_training(world, visibility="public")
    payload = {"title": "X", "held_on": "2026-03-12", "hours": 7}
    viewer = auth(world, "viewer")
    assert send(client, "post", f"{BASE}/trainings/", payload, viewer).status_code == 404
    assert send(client, "put", f"{BASE}/trainings/{training.pk}", payload, viewer).status_code == 404
    assert client.delete(f"{BASE}/trainings/{training.pk}", headers=viewer).status_code == 404
    contributor = auth(world, "contributor")
    assert send(client, "put", f"{BASE}/trainings/{training.pk}", payload, contributor).status_code == 404
    assert send(client, "put", f"{BASE}/team-structure", {"pole_name": "P"}, contributor).status_code == 404
    assert client.post(f"{BASE}/trainings/", payload, content_type="application/json").status_code == 401
    assert Training.objects.get().title == "Conduire le changement"
    assert TeamStructure.objects.count() == 0


def test_the_team_structure_is_written_and_read(client, world):
    dgs = an_actor(world, "Claire Martin", code="agent")
    member = an_actor(world, "Chercheuse H", code="chercheur", visibility="private")
    mayor = an_actor(world, "Maire", code="elu")
    assert client.get(f"{BASE}/team-structure").status_code == 404
    admin = auth(world, "admin")
    payload = {
        "dgs": dgs.pk,
        "dgs_role": "Stratège.",
        "pole_name": "Pôle transition",
        "pole_missions": "Relier les services.",
        "pole_services": ["Urbanisme", " ", "Eau"],
        "pole_members": [member.pk],
        "visibility": "public",
    }
    response = send(client, "put", f"{BASE}/team-structure", payload, admin)
    assert response.status_code == 200
    expected = {
        "territory": "ungersheim",
        "dgs": {"id": dgs.pk, "name": "Claire Martin", "category": "agent"},
        "dgs_role": "Stratège.",
        "pole_name": "Pôle transition",
        "pole_missions": "Relier les services.",
        "pole_services": ["Urbanisme", "Eau"],
        "pole_members": [{"id": member.pk, "name": "Chercheuse H", "category": "chercheur"}],
        "visibility": "public",
    }
    assert response.json() == expected
    assert client.__class__().get(f"{BASE}/team-structure").json() == expected | {"pole_members": []}
    refused = send(client, "put", f"{BASE}/team-structure", payload | {"dgs": mayor.pk}, admin)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "dgs": ["Le ou la DGS est une personne de la catégorie « Agent de la collectivité »."]
    }
    assert TeamStructure.objects.get().dgs == dgs
    assert AuditEntry.objects.filter(action__startswith="team_structure").count() == 1


def test_actors_of_version_1_categories_are_judged_and_counted_by_code(client, world):
    """Version 2 of the référentiel is the current one: a person of the agents' category of
    version 1 may be the DGS, an élu of version 1 may not, and both count in the coverage (0009)."""
    first = ReferentialVersion.objects.get(number=1)

    def old_actor(name, code):
        return actor_create(
            actor=world.people["admin"],
            territory=world.territory,
            kind="person",
            name=name,
            category=referential_item("actor_category", code, version=first),
            visibility="public",
        )

    agent, mayor = old_actor("Claire Martin", "agent"), old_actor("Maire", "elu")
    an_actor(world, "Élue A")
    admin = auth(world, "admin")
    refused = send(client, "put", f"{BASE}/team-structure", {"dgs": mayor.pk, "visibility": "public"}, admin)
    assert (refused.status_code, refused.json()["error"]["fields"]) == (
        422,
        {"dgs": ["Le ou la DGS est une personne de la catégorie « Agent de la collectivité »."]},
    )
    response = send(client, "put", f"{BASE}/team-structure", {"dgs": agent.pk, "visibility": "public"}, admin)
    assert response.json()["dgs"] == {"id": agent.pk, "name": "Claire Martin", "category": "agent"}
    a_training(world, change_management=True, participants=[mayor], visibility="public")
    coverage = client.get(f"{BASE}/training-coverage").json()["coverage"]
    assert [(row["category"], row["people"], row["trained"]) for row in coverage] == [
        ("elu", 2, 1),
        ("agent", 1, 0),
    ]


def test_the_coverage_is_read_as_the_caller_may_read_it(client, world):
    known_team(world)
    team = client.get(f"{BASE}/training-coverage", headers=auth(world, "viewer", scope="read")).json()
    assert team == {
        "territory": "ungersheim",
        "trainings": 3,
        "hours": 24.5,
        "training_actions": 1,
        "change_management": 2,
        "coverage": [
            {"category": "elu", "label": "Élu", "people": 4, "trained": 3, "untrained": 1, "share": 0.75},
            {
                "category": "agent",
                "label": "Agent de la collectivité",
                "people": 5,
                "trained": 2,
                "untrained": 3,
                "share": 0.4,
            },
        ],
        "fantastiques": [
            {
                "category": "elu",
                "label": "Élu",
                "actors": 5,
                "participants": 4,
                "trainings": 3,
                "person_hours": 45.5,
            },
            {
                "category": "agent",
                "label": "Agent de la collectivité",
                "actors": 5,
                "participants": 3,
                "trainings": 3,
                "person_hours": 24.5,
            },
            {
                "category": "etat_territorial",
                "label": "État territorial",
                "actors": 0,
                "participants": 0,
                "trainings": 0,
                "person_hours": 0.0,
            },
            {
                "category": "socio_economique",
                "label": "Acteur socio-économique",
                "actors": 1,
                "participants": 1,
                "trainings": 1,
                "person_hours": 7.0,
            },
        ],
    }
    visitor = client.__class__().get(f"{BASE}/training-coverage").json()
    assert (visitor["trainings"], visitor["hours"]) == (2, 10.5)
    assert [(row["people"], row["trained"]) for row in visitor["coverage"]] == [(3, 1), (5, 1)]


def test_the_training_list_costs_the_same_queries_whatever_its_size(client, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}/trainings/").status_code == 200
        return len(queries)

    elu = an_actor(world, "Élue A")
    a_training(world, participants=[elu], visibility="public")
    one = count()
    people = [an_actor(world, f"Agent {n}", code="agent") for n in range(10)]
    for n in range(15):
        a_training(
            world,
            f"Formation {n}",
            held_on=datetime.date(2026, 1, 1),
            hours=Decimal(2),
            participants=people,
            visibility="public",
        )
    assert count() == one
