"""The evaluation in the API: a period's evaluation read as each caller may read it, in the order of
the page; reports asked for by the writers, generated in the background, listed, read and
downloaded by those who may read them; forbidden exactly like missing; a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, call, fields
from tests.evaluation.test_evaluation_pages import an_evaluated_period
from tests.evaluation.test_stories import a_domain, a_period, a_round, a_story
from tests.trust.world import build_world
from trajectoires.evaluation.models import (
    AssessmentCampaign,
    ChangeStory,
    EvaluationReport,
    Outcome,
)

pytestmark = pytest.mark.django_db
TERRITORY = "/api/v1/territories/ungersheim/"
REPORTS = TERRITORY + "evaluation-reports/"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def evaluated(world):
    return an_evaluated_period(world)


def evaluation_url(period) -> str:
    return f"{TERRITORY}reporting-periods/{period.pk}/evaluation"


def story_id(title: str) -> int:
    return ChangeStory.objects.get(title=title).pk


def outcome_id(who: str) -> int:
    return Outcome.objects.get(who=who).pk


def test_the_evaluation_of_a_period_reads_as_the_caller_may_read_it(client, world, evaluated):
    response = client.get(evaluation_url(evaluated))
    assert response.status_code == 200, response.content
    body = response.json()
    canteen = story_id("La cantine a changé nos menus")
    assert list(body) == [
        "territory",
        "period",
        "selected",
        "other_stories",
        "effects",
        "outcomes",
        "self_assessment",
        "history",
        "indicators",
        "celebrations",
    ]
    assert body["period"] == {
        "id": evaluated.pk,
        "label": "Printemps 2026",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
    }
    assert [(story["id"], story["title"], story["teller"]) for story in body["selected"]] == [
        (canteen, "La cantine a changé nos menus", "Sonia")
    ]
    assert [(r["reasons"], r["dissent"]) for r in body["selected"][0]["rounds"]] == [
        ("Elle montre un lien nouveau entre producteurs et familles.", "Deux voix pour le bus.")
    ]
    assert body["selected"][0]["why_significant"] == "Mes enfants mangent ce que je cultive."
    assert body["other_stories"] == [
        {"id": story_id("Le bus du mardi"), "title": "Le bus du mardi", "domain": "Vie quotidienne"}
    ]
    assert body["effects"] == [
        {
            "code": "cooperation",
            "label": "Coopération",
            "level": None,
            "reasoning": "",
            "stories": [],
            "outcomes": [],
            "network_round": None,
        },
        {
            "code": "posture",
            "label": "Posture",
            "level": "growing",
            "reasoning": "Les élus co-construisent désormais les arbitrages.",
            "stories": [canteen],
            "outcomes": [],
            "network_round": None,
        },
        {
            "code": "resilience",
            "label": "Résilience",
            "level": None,
            "reasoning": "",
            "stories": [],
            "outcomes": [],
            "network_round": None,
        },
    ]
    assert body["outcomes"] == [
        {
            "id": outcome_id("Maraîchers du secteur"),
            "who": "Maraîchers du secteur",
            "change_kind": "practice",
            "description": "Ils livrent la cantine en circuit court.",
            "observed_on": "2026-04-20",
            "significance": "La moitié des repas est locale.",
            "contribution": "La régie agricole a formé les maraîchers.",
            "intended": True,
            "valence": "positive",
        }
    ]
    assessment = body["self_assessment"]
    campaign = AssessmentCampaign.objects.get()
    assert {key: assessment[key] for key in ("campaign", "title", "closed_on", "respondents", "overall")} == {
        "campaign": campaign.pk,
        "title": "Autoévaluation 2026",
        "closed_on": "2026-06-01",
        "respondents": 2,
        "overall": 3.5,
    }
    assert [
        (row["code"], row["mean"], row["disagreement"]) for row in assessment["key_actions"] if row["mean"]
    ] == [("K1", 3.5, False), ("K4", 3.5, True)]
    assert assessment["key_actions"][3]["label"] == "Installer une gouvernance ouverte"
    assert body["history"]["campaigns"][0]["title"] == "Autoévaluation 2026"
    assert body["history"]["overall"] == [3.5]
    assert [(row["name"], row["unit"], row["target"], row["actual"]) for row in body["indicators"]] == [
        ("Part de bio à la cantine", "%", 50.0, 42.0)
    ]
    assert [(row["title"], row["achieved_on"]) for row in body["celebrations"]] == [
        ("Première livraison locale", "2026-05-15")
    ]
    assert "confidentielle" not in response.content.decode()

    team = call(client, "get", evaluation_url(evaluated), role="viewer", world=world).json()
    secret = story_id("Une histoire confidentielle")
    assert [(story["title"], story["teller"]) for story in team["selected"]] == [
        ("La cantine a changé nos menus", "Sonia"),
        ("Une histoire confidentielle", "Paul"),
    ]
    assert (team["effects"][2]["level"], team["effects"][2]["stories"]) == ("emerging", [secret])
    assert [outcome["who"] for outcome in team["outcomes"]] == [
        "Le club de football",
        "Maraîchers du secteur",
    ]
    assert [row["name"] for row in team["indicators"]] == ["Budget du plan", "Part de bio à la cantine"]
    assert team["indicators"][0] == {
        "id": team["indicators"][0]["id"],
        "name": "Budget du plan",
        "unit": "€",
        "target": 1000.0,
        "actual": None,
        "comment": "",
    }


def test_an_anonymous_teller_is_named_to_the_team_only(client, world):
    period, domain = a_period(world), a_domain(world)
    story = a_story(world, period, domain, teller_name="Odile", anonymous=True)
    a_round(world, period, [story], story, visibility="public")
    assert client.get(evaluation_url(period)).json()["selected"][0]["teller"] == "Personne anonyme"
    team = call(client, "get", evaluation_url(period), role="editor", world=world).json()
    assert team["selected"][0]["teller"] == "Odile"


def test_a_period_of_another_territory_or_missing_answers_404(client, world, evaluated):
    elsewhere = a_period(world, label="Ailleurs")
    elsewhere.territory = world.elsewhere
    elsewhere.save()
    assert client.get(evaluation_url(elsewhere)).json() == NOT_FOUND
    assert client.get(f"{TERRITORY}reporting-periods/999999/evaluation").json() == NOT_FOUND
    assert (
        client.get(f"/api/v1/territories/nowhere/reporting-periods/{evaluated.pk}/evaluation").status_code
        == 404
    )


def test_the_evaluation_reads_in_the_same_number_of_queries(client, world, evaluated):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert (
                call(client, "get", evaluation_url(evaluated), role="viewer", world=world).status_code == 200
            )
        return len(queries)

    once = cost()
    domain = a_domain(world, name="Mobilités")
    stories = [a_story(world, evaluated, domain, title=f"Histoire {n}") for n in range(3)]
    a_round(world, evaluated, stories, stories[1], domain=domain, visibility="public")
    a_round(world, evaluated, stories, stories[2], domain=domain, visibility="private")
    assert cost() == once


# Reports -----------------------------------------------------------------------------------------


def test_a_writer_asks_for_a_report_that_is_generated_then_downloaded(
    client, world, evaluated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = call(
            client, "post", REPORTS, {"period": evaluated.pk, "visibility": "public"}, world=world
        )
        assert response.status_code == 201, response.content
        pending = response.json()
        report = EvaluationReport.objects.get()
        assert pending == {
            "id": report.pk,
            "territory": "ungersheim",
            "title": "Évaluation de Ungersheim — Printemps 2026",
            "period": evaluated.pk,
            "visibility": "public",
            "status": "pending",
            "language": "fr",
            "size": 0,
            "requested_at": pending["requested_at"],
            "generated_at": None,
            "generation_seconds": None,
            "pdf": None,
        }
        assert client.get(f"{REPORTS}{report.pk}/pdf").json() == NOT_FOUND  # not ready yet
    assert len(callbacks) == 1
    ready = client.get(f"{REPORTS}{report.pk}").json()
    assert (ready["status"], ready["size"] > 10_000) == ("ready", True)
    assert ready["generated_at"] is not None and ready["generation_seconds"] >= 0
    assert ready["pdf"] == f"http://testserver{REPORTS}{report.pk}/pdf"
    listed = client.get(REPORTS).json()
    assert (listed["count"], [row["id"] for row in listed["results"]]) == (1, [report.pk])
    assert client.get(f"{REPORTS}?period={evaluated.pk + 1}").json()["count"] == 0
    download = client.get(f"{REPORTS}{report.pk}/pdf")
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_a_team_report_is_read_by_the_team_only(client, world, evaluated, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, "post", REPORTS, {"period": evaluated.pk}, role="editor", world=world)
    assert response.json()["visibility"] == "private"
    pk = response.json()["id"]
    for role in ("anonymous", "contributor", "partner_funder", "member_elsewhere"):
        assert call(client, "get", REPORTS, role=role, world=world).json()["count"] == 0, role
        assert call(client, "get", f"{REPORTS}{pk}", role=role, world=world).json() == NOT_FOUND, role
        assert call(client, "get", f"{REPORTS}{pk}/pdf", role=role, world=world).json() == NOT_FOUND, role
    download = call(client, "get", f"{REPORTS}{pk}/pdf", role="viewer", world=world)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_only_the_writers_ask_for_a_report_and_the_input_is_checked(client, world, evaluated):
    payload = {"period": evaluated.pk, "visibility": "public"}
    response = client.post(REPORTS, payload, content_type="application/json")
    assert response.status_code == 401
    for role in ("contributor", "viewer", "partner_funder", "member_elsewhere", "staff"):
        assert call(client, "post", REPORTS, payload, role=role, world=world).json() == NOT_FOUND, role
    elsewhere = a_period(world, label="Ailleurs")
    elsewhere.territory = world.elsewhere
    elsewhere.save()
    assert fields(call(client, "post", REPORTS, {"period": elsewhere.pk}, world=world)) == {
        "period": ["Choisissez une période de collecte de ce territoire."]
    }
    assert "visibility" in fields(
        call(client, "post", REPORTS, {"period": evaluated.pk, "visibility": "everyone"}, world=world)
    )
    assert "when" in fields(
        call(client, "post", REPORTS, {"period": evaluated.pk, "when": "now"}, world=world)
    )
    assert not EvaluationReport.objects.exists()
    assert call(client, "post", REPORTS, payload, world=world).status_code == 201
    assert EvaluationReport.objects.count() == 1
