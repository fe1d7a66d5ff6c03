"""The actor map in the API: the same actors as the page for the same viewer, contact details for
the team only, writes through the same services and rules."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cooperation.actor_data import make_actor, make_tie
from tests.trust.world import build_world, client_as
from trajectoires.accounts.services import api_token_create
from trajectoires.cooperation.models import Actor
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
URL = "/api/v1/territories/ungersheim/actors/"


@pytest.fixture
def world():
    world = build_world()
    mairie = make_actor(world, "Mairie", kind="organisation", code="agent", visibility="public")
    for visibility in ("private", "partners", "alliance", "public"):
        make_actor(
            world,
            f"Personne {visibility}",
            visibility=visibility,
            organisation=mairie,
            email=f"{visibility}@example.org",
            phone="03 89 00 00 00",
            notes="Note",
        )
    return world


def names(response) -> list[str]:
    return [actor["name"] for actor in response.json()["results"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", ["Mairie", "Personne public"]),
        ("member_elsewhere", ["Mairie", "Personne alliance", "Personne public"]),
        ("partner_funder", ["Mairie", "Personne alliance", "Personne partners", "Personne public"]),
        ("contributor", ["Mairie", "Personne alliance", "Personne partners", "Personne public"]),
        (
            "viewer",
            ["Mairie", "Personne alliance", "Personne partners", "Personne private", "Personne public"],
        ),
    ],
)
def test_the_api_lists_exactly_what_the_page_shows(client, world, role, expected):
    client_as(client, world, role)
    assert names(client.get(URL)) == expected
    page = client.get("/territoires/ungersheim/acteurs/").context["page"]
    assert [actor.name for actor in page.object_list] == expected


@pytest.mark.parametrize(
    ("role", "sees_contacts"),
    [("admin", True), ("editor", True), ("viewer", True), ("contributor", False), ("partner_funder", False),
     ("assembly_delegate", False), ("anonymous", False)],
)  # fmt: skip
def test_contact_details_are_null_for_anyone_outside_the_team(client, world, role, sees_contacts):
    client_as(client, world, role)
    actor = Actor.objects.get(name="Personne public")
    body = client.get(f"/api/v1/territories/ungersheim/actors/{actor.pk}").json()
    contacts = {key: body[key] for key in ("email", "phone", "notes", "platform_account")}
    if sees_contacts:
        assert contacts == {"email": "public@example.org", "phone": "03 89 00 00 00", "notes": "Note",
                            "platform_account": ""}  # fmt: skip
    else:
        assert contacts == dict.fromkeys(contacts)
    assert (body["name"], body["kind"], body["category"], body["organisation"]["name"]) == (
        "Personne public", "person", "elu", "Mairie",
    )  # fmt: skip
    listed = client.get(URL).json()["results"]
    assert all((row["email"] is not None) is sees_contacts for row in listed)


def test_a_forbidden_actor_answers_like_a_missing_one(client, world):
    private = Actor.objects.get(name="Personne private")
    client_as(client, world, "partner_funder")
    forbidden = client.get(f"{URL[:-1]}/{private.pk}")
    missing = client.get(f"{URL[:-1]}/{private.pk + 1000}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_the_list_filters_and_costs_the_same_queries_with_more_actors(client, world):
    client_as(client, world, "viewer")
    assert names(client.get(URL + "?kind=organisation")) == ["Mairie"]
    assert names(client.get(URL + "?category=elu&q=PRIV")) == ["Personne private"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    few = queries()
    for number in range(30):
        make_actor(
            world, f"Autre {number}", organisation=Actor.objects.get(name="Mairie"), visibility="public"
        )
    assert queries() == few


def test_an_editor_creates_an_actor_with_a_read_write_token(client, world):
    _token, raw = api_token_create(user=world.people["editor"], name="script", scope="read_write")
    mairie = Actor.objects.get(name="Mairie")
    payload = {
        "kind": "person",
        "name": "<b>Léa</b> Petit",
        "category": "etat_territorial",
        "organisation": mairie.pk,
        "email": "lea@example.org",
        "user_email": "viewer@ungersheim.example",
        "visibility": "alliance",
    }
    response = client.post(
        URL, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201
    body = response.json()
    created = Actor.objects.get(pk=body["id"])
    shown = ("name", "category", "organisation", "email", "platform_account")
    assert tuple(body[key] for key in shown) == (
        "<b>Léa</b> Petit", "etat_territorial", {"id": mairie.pk, "name": "Mairie"}, "lea@example.org",
        "viewer@ungersheim.example",
    )  # fmt: skip
    assert created.user == world.people["viewer"]
    assert AuditEntry.objects.filter(action="actor.create", object_id=str(created.pk)).count() == 1


def test_bad_input_names_the_field(client, world):
    client_as(client, world, "editor")
    payload = {"kind": "person", "name": "Paul", "category": "astronaute"}
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"category": ["Catégorie d’acteur inconnue : astronaute."]}
    payload = {"kind": "person", "name": "Paul", "category": "elu", "email": "non", "phone": "x", "age": 3}
    response = client.post(URL, payload, content_type="application/json")
    assert response.json()["error"]["fields"] == {"age": ["Ce champ n'est pas accepté ici."]}
    payload = {"kind": "person", "name": "Paul", "category": "elu", "email": "non", "phone": "appelez"}
    fields = client.post(URL, payload, content_type="application/json").json()["error"]["fields"]
    assert fields == {
        "email": ["Saisissez une adresse de courriel valide."],
        "phone": [
            "Saisissez un numéro de téléphone : des chiffres, des espaces, des points, des tirets, et + pour "
            "l’étranger."
        ],
    }
    payload = {"kind": "person", "name": "Personne public", "category": "elu"}
    fields = client.post(URL, payload, content_type="application/json").json()["error"]["fields"]
    assert fields == {"name": ["Une personne de ce nom figure déjà dans la carte des acteurs."]}
    assert not Actor.objects.filter(name="Paul").exists()


def test_patch_changes_only_the_fields_sent(client, world):
    actor = Actor.objects.get(name="Personne partners")
    client_as(client, world, "editor")
    url = f"{URL[:-1]}/{actor.pk}"
    response = client.patch(url, {"function": "Maire", "category": "agent"}, content_type="application/json")
    assert response.status_code == 200
    actor.refresh_from_db()
    assert (actor.function, actor.category.code, actor.email, actor.organisation.name) == (
        "Maire", "agent", "partners@example.org", "Mairie",
    )  # fmt: skip
    audit = AuditEntry.objects.get(action="actor.update")
    assert set(audit.changes) == {"function", "category"}
    response = client.patch(url, {"organisation": None}, content_type="application/json")
    assert response.json()["organisation"] is None


@pytest.mark.parametrize("role", ["contributor", "viewer", "partner_funder"])
def test_writes_by_anyone_but_the_writers_answer_404(client, world, role):
    actor = Actor.objects.get(name="Personne public")
    client_as(client, world, role)
    url = f"{URL[:-1]}/{actor.pk}"
    assert client.patch(url, {"name": "X"}, content_type="application/json").status_code == 404
    assert client.delete(url).status_code == 404
    assert Actor.objects.get(pk=actor.pk).name == "Personne public"


def test_a_contributor_adds_an_actor_but_links_no_account(client, world):
    client_as(client, world, "contributor")
    payload = {"kind": "organisation", "name": "Atelier vélo", "category": "habitant_association"}
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["email"] is None  # a contributor does not read contact details
    payload = {"kind": "person", "name": "Carl", "category": "elu", "user_email": "editor@ungersheim.example"}
    response = client.post(URL, payload, content_type="application/json")
    assert response.json()["error"]["fields"] == {
        "user_email": [
            "Seuls les administrateurs et éditeurs de l’équipe relient des comptes de la plateforme."
        ]
    }


def test_delete_refuses_an_actor_with_ties(client, world):
    a, b = Actor.objects.get(name="Personne public"), Actor.objects.get(name="Personne private")
    make_tie(a, b)
    client_as(client, world, "editor")
    response = client.delete(f"{URL[:-1]}/{a.pk}")
    assert response.status_code == 409
    assert response.json()["error"]["message"].startswith("Cet acteur a des liens de coopération")
    lonely = make_actor(world, "Seul")
    assert client.delete(f"{URL[:-1]}/{lonely.pk}").status_code == 204
    assert not Actor.objects.filter(pk=lonely.pk).exists()


def test_anonymous_writes_answer_401(client, world):
    response = client.post(URL, {"kind": "person"}, content_type="application/json")
    assert response.status_code == 401


def test_the_territory_admin_exports_and_erases_a_person_through_the_api(client, world):
    person, other = Actor.objects.get(name="Personne private"), Actor.objects.get(name="Personne public")
    make_tie(person, other)
    url = f"{URL[:-1]}/{person.pk}"
    client_as(client, world, "editor")  # personal data are the admin's to hand over or erase
    assert client.post(f"{url}/export").status_code == 404
    assert client.post(f"{url}/erase").status_code == 404
    client_as(client, world, "admin")
    exported = client.post(f"{url}/export").json()
    assert "Personne private" in json.dumps(exported, ensure_ascii=False)
    assert "private@example.org" in json.dumps(exported)
    erased = client.post(f"{url}/erase").json()
    assert (erased["name"], erased["erased"], erased["email"], erased["phone"]) == (
        f"Personne effacée n° {person.pk}",
        True,
        "",
        "",
    )
    assert Actor.objects.get(pk=person.pk).name == f"Personne effacée n° {person.pk}"
    assert client.post(f"{url}/erase").status_code == 409  # already erased
    assert AuditEntry.objects.filter(action="actor.erase", object_id=str(person.pk)).count() == 1


def test_an_actor_keeps_its_version_1_category_for_an_unchanged_code(client, world):
    first = ReferentialVersion.objects.get(number=1)
    actor = Actor.objects.get(name="Personne partners")
    actor.category = referential_item("actor_category", "elu", version=first)
    actor.save()
    client_as(client, world, "editor")
    url = f"{URL[:-1]}/{actor.pk}"

    def held():
        actor.refresh_from_db()
        return actor.function, actor.category.code, actor.category.version.number

    response = client.patch(url, {"function": "Maire"}, content_type="application/json")
    assert (response.status_code, response.json()["category"]) == (200, "elu")
    assert held() == ("Maire", "elu", 1)
    response = client.patch(url, {"category": "elu"}, content_type="application/json")
    assert (response.status_code, held()) == (200, ("Maire", "elu", 1))
    elus = ["Personne alliance", "Personne partners", "Personne private", "Personne public"]
    assert names(client.get(URL, {"category": "elu"})) == elus
    response = client.patch(url, {"category": "agent"}, content_type="application/json")
    assert (response.status_code, response.json()["category"], held()) == (
        200,
        "agent",
        ("Maire", "agent", 2),
    )
