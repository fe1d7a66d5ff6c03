"""The référentiel through the API: the version the page shows, its grids and their items."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_current_version_and_its_grids_as_on_the_page(client):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/referential/").json()
    assert len(queries) == 3  # the version, its grids, their items with their parents
    assert {key: answer[key] for key in ("number", "label", "published_on", "source")} == {
        "number": 2,
        "label": "Référentiel Trajectoires 2026 — échelles d’autoévaluation",
        "published_on": "2026-12-06",
        "source": "« Passer à l'échelle — Recommandations et perspectives », La Fabrique des transitions",
    }
    assert answer["grids"][:2] == [
        {
            "code": "posture",
            "label_fr": "Postures des élus",
            "label_en": "Postures of elected officials",
            "item_count": 3,
        },
        {
            "code": "key_action",
            "label_fr": "Actions clés des élus",
            "label_en": "Key actions for elected officials",
            "item_count": 10,
        },
    ]
    page = client.get("/referentiel/").content.decode()
    assert [grid["code"] for grid in answer["grids"]] == re.findall(
        r'<section aria-labelledby="([\w-]+)">', page
    )
    assert sum(grid["item_count"] for grid in answer["grids"]) == page.count("<dd>")


def test_a_grid_with_its_items(client):
    answer = client.get("/api/v1/referential/posture").json()
    assert {key: value for key, value in answer.items() if key != "items"} == {
        "version": 2,
        "code": "posture",
        "label_fr": "Postures des élus",
        "label_en": "Postures of elected officials",
        "description_fr": "Les trois postures que les élus territoriaux ont à tenir ensemble pour lancer, "
        "amplifier et transmettre la transition ; chacune regroupe plusieurs actions clés.",
        "description_en": "The three postures that local elected officials need to hold together to start, "
        "scale up and pass on the transition; each one groups several key actions.",
    }
    assert [item["code"] for item in answer["items"]] == ["P1", "P2", "P3"]
    assert answer["items"][0] == {
        "code": "P1",
        "parent": None,
        "label_fr": "Construire le cap (vision et récit)",
        "label_en": "Set the course (vision and narrative)",
        "description_fr": "Donner au territoire une direction commune : une vision de long terme, portée par "
        "un récit et reliée aux besoins concrets des habitants.",
        "description_en": "Give the territory a shared direction: a long-term vision, carried by a narrative "
        "and tied to residents' concrete needs.",
        "source_line": 19,
        "extra": {},
    }


def test_items_name_their_parent(client):
    items = client.get("/api/v1/referential/key_action").json()["items"]
    assert [(item["code"], item["parent"]) for item in items[:4]] == [
        ("K1", "P1"),
        ("K2", "P1"),
        ("K3", "P1"),
        ("K4", "P2"),
    ]
    assert (items[0]["label_en"], items[0]["source_line"]) == ("Define an inspiring vision", 21)


def test_an_unknown_grid_is_a_404(client):
    response = client.get("/api/v1/referential/K99", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (
        404,
        {"error": {"status": 404, "code": "not_found", "message": "Nothing was found at this address."}},
    )
