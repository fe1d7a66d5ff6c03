"""The coherence matrix in the API: the same cells, rights and checks as the pages."""

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tests.planning import test_coherence as planning
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.planning.models import CoherenceAssessment

pytestmark = pytest.mark.django_db
# The planning tests' fixtures and helpers, shared.
world, make_vision, make_document = planning.world, planning.make_vision, planning.make_document
assess, orientations_of = planning.assess, planning.orientations_of
BASE = "/api/v1/territories/ungersheim/coherence"


def as_json(moment):
    return DjangoJSONEncoder().default(moment)


def auth(world, role, scope="read_write"):
    _token, raw = api_token_create(user=world.people[role], name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def small_matrix(world, make_vision, make_document):
    food, mobility = orientations_of(make_vision("Se nourrir", "Se déplacer"))
    sraddet = make_document("SRADDET Grand Est", "sraddet", "region:44", status="under_revision")
    plu = make_document("PLU d’Ungersheim", review_due_on="2027-01-15")
    cell = assess(world, plu, mobility, "contradictory", "Parkings obligatoires en centre-bourg.")
    return {"food": food, "mobility": mobility, "sraddet": sraddet, "plu": plu, "cell": cell}


def test_anyone_reads_a_public_matrix_with_its_summary(client, world, small_matrix):
    food, mobility = small_matrix["food"], small_matrix["mobility"]
    sraddet, plu = small_matrix["sraddet"], small_matrix["plu"]
    assessed_at = as_json(small_matrix["cell"].assessed_at)
    response = client.get(BASE)
    assert response.status_code == 200

    def blank(document, orientation):
        return {
            "document": document.pk,
            "orientation": orientation.pk,
            "value": "not_assessed",
            "reason": "",
            "assessed_by": None,
            "assessed_at": None,
        }

    assert response.json() == {
        "territory": "ungersheim",
        "documents": [
            {
                "id": sraddet.pk,
                "title": "SRADDET Grand Est",
                "type": "sraddet",
                "writer": "region-44",
                "status": "under_revision",
                "review_due_on": None,
            },
            {
                "id": plu.pk,
                "title": "PLU d’Ungersheim",
                "type": "plu",
                "writer": "commune-68343",
                "status": "adopted",
                "review_due_on": "2027-01-15",
            },
        ],
        "orientations": [{"id": food.pk, "title": "Se nourrir"}, {"id": mobility.pk, "title": "Se déplacer"}],
        "cells": [
            blank(sraddet, food),
            blank(sraddet, mobility),
            blank(plu, food),
            {
                "document": plu.pk,
                "orientation": mobility.pk,
                "value": "contradictory",
                "reason": "Parkings obligatoires en centre-bourg.",
                "assessed_by": "Editor",
                "assessed_at": assessed_at,
            },
        ],
        "summary": {
            "coherent": 0,
            "neutral": 0,
            "contradictory": 1,
            "not_assessed": 3,
            "due_for_review": [plu.pk, sraddet.pk],
        },
    }
    cell = client.get(f"{BASE}/{plu.pk}/{mobility.pk}")
    assert cell.json()["reason"] == "Parkings obligatoires en centre-bourg."
    assert client.get(f"{BASE}/{plu.pk}/{food.pk}").json()["value"] == "not_assessed"


def test_a_private_vision_leaves_visitors_no_column_and_no_cell(client, world, small_matrix):
    vision = small_matrix["food"].vision
    vision.visibility = "private"
    vision.save()
    body = client.get(BASE).json()
    assert (len(body["documents"]), body["orientations"], body["cells"]) == (2, [], [])
    assert body["summary"] == {
        "coherent": 0,
        "neutral": 0,
        "contradictory": 0,
        "not_assessed": 0,
        "due_for_review": [small_matrix["plu"].pk, small_matrix["sraddet"].pk],
    }
    plu, mobility = small_matrix["plu"], small_matrix["mobility"]
    hidden = client.get(f"{BASE}/{plu.pk}/{mobility.pk}")
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "not_found")
    team = client.get(f"{BASE}/{plu.pk}/{mobility.pk}", headers=auth(world, "viewer", "read"))
    assert team.json()["value"] == "contradictory"


def test_an_editor_assesses_and_clears_a_cell(client, world, small_matrix):
    sraddet, food = small_matrix["sraddet"], small_matrix["food"]
    url = f"{BASE}/{sraddet.pk}/{food.pk}"
    response = client.put(
        url,
        {"value": "coherent", "reason": "Objectif de sobriété foncière."},
        content_type="application/json",
        headers=auth(world, "editor"),
    )
    assert response.status_code == 200
    row = CoherenceAssessment.objects.get(document=sraddet, orientation=food)
    assert response.json() == {
        "document": sraddet.pk,
        "orientation": food.pk,
        "value": "coherent",
        "reason": "Objectif de sobriété foncière.",
        "assessed_by": "Editor",
        "assessed_at": as_json(row.assessed_at),
    }
    assert AuditEntry.objects.filter(action="coherence.assess").latest("id").changes["value"] == [
        None,
        "coherent",
    ]
    deleted = client.delete(url, headers=auth(world, "admin"))
    assert deleted.status_code == 204
    assert not CoherenceAssessment.objects.filter(document=sraddet, orientation=food).exists()
    assert AuditEntry.objects.get(action="coherence.clear").changes["value"] == ["coherent", None]
    assert client.get(url).json()["value"] == "not_assessed"


@pytest.mark.parametrize(
    ("caller", "status", "code"),
    [
        ("viewer", 404, "not_found"),
        ("contributor", 404, "not_found"),
        ("read_token", 403, "read_only_token"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_others_may_not_write(client, world, small_matrix, caller, status, code):
    plu, mobility = small_matrix["plu"], small_matrix["mobility"]
    headers = {
        "viewer": auth(world, "viewer"),
        "contributor": auth(world, "contributor"),
        "read_token": auth(world, "editor", "read"),
        "anonymous": {},
    }[caller]
    url = f"{BASE}/{plu.pk}/{mobility.pk}"
    put = client.put(
        url, {"value": "coherent", "reason": "Oui."}, content_type="application/json", headers=headers
    )
    delete = client.delete(url, headers=headers)
    for response in (put, delete):
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert CoherenceAssessment.objects.get(document=plu, orientation=mobility).value == "contradictory"


def test_bad_input_names_the_field_and_writes_nothing(
    client, world, small_matrix, make_vision, make_document
):
    plu, food = small_matrix["plu"], small_matrix["food"]
    (elsewhere_food,) = orientations_of(make_vision("Se nourrir ailleurs", territory=world.elsewhere))
    far = make_document("PLU de Grande-Synthe", writer="59271", territory=world.elsewhere)
    hidden = make_document("PAT du Haut-Rhin", "pat", "68", territory=world.elsewhere, visibility="private")
    headers = auth(world, "editor")

    def put(document, orientation, payload):
        return client.put(
            f"{BASE}/{document.pk}/{orientation.pk}",
            payload,
            content_type="application/json",
            headers=headers,
        )

    good = {"value": "neutral", "reason": "Rien à signaler."}
    cases = [
        (put(plu, food, good | {"value": "excellent"}), {"value"}),
        (
            put(plu, food, good | {"reason": "  "}),
            {"reason": ["Dites pourquoi : c’est la raison que le conseil discutera."]},
        ),
        (
            put(plu, elsewhere_food, good),
            {"orientation": ["Choisissez une orientation de la vision de ce territoire."]},
        ),
        (
            put(far, food, good),
            {
                "document": [
                    "Choisissez un document de planification en vigueur qui s’impose à ce territoire."
                ]
            },
        ),
        (put(plu, food, good | {"colour": "red"}), {"colour"}),
    ]
    for response, fields in cases:
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert (set(error["fields"]) if isinstance(fields, set) else error["fields"]) == fields
    # A document the caller may not read is not there at all.
    assert put(hidden, food, good).status_code == 404
    assert CoherenceAssessment.objects.count() == 1  # the fixture's own cell
    assert AuditEntry.objects.filter(action="coherence.assess").count() == 1
