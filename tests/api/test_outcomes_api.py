"""Outcome harvesting in the API: the same rights and rules as the pages, the list's filters and
counts, substantiations, and who reads what (hidden actors without their name, forbidden exactly
like missing, before any check of the input)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, TODAY, TOMORROW, auth, call, fields
from tests.evaluation.test_outcomes import (
    EARLY_VIEW,
    FOREIGN_ACTIONS,
    FOREIGN_ACTOR,
    FUTURE_OUTCOME,
    OWN_OUTCOME,
    TWICE,
    a_person,
    an_action,
    harvest,
    substantiate,
)
from tests.governance.test_spaces import an_actor
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import Outcome, Substantiation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/outcomes/"
PAYLOAD = {
    "who": "Maraîchers du secteur",
    "change_kind": "practice",
    "description": "Ils livrent la cantine en circuit court.",
    "observed_on": "2025-06-12",
    "place": "Ungersheim",
    "significance": "La moitié des repas est locale.",
    "contribution": "La régie agricole a formé les maraîchers.",
    "intended": False,
    "valence": "positive",
    "visibility": "public",
}


@pytest.fixture
def world():
    return build_world()


def test_an_outcome_is_harvested_read_listed_changed_and_deleted(client, world):
    regie = an_actor(world, "Régie agricole", "socio_economique")
    canteen, market = an_action(world, "Cantine"), an_action(world, "Marché")
    payload = PAYLOAD | {"actor": regie.pk, "actions": [market.pk, canteen.pk]}
    response = call(client, "post", BASE, payload, "contributor", world)
    assert response.status_code == 201, response.content
    outcome = Outcome.objects.get()
    expected = {
        "id": outcome.pk,
        "territory": "ungersheim",
        "who": "Maraîchers du secteur",
        "actor": {"id": regie.pk, "name": "Régie agricole", "category": "socio_economique"},
        "change_kind": "practice",
        "description": "Ils livrent la cantine en circuit court.",
        "observed_on": "2025-06-12",
        "place": "Ungersheim",
        "significance": "La moitié des repas est locale.",
        "contribution": "La régie agricole a formé les maraîchers.",
        "intended": False,
        "valence": "positive",
        "visibility": "public",
        "substantiation_count": 0,
        "agreeing_count": 0,
        "actions": [canteen.pk, market.pk],  # by title
        "substantiations": [],
    }
    assert response.json() == expected
    assert (outcome.author, AuditEntry.objects.filter(action="outcome.create").count()) == (
        world.people["contributor"],
        1,
    )
    anonymous = Client()
    assert anonymous.get(f"{BASE}{outcome.pk}").json() == expected
    listed = anonymous.get(BASE).json()
    summary = {key: value for key, value in expected.items() if key not in {"actions", "substantiations"}}
    assert (listed["count"], listed["results"]) == (1, [summary])

    url = f"{BASE}{outcome.pk}"
    assert call(client, "patch", url, {"who": "X"}, "viewer", world).json() == NOT_FOUND
    changed = call(
        client, "patch", url, {"who": "Maraîchers bio", "actor": None, "actions": []}, "contributor", world
    )
    assert changed.status_code == 200
    assert (changed.json()["who"], changed.json()["actor"], changed.json()["actions"]) == (
        "Maraîchers bio",
        None,
        [],
    )
    assert AuditEntry.objects.get(action="outcome.update").changes == {
        "actions": [sorted([canteen.pk, market.pk]), []],
        "actor": [regie.pk, None],
        "who": ["Maraîchers du secteur", "Maraîchers bio"],
    }
    other = harvest(world, "Élus")  # harvested by the admin
    assert call(client, "delete", f"{BASE}{other.pk}", role="contributor", world=world).json() == NOT_FOUND
    assert call(client, "delete", f"{BASE}{other.pk}", role="editor", world=world).status_code == 204
    assert list(Outcome.objects.values_list("who", flat=True)) == ["Maraîchers bio"]
    assert AuditEntry.objects.filter(action="outcome.delete").count() == 1


def test_a_contributor_gets_back_the_private_outcome_they_harvest_then_no_longer_reads_it(client, world):
    response = call(client, "post", BASE, PAYLOAD | {"visibility": "private"}, "contributor", world)
    body = response.json()
    assert response.status_code == 201
    assert (body["who"], body["visibility"], body["substantiations"]) == (
        "Maraîchers du secteur",
        "private",
        [],
    )
    assert call(client, "get", f"{BASE}{body['id']}", role="contributor", world=world).json() == NOT_FOUND


def test_the_list_filters_and_counts(client, world):
    canteen = harvest(world, "Cantine", observed_on=datetime.date(2025, 3, 1))
    for name, agreement in (("Jeanne", "agrees"), ("Paul", "partly"), ("Lina", "agrees")):
        substantiate(world, canteen, a_person(world, name), agreement)
    harvest(world, "Parking", change_kind="policy", valence="negative", intended=False)
    harvest(
        world, "Élus", change_kind="behaviour", visibility="private", observed_on=datetime.date(2025, 1, 1)
    )

    def rows(role="anonymous", **query):
        response = Client().get(BASE, query, headers=auth(world, role))
        return [
            (row["who"], row["substantiation_count"], row["agreeing_count"])
            for row in response.json()["results"]
        ]

    assert rows() == [("Parking", 0, 0), ("Cantine", 3, 2)]
    assert rows("viewer") == [("Parking", 0, 0), ("Cantine", 3, 2), ("Élus", 0, 0)]
    assert rows("viewer", change_kind="behaviour") == [("Élus", 0, 0)]
    assert rows(valence="negative") == [("Parking", 0, 0)]
    assert rows(intended="true") == [("Cantine", 3, 2)]
    assert rows(intended="false", valence="positive") == []
    page = Client().get(BASE, {"page_size": 1, "page": 2}).json()
    assert (page["count"], page["pages"], [row["who"] for row in page["results"]]) == (2, 2, ["Cantine"])
    assert list(fields(Client().get(BASE, {"change_kind": "mood", "valence": "neutral"}))) == [
        "change_kind",
        "valence",
    ]


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    foreign_action = an_action(world, "Plan vélo", territory=world.elsewhere)
    foreign = an_actor(world, "Mairie de Grande-Synthe", territory=world.elsewhere)
    hidden = an_actor(world, "Cabinet du préfet", visibility="private")
    cases = [
        ({"observed_on": TOMORROW.isoformat()}, "editor", {"observed_on": [FUTURE_OUTCOME]}),
        ({"actor": foreign.pk}, "editor", {"actor": [FOREIGN_ACTOR]}),
        ({"actor": hidden.pk}, "contributor", {"actor": [FOREIGN_ACTOR]}),
        ({"actor": 999999}, "editor", {"actor": [FOREIGN_ACTOR]}),
        ({"actions": [foreign_action.pk]}, "editor", {"actions": [FOREIGN_ACTIONS]}),
        ({"actions": [999999]}, "editor", {"actions": [FOREIGN_ACTIONS]}),
        ({"who": " ", "description": " "}, "editor", {
            "who": ["Ce champ ne peut pas être vide."],
            "description": ["Ce champ ne peut pas être vide."],
        }),
    ]  # fmt: skip
    for changes, role, expected in cases:
        assert fields(call(client, "post", BASE, PAYLOAD | changes, role, world)) == expected, changes
    response = call(client, "post", BASE, PAYLOAD | {"valence": "neutral", "author": 1}, "editor", world)
    assert set(fields(response)) == {"valence", "author"}
    assert call(client, "post", BASE, PAYLOAD, "viewer", world).json() == NOT_FOUND
    assert call(
        client, "post", BASE, PAYLOAD | {"observed_on": TOMORROW.isoformat()}, "viewer", world
    ).json() == (NOT_FOUND)  # the right is checked before the rules
    outcome = harvest(world)
    refused = call(client, "patch", f"{BASE}{outcome.pk}", {"actor": foreign.pk}, "editor", world)
    assert fields(refused) == {"actor": [FOREIGN_ACTOR]}
    assert Outcome.objects.get().actor is None
    assert list(AuditEntry.objects.filter(action__startswith="outcome").values_list("action", flat=True)) == [
        "outcome.create"
    ]


def test_substantiations_are_recorded_and_refused_on_their_rules(client, world):
    outcome = harvest(world, author="editor")
    url = f"{BASE}{outcome.pk}/substantiations"
    jeanne = a_person(world, "Jeanne Martin")
    payload = {
        "substantiator": jeanne.pk,
        "agreement": "partly",
        "comment": "Vu au marché.",
        "given_on": TODAY.isoformat(),
    }
    created = call(client, "post", url, payload, "contributor", world)
    assert created.status_code == 201
    view = Substantiation.objects.get()
    assert (view.recorded_by, view.agreement) == (world.people["contributor"], "partly")
    expected = {
        "id": view.pk,
        "substantiator": {"id": jeanne.pk, "name": "Jeanne Martin", "category": "habitant_association"},
        "agreement": "partly",
        "comment": "Vu au marché.",
        "given_on": TODAY.isoformat(),
    }
    assert created.json() == expected
    assert Client().get(f"{BASE}{outcome.pk}").json()["substantiations"] == [expected]
    harvester = a_person(world, "Éditrice", role="editor")
    assert fields(call(client, "post", url, payload, "editor", world)) == {"substantiator": [TWICE]}
    assert fields(call(client, "post", url, payload | {"substantiator": harvester.pk}, "editor", world)) == {
        "substantiator": [OWN_OUTCOME]
    }
    early = payload | {"substantiator": harvester.pk + 1000, "given_on": "2025-01-01"}
    assert fields(call(client, "post", url, early, "editor", world)) == {"substantiator": [FOREIGN_ACTOR]}
    paul = a_person(world, "Paul Muller")
    assert fields(call(client, "post", url, early | {"substantiator": paul.pk}, "editor", world)) == {
        "given_on": [EARLY_VIEW]
    }
    assert (
        call(client, "post", url, payload | {"substantiator": paul.pk}, "viewer", world).json() == NOT_FOUND
    )
    assert Substantiation.objects.count() == 1
    assert AuditEntry.objects.filter(action="substantiation.create").count() == 1


def test_actors_the_caller_may_not_read_keep_their_id_without_their_name(client, world):
    hidden = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    secret = an_action(world, "Plan confidentiel", visibility="private")
    outcome = harvest(world, actor_record=hidden, actions=[secret])
    person = a_person(world, "Préfète", visibility="private")
    substantiate(world, outcome, person, "disagrees")
    public = Client().get(f"{BASE}{outcome.pk}").json()
    assert public["actor"] == {"id": hidden.pk, "name": None, "category": "etat_territorial"}
    assert public["actions"] == []
    assert public["substantiations"][0]["substantiator"] == {
        "id": person.pk,
        "name": None,
        "category": "habitant_association",
    }
    assert (public["substantiation_count"], public["agreeing_count"]) == (1, 0)
    assert Client().get(BASE).json()["results"][0]["actor"]["name"] is None
    team = Client().get(f"{BASE}{outcome.pk}", headers=auth(world, "viewer")).json()
    assert (team["actor"]["name"], team["actions"]) == ("Cabinet du préfet", [secret.pk])
    assert team["substantiations"][0]["substantiator"]["name"] == "Préfète"


def test_a_forbidden_outcome_answers_exactly_like_a_missing_one(client, world):
    outcome = harvest(world, visibility="private")
    person = a_person(world, "Jeanne")
    view = {"substantiator": person.pk, "agreement": "agrees", "comment": "X", "given_on": "2025-07-01"}
    writes = [
        ("patch", "", {"who": "X"}),
        ("patch", "", {"observed_on": "2999-01-01"}),
        ("delete", "", None),
        ("post", "/substantiations", view),
        ("post", "/substantiations", view | {"given_on": "2000-01-01"}),
    ]
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        headers = auth(world, role)
        for pk in (outcome.pk, outcome.pk + 1000):
            read = client.get(f"{BASE}{pk}", headers=headers)
            assert (read.status_code, read.json()) == (404, NOT_FOUND)
            for method, suffix, payload in writes:
                answer = getattr(client, method)(
                    f"{BASE}{pk}{suffix}", payload, content_type="application/json", headers=headers
                )
                if role == "anonymous":  # writes ask to sign in first, whatever the address
                    assert answer.status_code == 401, (method, suffix)
                else:
                    assert (answer.status_code, answer.json()) == (404, NOT_FOUND), (role, method, suffix)
    elsewhere = f"/api/v1/territories/grande-synthe/outcomes/{outcome.pk}"
    assert call(client, "get", elsewhere, world=world).json() == NOT_FOUND
    assert call(client, "patch", elsewhere, {"who": "X"}, world=world).json() == NOT_FOUND
    assert Outcome.objects.get().who == outcome.who
    assert Substantiation.objects.count() == 0


def test_reading_costs_the_same_queries_whatever_the_size(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    outcome = harvest(world, actor_record=an_actor(world, "Régie agricole"), actions=[an_action(world)])
    substantiate(world, outcome, a_person(world, "Jeanne"))
    urls = [BASE, f"{BASE}{outcome.pk}"]
    before = [count(url) for url in urls]
    for index in range(6):
        other = harvest(world, f"Résultat {index}", actor_record=an_actor(world, f"Association {index}"))
        substantiate(world, other, a_person(world, f"Témoin {index}"))
        substantiate(world, outcome, a_person(world, f"Personne {index}"), "partly")
        outcome.actions.add(an_action(world, f"Action {index}"))
    assert [count(url) for url in urls] == before
