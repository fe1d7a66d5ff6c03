"""Survey rounds, ties and networks in the API: the same records, rules and rights as the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cooperation.network_data import actor, survey_round, tie
from tests.trust.world import build_world, client_as
from trajectoires.accounts.services import api_token_create
from trajectoires.cooperation.models import SurveyRound, Tie
from trajectoires.core.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/territories/ungersheim/rounds/"
SELF_TIE = "Un acteur ne peut pas être lié à lui-même : choisissez un autre acteur."
DUPLICATE = "Ces deux acteurs ont déjà un lien de ce type dans cette enquête."


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    world = build_world()
    world.mairie = actor(world.territory, "Mairie", "elu")
    world.ddt = actor(world.territory, "DDT", "etat_territorial")
    world.labo = actor(world.territory, "Laboratoire", "chercheur", visibility="private")
    with django_capture_on_commit_callbacks(execute=True):
        world.round = survey_round(world)
        world.tie = tie(world, world.round, world.mairie, world.ddt, quality=4, openness=3)
        tie(world, world.round, world.labo, world.mairie, tie_type="decision")
    return world


def write_headers(world, role="editor", scope="read_write"):
    _token, raw = api_token_create(user=world.people[role], name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def test_a_round_with_its_stored_metrics(client, world):
    body = client.get(f"{URL}{world.round.pk}").json()
    metrics = body.pop("metrics")
    assert body == {
        "id": world.round.pk,
        "territory": "ungersheim",
        "title": "Enquête 2025",
        "held_on": "2025-03-01",
        "notes": "",
        "visibility": "public",
    }
    assert metrics.pop("computed_at") is not None
    # 3 actors, 2 linked pairs of 3; both ties across categories.
    assert metrics == {
        "status": "ready",
        "actor_count": 3,
        "tie_count": 2,
        "density": 2 / 3,
        "cross_category_share": 1.0,
        "fantastic_four_complete": False,
        "category_matrix": {
            "chercheur": {"chercheur": 0, "elu": 1, "etat_territorial": 0},
            "elu": {"chercheur": 1, "elu": 0, "etat_territorial": 1},
            "etat_territorial": {"chercheur": 0, "elu": 1, "etat_territorial": 0},
        },
        "by_tie_type": {
            "decision": {"tie_count": 1, "density": 1 / 3, "cross_category_share": 1.0},
            "information": {"tie_count": 1, "density": 1 / 3, "cross_category_share": 1.0},
        },
    }


def test_metrics_being_computed_have_no_figures(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        pending = survey_round(world, held_on=datetime.date(2024, 1, 1), title="Enquête 2024")
    metrics = client.get(f"{URL}{pending.pk}").json()["metrics"]
    assert metrics["status"] == "pending"
    assert {value for name, value in metrics.items() if name != "status"} == {None}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", []),
        ("member_elsewhere", []),
        ("contributor", ["partners"]),
        ("viewer", ["partners", "private"]),
    ],
)
def test_the_list_shows_what_the_caller_may_read(client, world, role, expected):
    world.round.visibility = "alliance"
    world.round.save()
    for index, visibility in enumerate(["private", "partners"]):
        survey_round(
            world, held_on=datetime.date(2020 + index, 1, 1), title=visibility, visibility=visibility
        )
    client_as(client, world, role)
    titles = [row["title"] for row in client.get(URL).json()["results"]]
    readable = ["Enquête 2025"] if role != "anonymous" else []
    assert titles == readable + [title for title in ["partners", "private"] if title in expected]


def test_an_editor_creates_updates_and_deletes_a_round(client, world):
    headers = write_headers(world)
    payload = {"title": "Enquête d’automne", "held_on": "2025-09-01", "visibility": "partners"}
    response = client.post(URL, payload, content_type="application/json", headers=headers)
    assert response.status_code == 201
    created = SurveyRound.objects.get(title="Enquête d’automne")
    assert (response.json()["id"], response.json()["metrics"]["status"]) == (created.pk, "pending")
    response = client.put(
        f"{URL}{created.pk}", payload | {"notes": "Relance"}, content_type="application/json", headers=headers
    )
    assert response.json()["notes"] == "Relance"
    assert AuditEntry.objects.get(action="survey_round.update").changes == {"notes": ["", "Relance"]}
    response = client.delete(f"{URL}{created.pk}", headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert not SurveyRound.objects.filter(pk=created.pk).exists()


def test_a_bad_round_names_its_fields(client, world):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        URL,
        {"title": "Demain", "held_on": tomorrow},
        content_type="application/json",
        headers=write_headers(world),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "held_on": [
            "Une enquête enregistre des liens déjà déclarés : sa date ne peut pas être dans le futur."
        ]
    }
    response = client.post(
        URL, {"title": "", "held_on": "hier"}, content_type="application/json", headers=write_headers(world)
    )
    assert response.json()["error"]["fields"] == {
        "title": ["Ce champ est obligatoire."],
        "held_on": ["Saisissez une date valide."],
    }
    assert SurveyRound.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "contributor", "member_elsewhere"])
def test_callers_who_may_not_write_learn_nothing(client, world, role):
    headers = write_headers(world, role)
    payload = {"title": "X", "held_on": "2025-01-01"}
    assert client.post(URL, payload, content_type="application/json", headers=headers).status_code == 404
    assert client.delete(f"{URL}{world.round.pk}", headers=headers).status_code == 404
    tie_url = f"{URL}{world.round.pk}/ties/{world.tie.pk}"
    response = client.delete(tie_url, headers=headers)
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Rien n'a été trouvé à cette adresse."}
    }
    assert (SurveyRound.objects.count(), Tie.objects.count()) == (1, 2)


def test_a_read_token_cannot_write(client, world):
    response = client.delete(f"{URL}{world.round.pk}", headers=write_headers(world, scope="read"))
    assert (response.status_code, response.json()["error"]["code"]) == (403, "read_only_token")


def test_ties_hide_the_names_of_actors_the_caller_may_not_read(client, world):
    results = client.get(f"{URL}{world.round.pk}/ties/").json()["results"]
    assert results[0] == {
        "id": world.tie.pk,
        "source": {"id": world.mairie.pk, "name": "Mairie", "category": "elu", "visible": True},
        "target": {"id": world.ddt.pk, "name": "DDT", "category": "etat_territorial", "visible": True},
        "tie_type": "information",
        "frequency": "monthly",
        "quality": 4,
        "openness": 3,
        "reliability": None,
        "shared_mission": None,
        "influence": None,
        "involvement": None,
        "resources": None,
    }
    assert results[1]["source"] == {
        "id": world.labo.pk,
        "name": None,
        "category": "chercheur",
        "visible": False,
    }
    client_as(client, world, "viewer")
    assert client.get(f"{URL}{world.round.pk}/ties/").json()["results"][1]["source"]["name"] == "Laboratoire"


def test_an_editor_records_a_tie_and_bad_ties_name_their_field(client, world):
    headers = write_headers(world)
    outsider = actor(world.elsewhere, "Mairie de Grande-Synthe", "elu")
    url = f"{URL}{world.round.pk}/ties/"
    good = {
        "source": world.ddt.pk,
        "target": world.labo.pk,
        "tie_type": "resources",
        "frequency": "weekly",
        "quality": 2,
    }
    response = client.post(url, good, content_type="application/json", headers=headers)
    assert response.status_code == 201
    assert (response.json()["target"]["name"], response.json()["resources"]) == ("Laboratoire", None)
    cases = [
        ({"target": world.ddt.pk}, {"target": [SELF_TIE]}),
        ({"target": outsider.pk}, {"target": ["Cet acteur ne fait pas partie des acteurs de Ungersheim."]}),
        ({"source": 999999}, {"source": ["Aucun acteur n’a cet identifiant."]}),
        ({"quality": 5, "influence": 0}, {
            "quality": ["Assurez-vous que cette valeur est inférieure ou égale à 4."],
            "influence": ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
        }),
        ({"source": world.labo.pk, "target": world.ddt.pk, "tie_type": "resources"},
         {"tie_type": [DUPLICATE]}),
        ({"tie_type": "friendship"},
         {"tie_type": ["La valeur «\xa0'friendship'\xa0» n’est pas un choix valide."]}),
    ]  # fmt: skip
    for change, fields in cases:
        payload = good | {"tie_type": "joint_project"} | change
        response = client.post(url, payload, content_type="application/json", headers=headers)
        assert (response.status_code, response.json()["error"]["fields"]) == (422, fields)
    assert Tie.objects.count() == 3
    response = client.delete(f"{url}{world.tie.pk}", headers=headers)
    assert response.status_code == 204
    assert AuditEntry.objects.filter(action="tie.delete").count() == 1


def test_the_network_of_a_round(client, world):
    body = client.get(f"{URL}{world.round.pk}/network").json()
    assert body["round"]["id"] == world.round.pk
    assert (body["tie_type"], body["figures"]) == (
        None,
        {"tie_count": 2, "density": 2 / 3, "cross_category_share": 1.0},
    )
    # The Mairie is tied to both others and lies between them; then by name as shown.
    assert [tuple(node.values()) for node in body["nodes"]] == [
        (world.mairie.pk, "Mairie", "elu", True, 1.0, 1.0),
        (world.labo.pk, None, "chercheur", False, 0.5, 0.0),
        (world.ddt.pk, "DDT", "etat_territorial", True, 0.5, 0.0),
    ]
    assert list(body["nodes"][0]) == ["id", "name", "category", "visible", "degree", "betweenness"]
    assert [edge["id"] for edge in body["edges"]] == [world.tie.pk, world.tie.pk + 1]
    body = client.get(f"{URL}{world.round.pk}/network?type=decision").json()
    assert (body["tie_type"], body["figures"]["tie_count"], len(body["edges"])) == ("decision", 1, 1)
    assert [node["degree"] for node in body["nodes"]] == [0.5, 0.5, 0.0]
    response = client.get(f"{URL}{world.round.pk}/network?type=amitie")
    assert response.status_code == 422


def test_a_private_round_answers_404_to_a_visitor(client, world):
    world.round.visibility = "private"
    world.round.save()
    for address in ("", "/ties/", "/network"):
        response = client.get(f"{URL}{world.round.pk}{address}")
        assert response.status_code == 404


def test_the_network_costs_the_same_queries_as_it_grows(client, world, django_capture_on_commit_callbacks):
    client_as(client, world, "viewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{URL}{world.round.pk}/network").status_code == 200
            assert client.get(f"{URL}{world.round.pk}/ties/").status_code == 200
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    more = [actor(world.territory, f"Acteur {index}", "agent") for index in range(20)]
    with django_capture_on_commit_callbacks(execute=True):
        for index, source in enumerate(more):
            tie(world, world.round, source, more[index - 1])
        for index in range(5):
            survey_round(world, held_on=datetime.date(2015 + index, 1, 1), title=f"Enquête {index}")
    assert count() == few
