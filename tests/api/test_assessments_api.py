"""Self-assessment in the API: campaigns opened, read with their results, changed, closed and
deleted by the territory admin only; responses answered by code, listed (the team: all; others:
their own), replaced and deleted; every rule refused with the field or question it names and
nothing written; the history by code across référentiel versions; who reads what (forbidden
exactly like missing, before any check of the input); flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.test_controversies_api import NOT_FOUND, at, auth, call, fields
from tests.evaluation.test_assessments import (
    _month,
    _publish_version_3,
    all_key_actions,
    answer,
    open_campaign,
)
from tests.evaluation.test_outcomes import a_person, harvest
from tests.trust.world import ROLES, build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessments import campaign_close
from trajectoires.evaluation.models import AssessmentAnswer, AssessmentCampaign, AssessmentResponse
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/assessments/"
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=30)

KEY_ACTIONS = {
    "K1": "Définir une vision inspirante",
    "K2": "Mobiliser par les récits et les identités territoriales",
    "K3": "Ancrer la transition dans les besoins essentiels",
    "K4": "Installer une gouvernance ouverte",
    "K5": "Faire de la coopération un pilier politique",
    "K6": "Faire des conflits des points d'appui",
    "K7": "Renforcer la capacité d'agir des équipes",
    "K8": "Mettre la transversalité au cœur du mandat",
    "K9": "Tester et ajuster",
    "K10": "Évaluer, raconter et célébrer",
}
CHECKLIST = {
    "S1": "Financer des projets isolés sans ingénierie humaine",
    "S2": "Imposer des solutions descendantes et technocratiques",
    "S3": "Fuir les conflits et les controverses",
    "S4": "Évaluer uniquement par des chiffres (tonnes de CO2, euros)",
    "S5": "Agir en silo (État vs. Région vs. Commune)",
    "C1": "Financer des compagnonnages longs et des diagnostics sensibles",
    "C2": "Coconstruire des visions partagées ancrées dans les identités locales",
    "C3": "Instruire les conflits comme leviers de démocratie et d'innovation",
    "C4": "Évaluer les effets systémiques (coopération, posture, résilience)",
    "C5": "Former des alliances stratégiques pour la cohérence des politiques publiques",
}
POSTURES = [
    ("P1", "Construire le cap (vision et récit)", ["K1", "K2", "K3"]),
    ("P2", "Transformer la méthode (gouvernance et coopération)", ["K4", "K5", "K6", "K7"]),
    ("P3", "Piloter dans la durée (action et évaluation)", ["K8", "K9", "K10"]),
]
MATURITY = ["M1", "M2", "M3", "M4", "M5"]
PROGRESS = ["not_started", "started", "well_advanced", "achieved"]
LEVEL_OUT_OF_K = "K1 : choisissez un niveau de l’échelle, de Pas encore engagé à Ancré et transmis."
LEVEL_OUT_OF_S = "S1 : choisissez un niveau de l’échelle, de Pas engagé à Acquis."
FOREIGN_EVIDENCE = "K1 : choisissez des preuves de ce territoire."
NO_EVIDENCE = {"evidence": "", "journal_entries": [], "documents": [], "outcomes": [], "stories": []}


@pytest.fixture
def world():
    return build_world()


def question(code, mean=None, **counts):
    """A question's results: its mean and how many chose each level (the others: none)."""
    scale = MATURITY if code.startswith("K") else PROGRESS
    return {
        "code": code,
        "label": KEY_ACTIONS.get(code) or CHECKLIST[code],
        "mean": mean,
        "answered": sum(counts.values()),
        "distribution": {level: counts.get(level, 0) for level in scale},
    }


def results(respondents=0, overall=None, answered=None, postures=(None, None, None), groups=(), spread=None):
    """Results where the questions of `answered` ({code: question(...)}) are answered, no other."""
    answered = answered or {}
    spread = spread or {}
    groups = list(groups)
    return {
        "respondents": respondents,
        "overall": overall,
        "key_actions": [answered.get(code) or question(code) for code in KEY_ACTIONS],
        "postures": [
            {"code": code, "label": label, "mean": mean, "key_actions": codes}
            for (code, label, codes), mean in zip(POSTURES, postures, strict=True)
        ],
        "groups": [{"code": code, "label": label, "respondents": count} for code, label, count in groups],
        "spread": [
            spread.get(code)
            or {
                "code": code,
                "means": {group: None for group, _label, _count in groups},
                "spread": None,
                "disagreement": False,
            }
            for code in KEY_ACTIONS
        ],
        "checklist": [answered.get(code) or question(code) for code in CHECKLIST],
    }


def closed_message(campaign):
    date = AssessmentCampaign.objects.get(pk=campaign.pk).closed_on
    return (
        f"Cette campagne a été close le {date.day} {_month(date)} {date.year} : "
        "les réponses ne peuvent plus être données ni modifiées."
    )


def an_entry(world, title="Atelier vision", visibility="public", territory=None):
    territory = territory or world.territory
    author = "admin" if territory == world.territory else "member_elsewhere"
    return journal_entry_create(
        actor=world.people[author],
        territory=territory,
        title=title,
        body="",
        occurred_on=TODAY,
        visibility=visibility,
    )


def audit_actions():
    return list(
        AuditEntry.objects.filter(action__startswith="assessment")
        .order_by("id")
        .values_list("action", flat=True)
    )


# Campaigns ---------------------------------------------------------------------------------------


def test_a_campaign_is_opened_read_listed_changed_closed_and_deleted(client, world):
    payload = {"title": "Autoévaluation 2026", "closes_on": LATER.isoformat(), "visibility": "public"}
    assert call(client, "post", BASE, payload, "editor", world).json() == NOT_FOUND
    response = call(client, "post", BASE, payload, "admin", world)
    assert response.status_code == 201, response.content
    campaign = AssessmentCampaign.objects.get()
    expected = {
        "id": campaign.pk,
        "territory": "ungersheim",
        "title": "Autoévaluation 2026",
        "version": 2,
        "opened_on": TODAY.isoformat(),
        "closes_on": LATER.isoformat(),
        "closed_on": None,
        "status": "open",
        "visibility": "public",
        "response_count": 0,
        "results": results(),
    }
    assert response.json() == expected
    assert (campaign.author, campaign.version.number, audit_actions()) == (
        world.people["admin"],
        2,
        ["assessment_campaign.create"],
    )
    anonymous = Client()
    url = f"{BASE}{campaign.pk}"
    assert anonymous.get(url).json() == expected
    listed = anonymous.get(BASE).json()
    summary = {key: value for key, value in expected.items() if key != "results"}
    assert (listed["count"], listed["results"]) == (1, [summary])

    changes = {"title": "Autoévaluation du mandat", "closes_on": None, "visibility": "alliance"}
    for role in ("editor", "contributor", "viewer"):
        assert call(client, "patch", url, changes, role, world).json() == NOT_FOUND
    changed = call(client, "patch", url, changes, "admin", world)
    assert changed.status_code == 200
    assert changed.json() == expected | changes
    assert AuditEntry.objects.get(action="assessment_campaign.update").changes == {
        "closes_on": [LATER.isoformat(), None],
        "title": ["Autoévaluation 2026", "Autoévaluation du mandat"],
        "visibility": ["public", "alliance"],
    }
    assert anonymous.get(url).json() == NOT_FOUND  # an alliance campaign is for signed-in members

    for role in ("editor", "contributor", "viewer"):
        refused = call(client, "post", f"{url}/close", role=role, world=world)
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND), role
    assert AssessmentCampaign.objects.get().status == "open"
    closed = call(client, "post", f"{url}/close", role="admin", world=world)
    assert closed.status_code == 200
    assert closed.json() == expected | changes | {"status": "closed", "closed_on": TODAY.isoformat()}
    assert fields(call(client, "post", f"{url}/close", role="admin", world=world)) == {
        "status": ["Cette campagne est déjà close."]
    }

    for role in ("editor", "contributor"):
        assert call(client, "delete", url, role=role, world=world).json() == NOT_FOUND
    assert call(client, "delete", url, role="admin", world=world).status_code == 204
    assert not AssessmentCampaign.objects.exists()
    assert audit_actions() == [
        "assessment_campaign.create",
        "assessment_campaign.update",
        "assessment_campaign.close",
        "assessment_campaign.delete",
    ]


def test_a_campaign_is_read_with_its_results(client, world):
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M4", "K2": "M3", "S1": "achieved"}, group="elu", role="Maire")
    answer(world, campaign, {"K1": "M5", "K2": "M3"}, group="elu", role="Adjoint", by="editor")
    answer(
        world,
        campaign,
        {"K1": "M2", "K5": "M4", "C1": "started"},
        group="agent",
        role="DGS",
        by="contributor",
    )
    body = Client().get(f"{BASE}{campaign.pk}").json()
    assert body["response_count"] == 3
    assert body["results"] == results(
        respondents=3,
        overall=3.56,  # the mean of K1 (3.67), K2 (3.0) and K5 (4.0)
        answered={
            "K1": question("K1", 3.67, M2=1, M4=1, M5=1),
            "K2": question("K2", 3.0, M3=2),
            "K5": question("K5", 4.0, M4=1),
            "S1": question("S1", 3.0, achieved=1),
            "C1": question("C1", 1.0, started=1),
        },
        postures=(3.33, 4.0, None),
        groups=[("elu", "Élu", 2), ("agent", "Agent de la collectivité", 1)],
        spread={
            "K1": {"code": "K1", "means": {"elu": 4.5, "agent": 2.0}, "spread": 2.5, "disagreement": True},
            "K2": {"code": "K2", "means": {"elu": 3.0, "agent": None}, "spread": None, "disagreement": False},
            "K5": {"code": "K5", "means": {"elu": None, "agent": 4.0}, "spread": None, "disagreement": False},
        },
    )


def test_bad_campaigns_are_refused_with_their_fields(client, world):
    cases = [
        ({"title": " "}, {"title": ["Ce champ ne peut pas être vide."]}),
        (
            {"title": "Bilan", "closes_on": (TODAY - datetime.timedelta(days=1)).isoformat()},
            {"closes_on": ["Une campagne ne peut pas se clore avant de s’ouvrir."]},
        ),
        ({"title": "Bilan", "visibility": "secret", "status": "closed"}, {
            "visibility": ["Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."],
            "status": ["Ce champ n'est pas accepté ici."],
        }),
    ]  # fmt: skip
    for payload, expected in cases:
        assert fields(call(client, "post", BASE, payload, "admin", world)) == expected, payload
    assert call(client, "post", BASE, {"title": " "}, "contributor", world).json() == NOT_FOUND
    assert not AssessmentCampaign.objects.exists()
    campaign = open_campaign(world)
    refused = call(client, "patch", f"{BASE}{campaign.pk}", {"title": "  "}, "admin", world)
    assert fields(refused) == {"title": ["Ce champ ne peut pas être vide."]}
    assert AssessmentCampaign.objects.get().title == "Autoévaluation 2026"
    assert audit_actions() == ["assessment_campaign.create"]


# Responses ---------------------------------------------------------------------------------------


def test_responses_are_submitted_listed_replaced_and_deleted(client, world):
    campaign = open_campaign(world)
    entry, outcome = an_entry(world), harvest(world)
    person = a_person(world, "Jeanne Martin")
    url = f"{BASE}{campaign.pk}/responses/"
    payload = {
        "category": "socio_economique",
        "role": "Coopérative",
        "respondent": person.pk,
        "answers": {
            "S1": {"level": "started"},
            "K1": {
                "level": "M3",
                "evidence": "Atelier avec 40 habitants.",
                "journal_entries": [entry.pk],
                "outcomes": [outcome.pk],
            },
        },
    }
    created = call(client, "post", url, payload, "contributor", world)
    assert created.status_code == 201, created.content
    response = AssessmentResponse.objects.get()
    expected = {
        "id": response.pk,
        "campaign": campaign.pk,
        "category": "socio_economique",
        "role": "Coopérative",
        "respondent": person.pk,
        "recorded_at": at(response.recorded_at),
        "updated_at": at(response.updated_at),
        "answers": {  # in the référentiel's order
            "K1": {
                "level": "M3",
                "evidence": "Atelier avec 40 habitants.",
                "journal_entries": [entry.pk],
                "documents": [],
                "outcomes": [outcome.pk],
                "stories": [],
            },
            "S1": {
                "level": "started",
                "evidence": "",
                "journal_entries": [],
                "documents": [],
                "outcomes": [],
                "stories": [],
            },
        },
    }
    assert created.json() == expected
    assert (response.recorded_by, response.category.code, response.category.version.number) == (
        world.people["contributor"],
        "socio_economique",
        2,
    )
    assert list(AssessmentAnswer.objects.values_list("question__code", "level__code", "evidence")) == [
        ("K1", "M3", "Atelier avec 40 habitants."),
        ("S1", "started", ""),
    ]
    theirs = answer(world, campaign, {"K2": "M4"}, group="elu", role="Maire")

    def listed(role):
        body = call(client, "get", url, role=role, world=world).json()
        return body["count"], [row["id"] for row in body["results"]]

    assert listed("viewer") == (2, [response.pk, theirs.pk])
    assert call(client, "get", url, role="admin", world=world).json()["results"][0] == expected
    assert listed("contributor") == (1, [response.pk])
    assert listed("partner_funder") == listed("anonymous") == (0, [])

    one = f"{url}{response.pk}"
    replacement = {
        "category": "socio_economique",
        "role": "Coopérative bio",
        "answers": {"K1": {"level": "M4"}},
    }
    for role in ("viewer", "editor"):  # the viewer reads it, neither may change it
        assert call(client, "put", one, replacement, role, world).json() == NOT_FOUND
    assert call(client, "put", f"{url}{theirs.pk}", replacement, "contributor", world).json() == NOT_FOUND
    replaced = call(client, "put", one, replacement, "contributor", world)
    assert replaced.status_code == 200
    response.refresh_from_db()
    assert replaced.json() == expected | {
        "role": "Coopérative bio",
        "respondent": None,
        "updated_at": at(response.updated_at),
        "answers": {"K1": {"level": "M4"} | NO_EVIDENCE},
    }
    assert list(response.answers.values_list("question__code", "level__code")) == [("K1", "M4")]
    assert AuditEntry.objects.get(action="assessment_response.update").changes == {
        "answers": [{"K1": "M3", "S1": "started"}, {"K1": "M4"}],
        "respondent": [person.pk, None],
        "role": ["Coopérative", "Coopérative bio"],
    }

    assert call(client, "delete", one, role="editor", world=world).json() == NOT_FOUND
    assert call(client, "delete", one, role="contributor", world=world).status_code == 204
    assert call(client, "delete", f"{url}{theirs.pk}", role="admin", world=world).status_code == 204
    assert not AssessmentResponse.objects.exists() and not AssessmentAnswer.objects.exists()
    assert audit_actions() == [
        "assessment_campaign.create",
        "assessment_response.create",
        "assessment_response.create",
        "assessment_response.update",
        "assessment_response.delete",
        "assessment_response.delete",
    ]


def test_an_unchanged_group_keeps_the_response_s_own_row(client, world):
    campaign = open_campaign(world)
    response = answer(world, campaign, {"K1": "M2"}, group="elu")
    _publish_version_3()
    one = f"{BASE}{campaign.pk}/responses/{response.pk}"
    payload = {"category": "elu", "role": "Maire", "answers": {"K1": {"level": "M3"}}}
    assert call(client, "put", one, payload, "admin", world).status_code == 200
    response.refresh_from_db()
    assert (response.category.code, response.category.version.number) == ("elu", 2)
    changed = call(client, "put", one, payload | {"category": "agent"}, "admin", world)
    assert changed.json()["category"] == "agent"
    response.refresh_from_db()
    assert (response.category.code, response.category.version.number) == ("agent", 3)
    assert list(AssessmentAnswer.objects.values_list("level__code", "level__version__number")) == [("M3", 2)]


def test_bad_answers_name_the_question_or_field_and_write_nothing(client, world):
    campaign = open_campaign(world)
    url = f"{BASE}{campaign.pk}/responses/"
    foreign = an_entry(world, "Ailleurs", territory=world.elsewhere)
    base = {"category": "elu", "role": "Maire", "answers": {"K1": {"level": "M3"}}}
    cases = [
        ({"answers": {"K1": {"level": "M6"}, "S1": {"level": "M3"}}}, {
            "K1": [LEVEL_OUT_OF_K], "S1": [LEVEL_OUT_OF_S],
        }),
        ({"answers": {"K99": {"level": "M1"}}}, {"K99": ["K99 n’est pas une question de cette campagne."]}),
        ({"answers": {}, "role": " "}, {
            "role": ["Ce champ ne peut pas être vide."], "answers": ["Répondez à au moins une question."],
        }),
        ({"category": "maire"}, {"category": ["Catégorie d’acteur inconnue : maire."]}),
        ({"respondent": 999999}, {"respondent": ["Choisissez un acteur de ce territoire."]}),
        ({"answers": {"K1": {"level": "M3", "journal_entries": [999999]}}}, {"K1": [FOREIGN_EVIDENCE]}),
        ({"answers": {"K1": {"level": "M3", "journal_entries": [foreign.pk]}}}, {"K1": [FOREIGN_EVIDENCE]}),
        ({"answers": {"K1": {"evidence": "Rien", "score": 3}}}, {
            "answers.K1.level": ["Ce champ est obligatoire."],
            "answers.K1.score": ["Ce champ n'est pas accepté ici."],
        }),
    ]  # fmt: skip
    for changes, expected in cases:
        assert fields(call(client, "post", url, base | changes, "editor", world)) == expected, changes
    bad_level = base | {"answers": {"K1": {"level": "M6"}}}
    assert call(client, "post", url, bad_level, "viewer", world).json() == NOT_FOUND  # rights first
    assert not AssessmentResponse.objects.exists() and not AssessmentAnswer.objects.exists()

    response = answer(world, campaign, {"K1": "M2"}, by="editor")
    refused = call(client, "put", f"{url}{response.pk}", bad_level, "editor", world)
    assert fields(refused) == {"K1": [LEVEL_OUT_OF_K]}
    assert list(AssessmentAnswer.objects.values_list("question__code", "level__code")) == [("K1", "M2")]
    assert audit_actions() == ["assessment_campaign.create", "assessment_response.create"]


def test_a_closed_campaign_takes_no_answer_and_no_change(client, world):
    campaign = open_campaign(world)
    response = answer(world, campaign, {"K1": "M2"}, by="editor")
    campaign_close(actor=world.people["admin"], campaign=campaign)
    url = f"{BASE}{campaign.pk}/responses/"
    payload = {"category": "elu", "role": "Maire", "answers": {"K1": {"level": "M5"}}}
    expected = {"campaign": [closed_message(campaign)]}
    assert fields(call(client, "post", url, payload, "contributor", world)) == expected
    assert fields(call(client, "put", f"{url}{response.pk}", payload, "editor", world)) == expected
    assert fields(call(client, "delete", f"{url}{response.pk}", role="admin", world=world)) == expected
    assert list(AssessmentAnswer.objects.values_list("response__role", "level__code")) == [("Maire", "M2")]
    assert AssessmentResponse.objects.count() == 1


def test_evidence_the_caller_may_not_read_is_left_out_and_kept(client, world):
    campaign = open_campaign(world)
    public, private = an_entry(world, "Atelier"), an_entry(world, "Bureau municipal", visibility="private")
    response = answer(world, campaign, {"K1": "M2"}, by="contributor", group="socio_economique", role="Asso")
    AssessmentAnswer.objects.get().journal_entries.set([public, private])  # as the admin would link them
    one = f"{BASE}{campaign.pk}/responses/{response.pk}"
    read = call(client, "get", f"{BASE}{campaign.pk}/responses/", role="contributor", world=world).json()
    assert read["results"][0]["answers"]["K1"]["journal_entries"] == [public.pk]
    team = call(client, "get", f"{BASE}{campaign.pk}/responses/", role="viewer", world=world).json()
    assert team["results"][0]["answers"]["K1"]["journal_entries"] == sorted([public.pk, private.pk])
    payload = {"category": "socio_economique", "role": "Asso", "answers": {"K1": {"level": "M3"}}}
    changed = call(client, "put", one, payload, "contributor", world)
    assert changed.json()["answers"]["K1"]["journal_entries"] == []
    assert list(AssessmentAnswer.objects.get().journal_entries.all()) == [private]


# Who reads and writes what -----------------------------------------------------------------------


READERS = {
    "public": set(ROLES),
    "alliance": set(ROLES) - {"anonymous"},
    "partners": {"admin", "editor", "viewer", "contributor", "partner_funder"},
    "private": {"admin", "editor", "viewer"},
}
RUNNERS = {"admin"}
ANSWERERS = {"admin", "editor", "contributor"}


@pytest.mark.parametrize("visibility", ["private", "partners", "alliance", "public"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_opens_answers_changes_and_deletes_as_its_rights_say(client, role, visibility):
    world = build_world()
    campaign = open_campaign(world, visibility=visibility)
    one = f"{BASE}{campaign.pk}"
    reads = role in READERS[visibility]
    refused = 401 if role == "anonymous" else 404

    def status(method, url, payload=None):
        return call(client, method, url, payload, role, world).status_code

    assert status("get", one) == (200 if reads else 404)
    assert status("get", f"{one}/responses/") == (200 if reads else 404)
    assert status("get", BASE) == 200
    opened = {"title": "Bilan de mi-mandat", "visibility": visibility}
    assert status("post", BASE, opened) == (201 if role in RUNNERS else refused)
    answers = {"category": "elu", "role": "Élu", "answers": {"K1": {"level": "M3"}}}
    assert status("post", f"{one}/responses/", answers) == (201 if reads and role in ANSWERERS else refused)
    assert status("patch", one, {"title": "Bilan"}) == (200 if role in RUNNERS else refused)
    assert status("post", f"{one}/close") == (200 if role in RUNNERS else refused)
    assert status("delete", one) == (204 if role in RUNNERS else refused)
    # The admin opened a second campaign and deleted the first, with the response they gave.
    answered = reads and role in ANSWERERS - RUNNERS
    written = (1, 1 if answered else 0)
    assert (AssessmentCampaign.objects.count(), AssessmentResponse.objects.count()) == written


def test_a_private_campaign_answers_exactly_like_a_missing_one(client, world):
    campaign = open_campaign(world, visibility="private")
    response = answer(world, campaign, {"K1": "M2"})
    answers = {"category": "elu", "role": "Maire", "answers": {"K1": {"level": "M4"}}}
    writes = [
        ("patch", "", {"title": "X"}),
        ("patch", "", {"title": " "}),
        ("post", "/close", None),
        ("delete", "", None),
        ("post", "/responses/", answers),
        ("post", "/responses/", answers | {"category": "maire"}),
        ("put", f"/responses/{response.pk}", answers),
        ("delete", f"/responses/{response.pk}", None),
    ]
    outsiders = ("anonymous", "member_elsewhere", "contributor", "partner_funder", "other_funder", "staff")
    for role in outsiders:
        headers = auth(world, role)
        for pk in (campaign.pk, campaign.pk + 1000):
            for suffix in ("", "/responses/"):
                read = client.get(f"{BASE}{pk}{suffix}", headers=headers)
                assert (read.status_code, read.json()) == (404, NOT_FOUND), (role, suffix)
            for method, suffix, payload in writes:
                written = getattr(client, method)(
                    f"{BASE}{pk}{suffix}", payload, content_type="application/json", headers=headers
                )
                if role == "anonymous":  # writes ask to sign in first, whatever the address
                    assert written.status_code == 401, (method, suffix)
                else:
                    assert (written.status_code, written.json()) == (404, NOT_FOUND), (role, method, suffix)
        assert call(client, "get", BASE, role=role, world=world).json()["count"] == 0
        assert call(client, "get", f"{BASE}history", role=role, world=world).json()["campaigns"] == []
    elsewhere = f"/api/v1/territories/grande-synthe/assessments/{campaign.pk}"
    assert call(client, "get", elsewhere, world=world).json() == NOT_FOUND
    assert call(client, "patch", elsewhere, {"title": "X"}, world=world).json() == NOT_FOUND
    assert AssessmentCampaign.objects.get().title == "Autoévaluation 2026"
    assert list(AssessmentAnswer.objects.values_list("level__code", flat=True)) == ["M2"]


# The history -------------------------------------------------------------------------------------


def test_the_history_compares_closed_campaigns_by_code_across_versions(client, world):
    first = open_campaign(world, title="Autoévaluation 2025")
    answer(world, first, {"K1": "M2", "K2": "M4"})
    answer(world, first, {"K1": "M3"}, by="editor", group="agent", role="DGS")
    campaign_close(actor=world.people["admin"], campaign=first)
    _publish_version_3()
    second = open_campaign(world, title="Autoévaluation 2026")
    answer(world, second, {"K1": "M4", "K3": "M5"})
    campaign_close(actor=world.people["admin"], campaign=second)
    open_campaign(world, title="En cours")  # not closed: not in the history
    open_campaign(world, title="Bureau", visibility="private")

    body = Client().get(f"{BASE}history").json()
    means = {"K1": [2.5, 4.0], "K2": [4.0, None], "K3": [None, 5.0]}
    assert body == {
        "campaigns": [
            {
                "id": first.pk,
                "title": "Autoévaluation 2025",
                "version": 2,
                "opened_on": TODAY.isoformat(),
                "closed_on": TODAY.isoformat(),
            },
            {
                "id": second.pk,
                "title": "Autoévaluation 2026",
                "version": 3,
                "opened_on": TODAY.isoformat(),
                "closed_on": TODAY.isoformat(),
            },
        ],
        "key_actions": [
            {"code": code, "label": label, "means": means.get(code, [None, None])}
            for code, label in KEY_ACTIONS.items()
        ],
        "overall": [3.25, 4.5],
    }


# Costs -------------------------------------------------------------------------------------------


def test_reading_costs_the_same_queries_whatever_the_number_of_responses(client, world):
    campaign = open_campaign(world)
    entry, outcome = an_entry(world), harvest(world)
    answer(world, campaign, all_key_actions("M3") | {"S1": "started"})
    first = AssessmentAnswer.objects.filter(question__code="K1").get()
    first.journal_entries.add(entry)
    first.outcomes.add(outcome)
    client.force_login(world.people["viewer"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [f"{BASE}{campaign.pk}", f"{BASE}{campaign.pk}/responses/", BASE, f"{BASE}history"]
    before = [count(url) for url in urls]
    for index, (role, group) in enumerate((("editor", "agent"), ("contributor", "socio_economique"))):
        response = answer(world, campaign, all_key_actions("M4") | {"C1": "achieved"}, by=role, group=group)
        for stored in response.answers.all():
            stored.journal_entries.add(an_entry(world, f"Atelier {index}"))
            stored.outcomes.add(outcome)
        open_campaign(world, title=f"Campagne {index}")
    assert [count(url) for url in urls] == before


def test_an_answer_links_stories_of_change_by_id(client, world):
    from tests.evaluation.test_stories import a_domain, a_period, a_story

    campaign = open_campaign(world)
    story = a_story(world, a_period(world), a_domain(world))
    url = f"{BASE}{campaign.pk}/responses/"
    payload = {"category": "elu", "role": "Maire", "answers": {"K1": {"level": "M2", "stories": [story.pk]}}}
    created = call(client, "post", url, payload, "admin", world)
    assert created.json()["answers"]["K1"]["stories"] == [story.pk]
    assert list(AssessmentAnswer.objects.get().stories.all()) == [story]
    payload["answers"]["K1"]["stories"] = [story.pk + 1000]
    refused = call(client, "post", url, payload | {"role": "Adjointe"}, "admin", world)
    assert (refused.status_code, AssessmentAnswer.objects.count()) == (422, 1)
