"""The diagnostic sensible in the API: the same rights and rules as the pages — written by the
writers, moved through its statuses, shared by the admin with partner funders; interviews recorded
by the note readers, identity and notes for them only; pseudonymised in every answer; forbidden
exactly like missing, before any check of the input."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.test_controversies_api import NOT_FOUND, TOMORROW, auth, call, fields
from tests.evaluation.test_diagnostics import MET, SECTIONS, a_diagnostic, a_person, an_interview, complete
from tests.governance.test_spaces import an_actor
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import diagnostic_share
from trajectoires.evaluation.models import Diagnostic, DiagnosticShare, Interview

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/diagnostics/"
TODAY = timezone.localdate()
QUOTED = "Un entretien ne peut être cité qu’avec le consentement enregistré de la personne à être citée."
NO_ONE = "Nommez la personne de la carte qui a été interrogée, ou décrivez un profil anonyme."
FUTURE = "Un entretien s’enregistre une fois mené : la date ne peut pas être dans le futur."
SCOPE_ALONE = "Une portée ne se donne qu’avec le consentement."
TITLES = {
    "context_history": "Contexte et histoire",
    "actors_relations": "Acteurs et relations",
    "perceptions": "Perceptions",
    "blockages": "Blocages",
    "narratives": "Récits à l’œuvre",
    "dynamics_levers": "Dynamiques et leviers",
}


@pytest.fixture
def world():
    return build_world()


def sections(**texts):
    return [{"code": code, "title": title, "text": texts.get(code, "")} for code, title in TITLES.items()]


def test_a_diagnostic_is_written_read_listed_changed_moved_and_deleted(client, world):
    payload = {"title": "Diagnostic 2026", "visibility": "partners", "perceptions": "La mairie décide seule."}
    response = call(client, "post", BASE, payload, "editor", world)
    assert response.status_code == 201, response.content
    diagnostic = Diagnostic.objects.get()
    expected = {
        "id": diagnostic.pk,
        "territory": "ungersheim",
        "title": "Diagnostic 2026",
        "status": "draft",
        "visibility": "partners",
        "completed_on": None,
        "validated_on": None,
        "sections": sections(perceptions="La mairie décide seule."),
        "interviews": [],
        "shares": [],
    }
    assert response.json() == expected
    assert (diagnostic.author, AuditEntry.objects.filter(action="diagnostic.create").count()) == (
        world.people["editor"],
        1,
    )
    url = f"{BASE}{diagnostic.pk}"
    assert call(client, "get", url, role="partner_funder", world=world).json() == expected
    assert Client().get(url).json() == NOT_FOUND
    listed = call(client, "get", BASE, role="contributor", world=world).json()
    summary = {key: expected[key] for key in ("id", "territory", "title", "status", "visibility")}
    assert listed["results"] == [summary | {"completed_on": None, "validated_on": None, "interview_count": 0}]
    assert Client().get(BASE).json()["count"] == 0

    assert call(client, "patch", url, {"title": "X"}, "viewer", world).json() == NOT_FOUND
    changed = call(client, "patch", url, {"blockages": "Les silos.", "perceptions": None}, "editor", world)
    assert changed.status_code == 200
    assert changed.json()["sections"] == sections(blockages="Les silos.")
    assert AuditEntry.objects.get(action="diagnostic.update").changes == {
        "blockages_length": [0, 10],
        "perceptions_length": [23, 0],
    }
    moved = call(client, "post", f"{url}/move", {"to": "in_progress"}, "editor", world)
    assert (moved.status_code, moved.json()["status"]) == (200, "in_progress")
    refused = call(client, "post", f"{url}/move", {"to": "completed"}, "editor", world)
    assert fields(refused) == {
        "context_history": ["Écrivez la section « Contexte et histoire » avant de terminer le diagnostic."],
        "actors_relations": ["Écrivez la section « Acteurs et relations » avant de terminer le diagnostic."],
        "perceptions": ["Écrivez la section « Perceptions » avant de terminer le diagnostic."],
        "narratives": ["Écrivez la section « Récits à l’œuvre » avant de terminer le diagnostic."],
        "dynamics_levers": ["Écrivez la section « Dynamiques et leviers » avant de terminer le diagnostic."],
        "interviews": ["Enregistrez au moins un entretien avant de terminer le diagnostic."],
    }
    assert list(fields(call(client, "post", f"{url}/move", {"to": "closed"}, "editor", world))) == ["to"]
    Diagnostic.objects.filter(pk=diagnostic.pk).update(**SECTIONS)
    an_interview(world, diagnostic)
    completed = call(client, "post", f"{url}/move", {"to": "completed"}, "editor", world).json()
    assert (completed["status"], completed["completed_on"]) == ("completed", TODAY.isoformat())
    assert fields(call(client, "post", f"{url}/move", {"to": "validated"}, "editor", world)) == {
        "status": ["Seul l’administrateur du territoire valide le diagnostic ou le rouvre une fois validé."]
    }
    assert fields(call(client, "patch", url, {"title": "Y"}, "editor", world)) == {
        "status": ["Ce diagnostic est terminé : rouvrez-le pour le modifier."]
    }
    validated = call(client, "post", f"{url}/move", {"to": "validated"}, "admin", world).json()
    assert (validated["status"], validated["validated_on"]) == ("validated", TODAY.isoformat())

    assert call(client, "delete", url, role="editor", world=world).json() == NOT_FOUND
    assert call(client, "delete", url, role="admin", world=world).status_code == 204
    assert (Diagnostic.objects.count(), Interview.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="diagnostic.delete").count() == 1


def interview_payload(**values):
    return {"profile": "Commerçante", "interviewed_on": MET.isoformat(), "interviewer": "Léa"} | values


def test_interviews_are_recorded_and_read_by_the_note_readers_only(client, world):
    diagnostic = a_diagnostic(world, visibility="partners")
    jeanne = a_person(world)
    url = f"{BASE}{diagnostic.pk}/interviews/"
    payload = interview_payload(
        interviewee=jeanne.pk,
        profile="",
        consent_given=True,
        consent_scope="quotable",
        consent_recorded_on=MET.isoformat(),
        publishable=True,
        notes="Elle livre la cantine.",
    )
    assert call(client, "post", url, payload, "editor", world).json() == NOT_FOUND
    created = call(client, "post", url, payload, "admin", world)
    assert created.status_code == 201
    expected = {
        "number": 1,
        "label": "Entretien n° 1",
        "interviewed_on": "2026-03-12",
        "interviewer": "Léa",
        "consent_given": True,
        "consent_scope": "quotable",
        "consent_recorded_on": "2026-03-12",
        "publishable": True,
        "erased_on": None,
        "interviewee": jeanne.pk,
        "profile": "",
        "notes": "Elle livre la cantine.",
    }
    assert created.json() == expected
    hidden = expected | {"interviewee": None, "profile": None, "notes": None}
    for role in ("editor", "viewer", "contributor", "partner_funder"):
        assert call(client, "get", url, role=role, world=world).json()["results"] == [hidden], role
    assert call(client, "get", f"{BASE}{diagnostic.pk}", role="viewer", world=world).json()["interviews"] == [
        {
            "number": 1,
            "label": "Entretien n° 1",
            "interviewed_on": "2026-03-12",
            "consent_given": True,
            "consent_scope": "quotable",
            "publishable": True,
            "erased": False,
            "notes": None,
        }
    ]

    editor = world.people["editor"]
    readers = f"{BASE}{diagnostic.pk}/note-readers"
    assert call(client, "put", readers, {"note_readers": [editor.pk]}, "editor", world).json() == NOT_FOUND
    elsewhere = world.people["member_elsewhere"].pk
    assert fields(call(client, "put", readers, {"note_readers": [elsewhere]}, "admin", world)) == {
        "note_readers": ["Choisissez des membres de ce territoire."]
    }
    assert fields(call(client, "put", readers, {"note_readers": [999999]}, "admin", world)) == {
        "note_readers": ["Choisissez des membres de ce territoire."]
    }
    assert call(client, "put", readers, {"note_readers": [editor.pk]}, "admin", world).json() == {
        "note_readers": [editor.pk]
    }
    assert call(client, "get", url, role="editor", world=world).json()["results"] == [expected]
    changed = call(client, "patch", f"{url}1", {"notes": "Le marché du jeudi.", "interviewee": None,
                                                 "profile": "Agricultrice"}, "editor", world)  # fmt: skip
    assert changed.json() == expected | {
        "notes": "Le marché du jeudi.",
        "interviewee": None,
        "profile": "Agricultrice",
    }
    assert call(client, "patch", f"{url}9", {"notes": "X"}, "editor", world).json() == NOT_FOUND
    erased = call(client, "post", f"{url}1/erase", role="editor", world=world)
    assert erased.json() == expected | {
        "interviewee": None,
        "profile": "",
        "notes": "",
        "publishable": False,
        "erased_on": TODAY.isoformat(),
    }
    assert fields(call(client, "post", f"{url}1/erase", role="editor", world=world)) == {
        "erased_on": ["Cet entretien a déjà été effacé."]
    }
    assert fields(call(client, "patch", f"{url}1", {"notes": "Encore"}, "admin", world)) == {
        "erased_on": ["Cet entretien a été effacé à la demande : il ne peut plus être modifié."]
    }


def test_bad_interviews_name_their_fields_and_write_nothing(client, world):
    diagnostic = a_diagnostic(world)
    foreign = an_actor(world, "Mairie de Grande-Synthe", territory=world.elsewhere)
    url = f"{BASE}{diagnostic.pk}/interviews/"
    cases = [
        ({"publishable": True}, {"publishable": [QUOTED]}),
        ({"consent_given": True, "consent_scope": "team_only", "publishable": True}, {
            "consent_recorded_on": ["Donnez la date à laquelle le consentement a été recueilli."],
            "publishable": [QUOTED],
        }),
        ({"profile": "", "interviewed_on": TOMORROW.isoformat()}, {
            "interviewee": [NO_ONE],
            "interviewed_on": [FUTURE],
        }),
        ({"interviewee": 999999}, {"interviewee": ["Choisissez un acteur de ce territoire."]}),
        ({"interviewee": foreign.pk}, {"interviewee": ["Choisissez un acteur de ce territoire."]}),
        ({"consent_scope": "team_only"}, {"consent_scope": [SCOPE_ALONE]}),
    ]  # fmt: skip
    for changes, expected in cases:
        assert fields(call(client, "post", url, interview_payload(**changes), "admin", world)) == expected, (
            changes
        )
    assert set(
        fields(call(client, "post", url, interview_payload(consent_scope="all", name="X"), "admin", world))
    ) == {
        "consent_scope",
        "name",
    }
    # The right is checked before the rules.
    assert call(client, "post", url, interview_payload(publishable=True), "viewer", world).json() == NOT_FOUND
    assert Interview.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="interview.").exists()


def test_no_name_of_a_person_met_appears_in_any_answer(client, world):
    created = call(
        client, "post", BASE, {"title": "Diagnostic 2026", "visibility": "partners"}, "admin", world
    )
    pk = created.json()["id"]
    jeanne = a_person(world)
    url = f"{BASE}{pk}"
    bodies = [created.content]
    interview = call(
        client,
        "post",
        f"{url}/interviews/",
        interview_payload(
            interviewee=jeanne.pk, profile="", notes="Jeanne Martin raconte ; martin, c’est elle."
        ),
        "admin",
        world,
    )
    bodies.append(interview.content)
    second = call(
        client, "post", f"{url}/interviews/", interview_payload(notes="Il cite JEANNE."), "admin", world
    )
    bodies.append(second.content)
    patched = call(client, "patch", url, {"title": "Avec Jeanne Martin"} | SECTIONS, "admin", world)
    bodies.append(patched.content)
    bodies.append(
        call(client, "patch", f"{url}/interviews/2", {"notes": "Jeanne, encore."}, "admin", world).content
    )
    bodies.append(call(client, "post", f"{url}/move", {"to": "in_progress"}, "admin", world).content)
    for role in ("admin", "editor", "viewer", "contributor", "partner_funder", "staff"):
        for address in (BASE, url, f"{url}/interviews/"):
            response = call(client, "get", address, role=role, world=world)
            bodies.append(response.content)
    assert len(bodies) == 24
    for body in bodies:
        text = json.dumps(json.loads(body), ensure_ascii=False).lower()
        assert "jeanne" not in text and "martin" not in text, text
    admin = call(client, "get", url, role="admin", world=world).json()
    assert admin["title"] == "Avec Entretien n° 1"
    assert admin["sections"][1]["text"] == "Entretien n° 1, agricultrice, relie les maraîchers et la cantine."
    assert [row["notes"] for row in admin["interviews"]] == [
        "Entretien n° 1 raconte ; Entretien n° 1, c’est elle.",
        "Entretien n° 1, encore.",
    ]


def test_a_finished_diagnostic_is_shared_with_a_partner_funder_by_the_admin(client, world):
    diagnostic = a_diagnostic(world, **SECTIONS)  # private
    url = f"{BASE}{diagnostic.pk}"
    shares = f"{url}/shares"
    partner = {"funder": world.partner.pk}
    assert call(client, "post", shares, partner, "editor", world).json() == NOT_FOUND
    assert fields(call(client, "post", shares, partner, "admin", world)) == {
        "status": ["Seul un diagnostic terminé peut être partagé avec un financeur."]
    }
    complete(world, diagnostic)
    assert fields(call(client, "post", shares, {"funder": world.other_funder.pk}, "admin", world)) == {
        "funder": ["Choisissez un financeur partenaire de ce territoire."]
    }
    assert fields(call(client, "post", shares, {"funder": 999999}, "admin", world)) == {
        "funder": ["Choisissez un financeur partenaire de ce territoire."]
    }
    for role in ("partner_funder", "other_funder"):
        assert call(client, "get", url, role=role, world=world).json() == NOT_FOUND
    shared = call(client, "post", shares, partner, "admin", world)
    share = DiagnosticShare.objects.get()
    expected = {"id": share.pk, "funder": world.partner.pk, "name": "Préfecture du Haut-Rhin",
                "shared_on": TODAY.isoformat()}  # fmt: skip
    assert (shared.status_code, shared.json()) == (201, expected)
    assert fields(call(client, "post", shares, partner, "admin", world)) == {
        "funder": ["Ce diagnostic est déjà partagé avec ce financeur."]
    }
    read = call(client, "get", url, role="partner_funder", world=world).json()
    assert (read["status"], read["shares"], read["interviews"][0]["notes"]) == ("completed", [expected], None)
    assert [
        row["id"] for row in call(client, "get", BASE, role="partner_funder", world=world).json()["results"]
    ] == [diagnostic.pk]
    assert call(client, "get", url, role="other_funder", world=world).json() == NOT_FOUND
    assert call(client, "get", BASE, role="other_funder", world=world).json()["count"] == 0

    assert call(client, "delete", f"{shares}/{share.pk}", role="editor", world=world).json() == NOT_FOUND
    assert call(client, "delete", f"{shares}/{share.pk + 1}", role="admin", world=world).json() == NOT_FOUND
    assert call(client, "delete", f"{shares}/{share.pk}", role="admin", world=world).status_code == 204
    assert call(client, "get", url, role="partner_funder", world=world).json() == NOT_FOUND
    assert [
        entry.action for entry in AuditEntry.objects.filter(action__startswith="diagnostic.").order_by("pk")
    ][-2:] == ["diagnostic.share", "diagnostic.unshare"]


def test_a_forbidden_diagnostic_answers_exactly_like_a_missing_one(client, world):
    diagnostic = a_diagnostic(world)
    an_interview(world, diagnostic)
    writes = [
        ("patch", "", {"title": "X"}),
        ("patch", "", {"title": ""}),
        ("delete", "", None),
        ("post", "/move", {"to": "in_progress"}),
        ("post", "/shares", {"funder": world.partner.pk}),
        ("put", "/note-readers", {"note_readers": []}),
        ("post", "/interviews/", interview_payload()),
        ("post", "/interviews/", interview_payload(publishable=True)),
        ("patch", "/interviews/1", {"notes": "X"}),
        ("post", "/interviews/1/erase", None),
    ]
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        headers = auth(world, role)
        for pk in (diagnostic.pk, diagnostic.pk + 1000):
            for suffix in ("", "/interviews/"):
                read = client.get(f"{BASE}{pk}{suffix}", headers=headers)
                assert (read.status_code, read.json()) == (404, NOT_FOUND)
            for method, suffix, payload in writes:
                answer = getattr(client, method)(
                    f"{BASE}{pk}{suffix}", payload, content_type="application/json", headers=headers
                )
                if role == "anonymous":  # writes ask to sign in first, whatever the address
                    assert answer.status_code == 401, (method, suffix)
                else:
                    assert (answer.status_code, answer.json()) == (404, NOT_FOUND), (role, method, suffix)
    assert Diagnostic.objects.get().status == "draft"
    assert Interview.objects.get().erased_on is None


def test_reading_costs_the_same_queries_whatever_the_interviews(client, world):
    def count(url, role):
        with CaptureQueriesContext(connection) as queries:
            assert call(client, "get", url, role=role, world=world).status_code == 200
        return len(queries)

    diagnostic = a_diagnostic(world, visibility="partners", **SECTIONS)
    an_interview(world, diagnostic, interviewee=a_person(world), profile="")
    complete(world, diagnostic)
    diagnostic_share(actor=world.people["admin"], diagnostic=diagnostic, funder=world.partner)
    urls = [BASE, f"{BASE}{diagnostic.pk}", f"{BASE}{diagnostic.pk}/interviews/"]
    before = {role: [count(url, role) for url in urls] for role in ("admin", "viewer", "partner_funder")}
    other = a_diagnostic(world, visibility="partners")
    for index in range(5):
        an_interview(world, other, interviewee=a_person(world, f"Personne {index}"), profile="")
        interview = Interview.objects.create(
            diagnostic=diagnostic, number=10 + index, interviewed_on=MET, interviewer="Léa",
            interviewee=a_person(world, f"Témoin {index}"),
        )  # fmt: skip
        assert interview.pk
    after = {role: [count(url, role) for url in urls] for role in ("admin", "viewer", "partner_funder")}
    assert after == before
