"""The trajectory in the API: actions with the pages' rights and checks, the gaps and the work
across silos, the territory's services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.planning.test_trajectory import known_trajectory
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.planning.actions import action_create
from trajectoires.planning.models import Action, Service
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim"


@pytest.fixture
def world():
    return build_world()


def auth(world, role):
    _token, raw = api_token_create(user=world.people[role], name="script", scope="read_write")
    return {"Authorization": f"Bearer {raw}"}


def payload(**values):
    return {
        "title": "Cantine bio",
        "description": "Approvisionner la cantine.",
        "owner_service": " restauration  scolaire",
        "services": ["Régie agricole", "RESTAURATION SCOLAIRE"],
        "status": "in_progress",
        "starts_on": "2026-01-05",
        "ends_on": "2027-06-30",
        "budget": 45000.1,
        "orientations": [],
        "key_actions": ["K8", "K3"],
        "visibility": "public",
    } | values


def test_actions_are_written_read_and_deleted_with_the_pages_rights(client, world):
    (nourish, _move, _dwell), _ = known_trajectory(world)
    response = client.post(
        f"{BASE}/actions/",
        payload(orientations=[nourish.pk]),
        content_type="application/json",
        headers=auth(world, "contributor"),
    )
    assert response.status_code == 201
    action = Action.objects.get(title="Cantine bio", author=world.people["contributor"])
    restoration = Service.objects.get(name="Restauration scolaire")  # matched, not created again
    regie = Service.objects.get(name="Régie agricole")
    expected = {
        "id": action.pk,
        "territory": "ungersheim",
        "title": "Cantine bio",
        "description": "Approvisionner la cantine.",
        "owner_service": {"id": restoration.pk, "name": "Restauration scolaire"},
        "services": [{"id": regie.pk, "name": "Régie agricole"}],
        "status": "in_progress",
        "starts_on": "2026-01-05",
        "ends_on": "2027-06-30",
        "budget": 45000.1,
        "orientations": [{"id": nourish.pk, "title": "Se nourrir ici"}],
        "key_actions": ["K3", "K8"],
        "visibility": "public",
    }
    assert response.json() == expected
    anonymous = client.__class__()
    assert anonymous.get(f"{BASE}/actions/{action.pk}").json() == expected
    assert AuditEntry.objects.get(action="action.create", object_id=str(action.pk)).actor_label == str(
        world.people["contributor"].pk
    )

    # A viewer may not change it, and learns nothing more than about a missing one.
    refused = client.put(
        f"{BASE}/actions/{action.pk}",
        payload(),
        content_type="application/json",
        headers=auth(world, "viewer"),
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    changed = client.put(
        f"{BASE}/actions/{action.pk}",
        payload(title="Cantine bio et locale", services=[], budget=None, key_actions=[]),
        content_type="application/json",
        headers=auth(world, "admin"),
    )
    assert changed.json() == expected | {
        "title": "Cantine bio et locale",
        "services": [],
        "budget": None,
        "orientations": [],
        "key_actions": [],
    }
    assert AuditEntry.objects.get(action="action.update").changes == {
        "title": ["Cantine bio", "Cantine bio et locale"],
        "services": [["Régie agricole"], []],
        "budget": ["45000.10", None],
        "orientations": [[nourish.pk], []],
        "key_actions": [["K3", "K8"], []],
    }
    deleted = client.delete(f"{BASE}/actions/{action.pk}", headers=auth(world, "editor"))
    assert deleted.status_code == 204 and not Action.objects.filter(pk=action.pk).exists()


def test_a_contributor_s_private_action_is_answered_as_written(client, world):
    response = client.post(
        f"{BASE}/actions/", payload(visibility="private"), content_type="application/json",
        headers=auth(world, "contributor"),
    )  # fmt: skip
    assert (response.status_code, response.json()["title"], response.json()["visibility"]) == (
        201,
        "Cantine bio",
        "private",
    )
    pk = response.json()["id"]
    assert client.get(f"{BASE}/actions/{pk}", headers=auth(world, "contributor")).status_code == 404


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    other = orientation_elsewhere(world)
    cases = [
        (payload(title=""), {"title": ["Ce champ est obligatoire."]}),
        (payload(ends_on="2025-12-31"), {"ends_on": ["La fin ne peut pas précéder le début."]}),
        (payload(budget=-1), {"budget": ["Le budget ne peut pas être négatif."]}),
        (payload(budget=2e9), {"budget": ["Le budget ne peut pas dépasser 1 000 000 000 €."]}),
        (
            payload(owner_service="x" * 121),
            {"owner_service": [f"« {'x' * 40}… » est trop long : un nom de service compte au plus "
                               "120 caractères."]},
        ),
        (
            payload(orientations=[other.pk]),
            {"orientations": [f"Sélectionnez un choix valide. {other.pk} n’en fait pas partie."]},
        ),
        (payload(key_actions=["K99"]), {"key_actions": ["Actions clés inconnues : K99."]}),
        (payload(starts_on="demain"), {"starts_on": ["Saisissez une date valide."]}),
        (
            payload(budget=0.001),
            {"budget": ["Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."]},
        ),
    ]  # fmt: skip
    for sent, fields in cases:
        response = client.post(
            f"{BASE}/actions/", sent, content_type="application/json", headers=auth(world, "editor")
        )
        assert (response.status_code, response.json()["error"]["fields"]) == (422, fields)
    assert (Action.objects.filter(territory=world.territory).count(), Service.objects.count()) == (0, 0)


def orientation_elsewhere(world):
    water = referential_item("essential_need", "water")
    vision = vision_save(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        expected_version=0,
        horizon_year=2040,
        statement="Ailleurs.",
        orientations=[OrientationInput("Autre", [water])],
        reason="x",
        visibility="public",
    )
    return vision.orientations.get()


def test_the_list_filters_and_the_services_follow_visibility(client, world):
    known_trajectory(world)
    voirie = Service.objects.get(name="Voirie")

    def titles(headers=None, **query):
        return [
            row["title"] for row in client.get(f"{BASE}/actions/", query, headers=headers).json()["results"]
        ]

    assert titles() == ["Cantine bio", "Fête des récoltes", "Pistes cyclables"]
    assert titles(auth(world, "viewer")) == [
        "Cantine bio",
        "Fête des récoltes",
        "Note interne",
        "Pistes cyclables",
    ]
    assert titles(auth(world, "viewer"), service=voirie.pk) == ["Note interne", "Pistes cyclables"]
    assert titles(status="completed") == ["Fête des récoltes"]
    assert titles(key_action="K8") == ["Cantine bio"]
    unknown = client.get(f"{BASE}/actions/", {"key_action": "K99"})
    assert unknown.json()["error"]["fields"] == {"key_action": ["Actions clés inconnues : K99."]}
    # A visitor sees the services of the actions they read; those who add actions see them all.
    services = Service.objects.filter(territory=world.territory)
    assert [row["name"] for row in client.get(f"{BASE}/services").json()] == sorted(
        ["Mobilités", "Régie agricole", "Restauration scolaire", "Urbanisme", "Voirie"]
    )
    action_create(
        actor=world.people["admin"], territory=world.territory, title="Secret", owner_service="Cabinet"
    )
    assert "Cabinet" not in [row["name"] for row in client.get(f"{BASE}/services").json()]
    team = client.get(f"{BASE}/services", headers=auth(world, "contributor")).json()
    assert team == [{"id": s.pk, "name": s.name} for s in services.order_by("name", "id")]
    assert "Cabinet" in [row["name"] for row in team]


def test_version_1_key_actions_are_found_by_code_and_kept_by_an_unchanged_replace(client, world):
    """Version 2 of the référentiel is the current one: the filter by code finds an action tagged
    with rows of version 1, and a replace keeps them while their codes are kept (decision 0009)."""
    (nourish, _move, _dwell), _ = known_trajectory(world)
    first = ReferentialVersion.objects.get(number=1)
    action = action_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Marché paysan",
        orientations=[nourish],
        key_actions=[referential_item("key_action", code, version=first) for code in ("K5", "K8")],
        visibility="public",
    )

    def titles(**query):
        return [row["title"] for row in client.get(f"{BASE}/actions/", query).json()["results"]]

    assert titles(key_action="K8") == ["Cantine bio", "Marché paysan"]
    assert titles(key_action="K5") == ["Marché paysan"]
    trajectory = client.get(f"{BASE}/trajectory", {"key_action": "K5"}).json()
    assert (trajectory["actions"], trajectory["orientations"][0]["actions"]) == (
        1,
        [{"id": action.pk, "title": "Marché paysan"}],
    )
    url, headers = f"{BASE}/actions/{action.pk}", auth(world, "editor")
    sent = payload(title="Marché paysan", orientations=[nourish.pk], key_actions=["K8", "K5"])
    response = client.put(url, sent, content_type="application/json", headers=headers)
    assert (response.status_code, response.json()["key_actions"]) == (200, ["K5", "K8"])
    assert sorted(action.key_actions.values_list("code", "version__number")) == [("K5", 1), ("K8", 1)]
    response = client.put(
        url, sent | {"key_actions": ["K8", "K10"]}, content_type="application/json", headers=headers
    )
    assert (response.status_code, response.json()["key_actions"]) == (200, ["K8", "K10"])
    assert sorted(action.key_actions.values_list("code", "version__number")) == [("K10", 2), ("K8", 1)]
    assert AuditEntry.objects.filter(action="action.update").order_by("pk").last().changes == {
        "key_actions": [["K5", "K8"], ["K10", "K8"]]
    }


def test_the_trajectory_gives_the_gaps_and_the_silo_figures(client, world):
    (nourish, move, dwell), actions = known_trajectory(world)
    ids = {key: action.pk for key, action in actions.items()}
    service = {s.name: s.pk for s in Service.objects.all()}
    body = client.get(f"{BASE}/trajectory").json()

    def ref(key, title):
        return {"id": ids[key], "title": title}

    def row(name, counts, total):
        by_orientation = [
            {"orientation": o.pk, "actions": n} for o, n in zip((nourish, move, dwell), counts, strict=True)
        ]
        return {
            "service": {"id": service[name], "name": name},
            "by_orientation": by_orientation,
            "actions": total,
        }

    assert body == {
        "actions": 3,
        "orientations": [
            {"id": nourish.pk, "title": "Se nourrir ici",
             "actions": [ref("canteen", "Cantine bio"), ref("bikes", "Pistes cyclables")]},
            {"id": move.pk, "title": "Bouger", "actions": [ref("bikes", "Pistes cyclables")]},
            {"id": dwell.pk, "title": "Habiter", "actions": []},
        ],
        "orientations_without_action": [{"id": dwell.pk, "title": "Habiter"}],
        "actions_without_orientation": [ref("party", "Fête des récoltes")],
        "silos": {
            "actions": [
                ref("canteen", "Cantine bio") | {"services": ["Restauration scolaire", "Régie agricole"]},
                ref("party", "Fête des récoltes") | {"services": []},
                ref("bikes", "Pistes cyclables") | {"services": ["Voirie", "Mobilités", "Urbanisme"]},
            ],
            "across_silos": 2,
            "across_silos_share": 2 / 3,
            "table": [
                row("Mobilités", (1, 1, 0), 1),
                row("Régie agricole", (1, 0, 0), 1),
                row("Restauration scolaire", (1, 0, 0), 1),
                row("Urbanisme", (1, 1, 0), 1),
                row("Voirie", (1, 1, 0), 1),
            ],
        },
    }  # fmt: skip
    team = client.get(f"{BASE}/trajectory", {"status": "planned"}, headers=auth(world, "editor")).json()
    assert (team["actions"], team["silos"]["across_silos"], team["silos"]["across_silos_share"]) == (
        2,
        2,
        1.0,
    )
    assert team["orientations_without_action"] == [{"id": dwell.pk, "title": "Habiter"}]


@pytest.mark.parametrize("url", ["/actions/", "/trajectory", "/services"])
def test_the_answers_cost_the_same_queries_whatever_the_data(client, world, url):
    (nourish, _move, _dwell), _ = known_trajectory(world)
    headers = auth(world, "editor")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}{url}", headers=headers).status_code == 200
        return len(queries)

    before = count()
    for index in range(30):
        action_create(
            actor=world.people["admin"],
            territory=world.territory,
            title=f"Action {index}",
            owner_service=f"Service {index % 5}",
            services=[f"Service {(index + 2) % 5}"],
            orientations=[nourish] if index % 2 else [],
            key_actions=[referential_item("key_action", "K5")],
            budget=Decimal(index),
            visibility="partners",
        )
    assert count() == before
