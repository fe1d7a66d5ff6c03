"""The systemic effects in the API: the three effects of a period with the ids of their evidence,
assessed, changed and deleted by the writers with the same rules as the pages; who reads what, and
forbidden exactly like missing, before any check of the input."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, auth, call, fields
from tests.cooperation.network_data import survey_round
from tests.evaluation.test_effects import assess
from tests.evaluation.test_outcomes import harvest
from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import EffectAssessment

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/effects/"
NO_EVIDENCE = (
    "Appuyez l’appréciation sur au moins une histoire, un résultat ou un relevé du réseau de coopération."
)
FOREIGN_EVIDENCE = "Choisissez des preuves de ce territoire."
NETWORK_ONLY = "Le réseau de coopération n’appuie que l’effet coopération."
TWICE = "Cet effet est déjà apprécié pour cette période."


@pytest.fixture
def world():
    return build_world()


def an_autumn(world):
    return a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )


def spring_out(period):
    return {"id": period.pk, "label": "Printemps 2026", "starts_on": "2026-03-01", "ends_on": "2026-06-30"}


def test_an_effect_is_assessed_read_listed_changed_and_deleted(client, world):
    spring = a_period(world)
    story = a_story(world, spring, a_domain(world))
    canteen = harvest(world, "La cantine scolaire")
    survey = survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
    payload = {
        "period": spring.pk,
        "effect": "cooperation",
        "level": "emerging",
        "reasoning": "Les agents et les maraîchers se parlent désormais.",
        "stories": [story.pk],
        "outcomes": [canteen.pk],
        "network_round": survey.pk,
        "visibility": "public",
    }
    response = call(client, "post", BASE, payload, "editor", world)
    assert response.status_code == 201, response.content
    stored = EffectAssessment.objects.get()
    expected = {"id": stored.pk} | payload
    assert response.json() == expected
    assert (stored.author, AuditEntry.objects.filter(action="effect_assessment.create").count()) == (
        world.people["editor"],
        1,
    )
    anonymous = Client()
    assert anonymous.get(f"{BASE}{stored.pk}").json() == expected
    assert anonymous.get(BASE).json() == {
        "period": spring_out(spring),
        "effects": [
            {"effect": "cooperation", "label": "Coopération", "assessment": expected},
            {"effect": "posture", "label": "Posture", "assessment": None},
            {"effect": "resilience", "label": "Résilience", "assessment": None},
        ],
    }

    url = f"{BASE}{stored.pk}"
    changed = call(
        client, "patch", url, {"level": "growing", "stories": [], "network_round": None}, "admin", world
    )
    assert changed.status_code == 200, changed.content
    assert changed.json() == expected | {"level": "growing", "stories": [], "network_round": None}
    assert AuditEntry.objects.get(action="effect_assessment.update").changes == {
        "level": ["emerging", "growing"],
        "network_round": [survey.pk, None],
        "stories": [[story.pk], []],
    }
    assert call(client, "delete", url, role="viewer", world=world).json() == NOT_FOUND
    assert call(client, "delete", url, role="editor", world=world).status_code == 204
    assert not EffectAssessment.objects.exists()
    assert AuditEntry.objects.filter(action="effect_assessment.delete").count() == 1


def test_the_list_shows_a_period_chosen_by_id_or_the_latest(client, world):
    autumn, spring = an_autumn(world), a_period(world)
    story = a_story(world, autumn, a_domain(world))
    posture = assess(world, autumn, "posture", stories=[story], visibility="public")
    latest = Client().get(BASE).json()
    assert latest["period"] == spring_out(spring)
    assert [row["assessment"] for row in latest["effects"]] == [None, None, None]
    chosen = Client().get(BASE, {"period": autumn.pk}).json()
    assert chosen["period"]["label"] == "Automne 2025"
    assert [row["assessment"] and row["assessment"]["id"] for row in chosen["effects"]] == [
        None,
        posture.pk,
        None,
    ]
    assert Client().get(BASE, {"period": spring.pk + 1000}).json() == NOT_FOUND
    assert list(fields(Client().get(BASE, {"period": "printemps"}))) == ["period"]


def test_without_a_period_the_three_effects_are_listed_unassessed(client, world):
    assert Client().get(BASE).json() == {
        "period": None,
        "effects": [
            {"effect": "cooperation", "label": "Coopération", "assessment": None},
            {"effect": "posture", "label": "Posture", "assessment": None},
            {"effect": "resilience", "label": "Résilience", "assessment": None},
        ],
    }


def test_who_reads_what_private_assessments_and_evidence(client, world):
    spring = a_period(world)
    story = a_story(world, spring, a_domain(world))
    secret = harvest(world, "Le conseil municipal", visibility="private")
    posture = assess(world, spring, "posture", stories=[story], outcomes=[secret], visibility="public")
    resilience = assess(world, spring, "resilience", outcomes=[secret])

    def assessments(role):
        body = Client().get(BASE, headers=auth(world, role)).json()
        return [
            (row["effect"], row["assessment"] and row["assessment"]["outcomes"]) for row in body["effects"]
        ]

    assert assessments("anonymous") == [("cooperation", None), ("posture", []), ("resilience", None)]
    assert assessments("contributor") == [("cooperation", None), ("posture", []), ("resilience", None)]
    assert assessments("viewer") == [
        ("cooperation", None),
        ("posture", [secret.pk]),
        ("resilience", [secret.pk]),
    ]
    assert Client().get(f"{BASE}{resilience.pk}").json() == NOT_FOUND
    assert Client().get(f"{BASE}{posture.pk}").json()["stories"] == [story.pk]


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    spring = a_period(world)
    story = a_story(world, spring, a_domain(world))
    foreign = harvest(world, "Mairie de Grande-Synthe")
    foreign.territory = world.elsewhere
    foreign.save()
    survey = survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
    payload = {"period": spring.pk, "effect": "posture", "level": "growing", "reasoning": "Ça bouge."}
    cases = [
        ({}, {"evidence": [NO_EVIDENCE]}),
        ({"outcomes": [foreign.pk]}, {"outcomes": [FOREIGN_EVIDENCE]}),
        ({"stories": [999999]}, {"stories": [FOREIGN_EVIDENCE]}),
        ({"network_round": survey.pk}, {"network_round": [NETWORK_ONLY]}),
        ({"effect": "bonheur", "stories": [story.pk]}, {
            "effect": ["Choisissez un effet systémique : coopération, posture ou résilience."]
        }),
        ({"period": 999999, "stories": [story.pk]}, {
            "period": ["Choisissez une période de collecte de ce territoire."]
        }),
        ({"reasoning": " ", "stories": [story.pk]}, {"reasoning": ["Ce champ ne peut pas être vide."]}),
    ]  # fmt: skip
    for changes, expected in cases:
        assert fields(call(client, "post", BASE, payload | changes, "editor", world)) == expected, changes
    assert set(
        fields(call(client, "post", BASE, payload | {"level": "soaring", "author": 1}, "editor", world))
    ) == {
        "level",
        "author",
    }
    assert not EffectAssessment.objects.exists()
    assess(world, spring, "posture", stories=[story])
    assert fields(call(client, "post", BASE, payload | {"stories": [story.pk]}, "editor", world)) == {
        "effect": [TWICE]
    }
    assert EffectAssessment.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="effect_assessment").count() == 1


def test_a_forbidden_write_answers_exactly_like_a_missing_one(client, world):
    spring = a_period(world)
    story = a_story(world, spring, a_domain(world))
    posture = assess(world, spring, "posture", stories=[story], visibility="public")
    resilience = assess(world, spring, "resilience", stories=[story])
    good = {
        "period": spring.pk,
        "effect": "cooperation",
        "level": "growing",
        "reasoning": "X",
        "stories": [story.pk],
    }
    bad = good | {"stories": []}
    for role in ("anonymous", "viewer", "contributor", "member_elsewhere", "partner_funder"):
        for method, url, payload in (
            ("post", BASE, good),
            ("post", BASE, bad),  # the right is checked before the rules
            ("patch", f"{BASE}{posture.pk}", {"level": "receding"}),
            ("patch", f"{BASE}{resilience.pk}", {"stories": []}),
            ("delete", f"{BASE}{posture.pk}", None),
        ):
            response = call(client, method, url, payload, role, world)
            expected = 401 if role == "anonymous" else 404
            assert response.status_code == expected, (role, method, url)
    assert call(
        client, "patch", f"{BASE}{posture.pk + 1000}", {"level": "receding"}, "admin", world
    ).json() == (NOT_FOUND)
    assert EffectAssessment.objects.count() == 2
    assert EffectAssessment.objects.get(pk=posture.pk).level == "growing"


def test_the_list_costs_the_same_whatever_the_evidence(client, world):
    spring = a_period(world)
    domain = a_domain(world)
    story = a_story(world, spring, domain)
    assess(world, spring, "posture", stories=[story], visibility="public")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(BASE).status_code == 200
        return len(queries)

    once = cost()
    stories = [a_story(world, spring, domain, title=f"Histoire {n}") for n in range(4)]
    outcomes = [harvest(world, f"Acteur {n}") for n in range(4)]
    assess(world, spring, "cooperation", stories=stories, outcomes=outcomes, visibility="public")
    assess(world, spring, "resilience", outcomes=outcomes, visibility="public")
    assert cost() == once
