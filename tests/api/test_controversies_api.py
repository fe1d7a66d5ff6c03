"""The controversy register in the API: the same rights and rules as the pages, the life cycle with
its preconditions on `to_stage`, what the instruction gathers, and who reads what (hidden actors
without their name, groups' addresses for the team only, forbidden exactly like missing)."""

import datetime

import pytest
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.governance.test_controversies import decided, group, instructed, move, need, report, write_state
from tests.governance.test_decisions import decide
from tests.governance.test_spaces import an_actor, category, make_space
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.governance.controversy_records import expertise_add, follow_up_add, party_add
from trajectoires.governance.models import (
    Controversy,
    Expertise,
    FollowUp,
    Party,
    StageTransition,
    StateOfControversy,
)
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/controversies/"
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Rien n'a été trouvé à cette adresse."}}


@pytest.fixture
def world():
    return build_world()


def auth(world, role):
    if world.people[role] is None:
        return {}
    _token, raw = api_token_create(user=world.people[role], name="script", scope="read_write")
    return {"Authorization": f"Bearer {raw}"}


def call(client, method, url, payload=None, role="admin", world=None):
    return getattr(client, method)(url, payload, content_type="application/json", headers=auth(world, role))


def at(value: datetime.datetime) -> str:
    """A stored time as the API writes it (ISO 8601, to the millisecond)."""
    return DjangoJSONEncoder().default(value)


def fields(response):
    assert response.status_code == 422, response.content
    return response.json()["error"]["fields"]


# The register ------------------------------------------------------------------------------------


def test_a_controversy_is_reported_read_listed_changed_and_deleted(client, world):
    forum = make_space(world, name="Conseil municipal")
    payload = {
        "subject": "Extension de la zone d'activité",
        "description": "Dix hectares de terres agricoles en jeu.",
        "forum": forum.pk,
        "subject_areas": ["water", "food"],
        "visibility": "public",
    }
    response = call(client, "post", BASE, payload, "contributor", world)
    assert response.status_code == 201
    controversy = Controversy.objects.get()
    reporting = controversy.transitions.get()
    expected = {
        "id": controversy.pk,
        "territory": "ungersheim",
        "subject": "Extension de la zone d'activité",
        "description": "Dix hectares de terres agricoles en jeu.",
        "stage": "reported",
        "stage_changed_at": None,
        "forum": forum.pk,
        "subject_areas": ["water", "food"],  # in the order of the référentiel
        "party_count": 0,
        "decided_on": None,
        "visibility": "public",
        "decision_text": "",
        "instruction_use": "",
        "related_decisions": [],
        "next_stages": ["instructing"],
        "reopened": 0,
        "parties": [],
        "expertise": [],
        "states": [],
        "follow_ups": [],
        "transitions": [
            {"from_stage": None, "to_stage": "reported", "reason": "Signalée", "at": at(reporting.at)}
        ],
    }
    assert response.json() == expected
    anonymous = Client()
    assert anonymous.get(f"{BASE}{controversy.pk}").json() == expected
    listed = anonymous.get(BASE).json()
    assert (listed["count"], listed["results"]) == (
        1,
        [{key: expected[key] for key in listed["results"][0]}],
    )
    assert set(listed["results"][0]) == {
        "id", "territory", "subject", "description", "stage", "stage_changed_at", "forum",
        "subject_areas", "party_count", "decided_on", "visibility",
    }  # fmt: skip
    assert (
        call(client, "patch", f"{BASE}{controversy.pk}", {"subject": "X"}, "viewer", world).json()
        == NOT_FOUND
    )
    changed = call(
        client,
        "patch",
        f"{BASE}{controversy.pk}",
        {"subject": "Zone d'activité", "forum": None, "subject_areas": ["energy"]},
        "contributor",
        world,
    )
    assert changed.status_code == 200
    assert (changed.json()["subject"], changed.json()["forum"], changed.json()["subject_areas"]) == (
        "Zone d'activité",
        None,
        ["energy"],
    )
    assert AuditEntry.objects.get(action="controversy.update").changes == {
        "forum": [forum.pk, None],
        "subject": ["Extension de la zone d'activité", "Zone d'activité"],
        "subject_areas": [["food", "water"], ["energy"]],
    }
    other = report(world, "Parc éolien")  # reported by the admin
    assert call(client, "delete", f"{BASE}{other.pk}", role="contributor", world=world).json() == NOT_FOUND
    assert call(client, "delete", f"{BASE}{other.pk}", role="editor", world=world).status_code == 204
    assert list(Controversy.objects.values_list("subject", flat=True)) == ["Zone d'activité"]
    assert AuditEntry.objects.filter(action="controversy.delete").count() == 1


def test_a_contributor_gets_back_the_private_controversy_they_report_then_no_longer_reads_it(client, world):
    forum = make_space(world)
    payload = {"subject": "Note", "description": "Pour l'équipe.", "forum": forum.pk, "visibility": "private"}
    response = call(client, "post", BASE, payload, "contributor", world)
    body = response.json()
    assert response.status_code == 201
    assert (body["subject"], body["visibility"], body["forum"], body["parties"]) == (
        "Note",
        "private",
        forum.pk,
        [],
    )
    assert [step["to_stage"] for step in body["transitions"]] == ["reported"]
    assert call(client, "get", f"{BASE}{body['id']}", role="contributor", world=world).json() == NOT_FOUND
    assert Controversy.objects.get().author == world.people["contributor"]


def test_the_list_filters_by_stage_forum_and_area(client, world):
    council = make_space(world, name="Conseil municipal")
    report(world, "Parc éolien", subject_areas=[need("energy")])
    zone = instructed(world, subject="Zone d'activité", subject_areas=[need("food")])
    zone.forum = council
    zone.save()
    report(world, "Note interne", visibility="private", subject_areas=[need("energy")])

    def subjects(role="anonymous", **query):
        response = Client().get(BASE, query, headers=auth(world, role))
        return [row["subject"] for row in response.json()["results"]]

    assert subjects() == ["Zone d'activité", "Parc éolien"]
    assert subjects("viewer") == ["Note interne", "Zone d'activité", "Parc éolien"]
    assert subjects(stage="instructing") == ["Zone d'activité"]
    assert subjects(forum=council.pk) == ["Zone d'activité"]
    assert subjects("viewer", area="energy") == ["Note interne", "Parc éolien"]
    assert subjects(area="energy", stage="reported") == ["Parc éolien"]
    refused = Client().get(BASE, {"stage": "archived"})
    assert list(fields(refused)) == ["stage"]


def test_version_1_subject_areas_are_listed_by_code_and_kept_by_an_unchanged_patch(client, world):
    """Version 2 of the référentiel is the current one: a controversy about essential needs of
    version 1 is found by their codes, and a patch keeps them while they are kept (decision 0009)."""
    first = ReferentialVersion.objects.get(number=1)
    controversy = report(world, "Captage d'eau", subject_areas=[need("water")])
    controversy.subject_areas.set([referential_item("essential_need", "water", version=first)])
    report(world, "Parc éolien", subject_areas=[need("energy")])
    listed = Client().get(BASE, {"area": "water"}).json()["results"]
    assert [(row["subject"], row["subject_areas"]) for row in listed] == [("Captage d'eau", ["water"])]
    url = f"{BASE}{controversy.pk}"
    changed = call(client, "patch", url, {"subject_areas": ["food", "water"]}, "editor", world)
    assert (changed.status_code, changed.json()["subject_areas"]) == (200, ["water", "food"])
    held = sorted(controversy.subject_areas.values_list("code", "version__number"))
    assert held == [("food", 2), ("water", 1)]
    changed = call(client, "patch", url, {"subject_areas": ["food"]}, "editor", world)
    assert (changed.status_code, changed.json()["subject_areas"]) == (200, ["food"])
    assert list(controversy.subject_areas.values_list("code", "version__number")) == [("food", 2)]
    assert [
        entry.changes for entry in AuditEntry.objects.filter(action="controversy.update").order_by("id")
    ] == [
        {"subject_areas": [["water"], ["food", "water"]]},
        {"subject_areas": [["food", "water"], ["food"]]},
    ]


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    response = call(
        client,
        "post",
        BASE,
        {"subject": "", "description": "Dix hectares.", "subject_areas": ["water", "teleportation"]},
        "editor",
        world,
    )
    assert fields(response) == {"subject_areas": ["Besoins essentiels inconnus : teleportation."]}
    response = call(
        client, "post", BASE, {"subject": " ", "description": "", "forum": 999999}, "editor", world
    )
    assert fields(response) == {"forum": ["Choisissez un espace de participation de ce territoire."]}
    response = call(client, "post", BASE, {"subject": " ", "description": ""}, "editor", world)
    assert fields(response) == {
        "subject": ["Ce champ ne peut pas être vide."],
        "description": ["Ce champ ne peut pas être vide."],
    }
    response = call(
        client, "post", BASE, {"subject": "X", "visibility": "secret", "stage": "decided"}, "editor", world
    )
    assert set(fields(response)) == {"description", "visibility", "stage"}
    assert (
        call(client, "post", BASE, {"subject": "X", "description": "Y"}, "viewer", world).json() == NOT_FOUND
    )
    assert (Controversy.objects.count(), StageTransition.objects.count()) == (0, 0)
    assert not AuditEntry.objects.filter(action__startswith="controversy").exists()


# The life cycle ----------------------------------------------------------------------------------


def test_a_move_is_recorded_or_refused_on_to_stage(client, world, django_capture_on_commit_callbacks):
    controversy = report(world)
    url = f"{BASE}{controversy.pk}/transitions"
    refused = call(client, "post", url, {"to_stage": "instructing", "reason": "Saisine."}, "editor", world)
    assert fields(refused) == {"to_stage": ["Choisissez d’abord l’instance où elle est instruite."]}
    refused = call(client, "post", url, {"to_stage": "decided", "reason": " "}, "editor", world)
    assert fields(refused) == {
        "reason": ["Dites pourquoi la controverse change d’étape."],
        "to_stage": ["Une controverse à l’étape « Signalée » ne peut pas passer à « Décidée »."],
    }
    assert StageTransition.objects.count() == 1
    controversy.forum = make_space(world)
    controversy.save()
    group(world, controversy, "Collectif des Terres", contact_email="collectif@terres.example")
    payload = {"to_stage": "instructing", "reason": "Le conseil se saisit du dossier."}
    assert call(client, "post", url, payload, "contributor", world).json() == NOT_FOUND
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = call(client, "post", url, payload, "editor", world)
    assert moved.status_code == 201
    step = StageTransition.objects.latest("id")
    assert moved.json() == {
        "from_stage": "reported",
        "to_stage": "instructing",
        "reason": "Le conseil se saisit du dossier.",
        "at": at(step.at),
    }
    assert (step.by, Controversy.objects.get().stage) == (world.people["editor"], "instructing")
    assert [message.to for message in mail.outbox] == [["collectif@terres.example"]]
    read = Client().get(f"{BASE}{controversy.pk}").json()
    assert (read["stage"], read["stage_changed_at"], read["next_stages"]) == (
        "instructing",
        at(step.at),
        ["deliberating"],
    )


def test_the_decision_is_written_with_related_decisions(client, world):
    controversy = instructed(world)
    plan = decide(world, "Plan vélo")
    note = decide(world, "Note au maire", visibility="private")
    foreign = decide(world, "Port", territory=world.elsewhere, author="member_elsewhere")
    url = f"{BASE}{controversy.pk}/decision"
    payload = {"decision_text": "Trois hectares.", "instruction_use": "L'étude des sols a fixé la limite."}
    refused = call(client, "put", url, payload | {"related_decisions": [plan.pk, foreign.pk]}, "admin", world)
    assert fields(refused) == {"related_decisions": ["Choisissez des décisions de ce territoire."]}
    assert call(client, "put", url, payload, "contributor", world).json() == NOT_FOUND
    written = call(client, "put", url, payload | {"related_decisions": [plan.pk, note.pk]}, "admin", world)
    assert written.status_code == 200
    assert (written.json()["decision_text"], written.json()["instruction_use"]) == (
        "Trois hectares.",
        "L'étude des sols a fixé la limite.",
    )
    assert sorted(written.json()["related_decisions"]) == sorted([plan.pk, note.pk])
    # Anyone reads the public decision it relates to, not the private one.
    assert Client().get(f"{BASE}{controversy.pk}").json()["related_decisions"] == [plan.pk]
    settled = decided(world, subject="Parc éolien")
    refused = call(client, "put", f"{BASE}{settled.pk}/decision", payload, "admin", world)
    assert fields(refused) == {
        "decision_text": ["La décision est prise : rouvrez la controverse pour la modifier."]
    }


# What the instruction gathers --------------------------------------------------------------------


def test_parties_hide_unreadable_actors_and_groups_addresses(client, world):
    controversy = instructed(world)
    hidden = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    party_add(actor=world.people["admin"], controversy=controversy, actor_record=hidden, position="Réservé.")
    url = f"{BASE}{controversy.pk}/parties"
    payload = {
        "group_name": "Collectif des Terres",
        "contact_email": "collectif@terres.example",
        "position": "Contre l'extension.",
        "arguments": "Terres de classe A.",
        "sources": ["Étude des sols 2023", "Pétition"],
        "declared_interests": "Agriculteurs du secteur.",
    }
    created = call(client, "post", url, payload, "contributor", world)
    assert created.status_code == 201
    party = Party.objects.get(group_name="Collectif des Terres")
    expected = {
        "id": party.pk,
        "actor": None,
        "group_name": "Collectif des Terres",
        "contact_email": None,  # a contributor is not the team
        "position": "Contre l'extension.",
        "arguments": "Terres de classe A.",
        "sources": ["Étude des sols 2023", "Pétition"],
        "declared_interests": "Agriculteurs du secteur.",
    }
    assert created.json() == expected
    assert party.sources == "Étude des sols 2023\nPétition"
    hidden_party = {
        "id": Party.objects.get(actor=hidden).pk,
        "actor": {"id": hidden.pk, "name": None, "category": "etat_territorial"},
        "group_name": "",
        "contact_email": None,
        "position": "Réservé.",
        "arguments": "",
        "sources": [],
        "declared_interests": "",
    }
    assert Client().get(f"{BASE}{controversy.pk}").json()["parties"] == [hidden_party, expected]
    team = Client().get(f"{BASE}{controversy.pk}", headers=auth(world, "editor")).json()["parties"]
    assert team[0]["actor"]["name"] == "Cabinet du préfet" and team[0]["contact_email"] == ""
    assert team[1]["contact_email"] == "collectif@terres.example"
    assert fields(call(client, "post", url, payload, "editor", world)) == {
        "group_name": ["Ce groupe est déjà partie."]
    }
    assert fields(call(client, "post", url, {"actor": 999999, "position": "Pour."}, "editor", world)) == {
        "actor": ["Choisissez un acteur de ce territoire."]
    }
    assert (
        call(client, "post", url, {"group_name": "X", "position": "Y"}, "viewer", world).json() == NOT_FOUND
    )
    assert Party.objects.count() == 2


def test_a_contributor_changes_and_removes_their_own_party_only(client, world):
    controversy = instructed(world)
    own = group(world, controversy, "Riverains", author="contributor")
    other = group(world, controversy, "Club des entreprises")
    url = f"{BASE}{controversy.pk}/parties/"
    changed = call(
        client, "patch", f"{url}{own.pk}", {"position": "Contre, sauf compensation."}, "contributor", world
    )
    assert changed.status_code == 200 and changed.json()["position"] == "Contre, sauf compensation."
    assert (
        call(client, "patch", f"{url}{other.pk}", {"position": "X"}, "contributor", world).json() == NOT_FOUND
    )
    assert call(client, "delete", f"{url}{other.pk}", role="contributor", world=world).json() == NOT_FOUND
    mairie = an_actor(world, "Mairie", "elu")
    both = call(client, "patch", f"{url}{own.pk}", {"actor": mairie.pk}, "contributor", world)
    assert fields(both) == {
        "actor": ["Choisissez un acteur de la carte ou nommez un groupe d’habitants (l’un des deux)."]
    }
    swapped = call(
        client, "patch", f"{url}{own.pk}", {"actor": mairie.pk, "group_name": ""}, "contributor", world
    )
    assert swapped.json()["actor"] == {"id": mairie.pk, "name": "Mairie", "category": "elu"}
    assert call(client, "delete", f"{url}{own.pk}", role="contributor", world=world).status_code == 204
    assert list(Party.objects.values_list("group_name", flat=True)) == ["Club des entreprises"]
    elsewhere = instructed(world, subject="Parc éolien")
    assert call(client, "delete", f"{BASE}{elsewhere.pk}/parties/{other.pk}", world=world).json() == NOT_FOUND


def test_expertise_is_recorded_and_never_in_the_future(client, world):
    controversy = instructed(world)
    url = f"{BASE}{controversy.pk}/expertise"
    payload = {"kind": "hearing", "title": "Audition de la chambre d'agriculture", "summary": "Terres rares."}
    refused = call(client, "post", url, payload | {"dated": TOMORROW.isoformat()}, "contributor", world)
    assert fields(refused) == {
        "dated": ["Une expertise s’enregistre une fois recueillie : la date ne peut pas être dans le futur."]
    }
    assert fields(call(client, "post", url, payload | {"dated": "hier"}, "contributor", world)) == {
        "dated": ["Saisissez une valeur valide."]
    }
    assert (
        call(client, "post", url, payload | {"dated": TODAY.isoformat()}, "viewer", world).json() == NOT_FOUND
    )
    created = call(client, "post", url, payload | {"dated": TODAY.isoformat()}, "contributor", world)
    assert created.status_code == 201
    assert created.json() == {
        "id": Expertise.objects.get().pk,
        "kind": "hearing",
        "title": "Audition de la chambre d'agriculture",
        "dated": TODAY.isoformat(),
        "summary": "Terres rares.",
        "source": "",
    }


def test_etat_versions_and_their_co_signatures(client, world):
    controversy = instructed(world)
    own = actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="organisation",
        name="Coopérative agricole",
        category=category("socio_economique"),
        user_email="contributor@ungersheim.example",
        visibility="public",
    )
    cooperative = party_add(
        actor=world.people["admin"], controversy=controversy, actor_record=own, position="Contre."
    )
    riverains = group(world, controversy, "Riverains")
    stranger = group(world, instructed(world, subject="Méthaniseur"), "Voisins")
    url = f"{BASE}{controversy.pk}/states"
    payload = {"statement": "Les terres sont classées A.", "signatories": [riverains.pk]}
    assert fields(call(client, "post", url, payload | {"signatories": [stranger.pk]}, "admin", world)) == {
        "signatories": ["Choisissez des parties de cette controverse."]
    }
    assert call(client, "post", url, payload, "contributor", world).json() == NOT_FOUND
    first = call(client, "post", url, payload, "admin", world)
    assert first.status_code == 201
    assert first.json() == {
        "number": 1,
        "statement": "Les terres sont classées A.",
        "minority_view": "",
        "signatories": [riverains.pk],
        "written_at": at(StateOfControversy.objects.get().written_at),
    }
    second = call(
        client, "post", url, {"statement": "Deuxième lecture.", "minority_view": "Réserves."}, world=world
    )
    assert (second.json()["number"], second.json()["signatories"]) == (2, [])
    signatures = f"{url}/2/signatures"
    assert fields(call(client, "post", f"{url}/1/signatures", {"party": cooperative.pk}, world=world)) == {
        "party": ["Seule la dernière version de l’état de la controverse peut être cosignée."]
    }
    assert call(client, "post", signatures, {"party": cooperative.pk}, "viewer", world).json() == NOT_FOUND
    assert (
        call(client, "post", f"{url}/3/signatures", {"party": cooperative.pk}, world=world).json()
        == NOT_FOUND
    )
    assert call(client, "post", signatures, {"party": riverains.pk}, "contributor", world).json() == NOT_FOUND
    assert fields(call(client, "post", signatures, {"party": stranger.pk}, "contributor", world)) == {
        "party": ["Choisissez une partie de cette controverse."]
    }
    signed = call(client, "post", signatures, {"party": cooperative.pk}, "contributor", world)
    assert (signed.status_code, signed.json()["signatories"]) == (201, [cooperative.pk])
    assert fields(call(client, "post", signatures, {"party": cooperative.pk}, "editor", world)) == {
        "party": ["Cette partie a déjà cosigné cette version."]
    }
    states = Client().get(f"{BASE}{controversy.pk}").json()["states"]
    assert [(s["number"], s["minority_view"], s["signatories"]) for s in states] == [
        (2, "Réserves.", [cooperative.pk]),
        (1, "", [riverains.pk]),
    ]


def test_follow_up_after_the_decision(client, world):
    open_one = instructed(world)
    payload = {"action": "Borner la zone", "due_on": TOMORROW.isoformat()}
    assert fields(call(client, "post", f"{BASE}{open_one.pk}/follow-ups", payload, world=world)) == {
        "action": ["Les actions de suivi se prévoient une fois la décision prise."]
    }
    controversy = decided(world, subject="Parc éolien")
    url = f"{BASE}{controversy.pk}/follow-ups"
    assert call(client, "post", url, payload, "contributor", world).json() == NOT_FOUND
    created = call(client, "post", url, payload, "editor", world)
    follow_up = FollowUp.objects.get()
    assert (created.status_code, created.json()) == (
        201,
        {"id": follow_up.pk, "action": "Borner la zone", "due_on": TOMORROW.isoformat(), "done_on": None},
    )
    done = f"{url}/{follow_up.pk}"
    assert fields(call(client, "patch", done, {"done_on": TOMORROW.isoformat()}, world=world)) == {
        "done_on": ["Une action est marquée réalisée une fois faite : pas dans le futur."]
    }
    assert fields(call(client, "patch", done, {}, world=world)) == {"done_on": ["Ce champ est obligatoire."]}
    marked = call(client, "patch", done, {"done_on": TODAY.isoformat()}, world=world)
    assert marked.json()["done_on"] == TODAY.isoformat() and FollowUp.objects.get().done_on == TODAY
    elsewhere = f"{BASE}{open_one.pk}/follow-ups/{follow_up.pk}"  # not a follow-up of that controversy
    assert call(client, "patch", elsewhere, {"done_on": None}, world=world).json() == NOT_FOUND


# Who reads what ----------------------------------------------------------------------------------


def test_a_forbidden_controversy_answers_exactly_like_a_missing_one(client, world):
    controversy = decided(world, visibility="private")
    party = controversy.parties.first()
    follow_up = follow_up_add(
        actor=world.people["admin"], controversy=controversy, action="Borner", due_on=TODAY
    )
    writes = [
        ("patch", "", {"subject": "X"}),
        ("delete", "", None),
        ("post", "/transitions", {"to_stage": "instructing", "reason": "X"}),
        ("put", "/decision", {"decision_text": "X", "instruction_use": "Y"}),
        ("post", "/parties", {"group_name": "X", "position": "Y"}),
        ("patch", f"/parties/{party.pk}", {"position": "Y"}),
        ("delete", f"/parties/{party.pk}", None),
        ("post", "/expertise", {"kind": "document", "title": "X", "dated": "2025-01-01", "summary": "Y"}),
        ("post", "/states", {"statement": "X"}),
        ("post", "/states/1/signatures", {"party": party.pk}),
        ("post", "/follow-ups", {"action": "X", "due_on": "2025-01-01"}),
        ("patch", f"/follow-ups/{follow_up.pk}", {"done_on": None}),
    ]
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        headers = auth(world, role)
        for pk in (controversy.pk, controversy.pk + 1000):
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
    assert Controversy.objects.get().subject == controversy.subject
    assert Party.objects.count() == 2 and FollowUp.objects.get().done_on is None
    assert StateOfControversy.objects.get().signatories.count() == 0


def test_a_forum_the_caller_may_not_read_is_null(client, world):
    controversy = report(world, forum=make_space(world, visibility="private"))
    assert Client().get(f"{BASE}{controversy.pk}").json()["forum"] is None
    assert Client().get(BASE).json()["results"][0]["forum"] is None
    assert (
        Client().get(f"{BASE}{controversy.pk}", headers=auth(world, "viewer")).json()["forum"]
        == controversy.forum_id
    )


def test_reading_costs_the_same_queries_whatever_the_size(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    controversy = instructed(world)
    group(world, controversy, "Riverains")
    write_state(world, controversy)
    urls = [BASE, f"{BASE}{controversy.pk}"]
    before = [count(url) for url in urls]
    for index in range(8):
        other = report(world, f"Controverse {index}", subject_areas=[need("food"), need("water")])
        group(world, other, f"Groupe {index}")
        party = group(world, controversy, f"Collectif {index}")
        party_add(
            actor=world.people["admin"],
            controversy=controversy,
            actor_record=an_actor(world, f"Association {index}"),
            position="Pour.",
        )
        expertise_add(
            actor=world.people["admin"],
            controversy=controversy,
            kind="document",
            title="T",
            dated=TODAY,
            summary="S",
        )
        write_state(world, controversy, f"Version {index}", signatories=[party])
    move(world, controversy, "deliberating")
    assert [count(url) for url in urls] == before
