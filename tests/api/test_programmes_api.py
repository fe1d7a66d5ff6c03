"""Funders' programmes in the API: read by anyone with their rules, exactly; written by the funder's
admins only (anyone else: 404 before any check of the input), with the same rules and audit as the
pages; bad rules refused naming the field, nothing written."""

import pytest
from django.test import Client

from tests.api.test_contracts_api import headers
from tests.api.test_controversies_api import NOT_FOUND, fields
from tests.funding.builders import build_funding_world
from trajectoires.core.models import AuditEntry
from trajectoires.funding.models import Programme

pytestmark = pytest.mark.django_db
STATE = "/api/v1/funders/prefecture-68/programmes/"
REGION = "/api/v1/funders/region-grand-est/programmes/"
CATEGORIES = [
    "human_engineering",
    "training_action",
    "peer_accompaniment",
    "mutualisation_post",
    "narrative_participatory",
    "evaluation_dissemination",
    "milestone_celebration",
    "material_investment",
]
CAP = "Un plafond de cofinancement est une part comprise entre 0 et 100 %."
DURATIONS = "Les durées vont de 1 à 10 ans, la minimale d’abord."
GRAND_EST = {"ref": "region-44", "kind": "region", "code": "44", "name": "Grand Est"}


@pytest.fixture
def fw():
    return build_funding_world()


def send(method, url, payload, user):
    return getattr(Client(), method)(url, payload, content_type="application/json", headers=headers(user))


def state():
    return list(Programme.objects.values()), AuditEntry.objects.exclude(
        action__startswith="api_token."
    ).count()


def test_anyone_reads_a_funders_programmes_and_their_rules(fw):
    fonds_vert = {
        "id": fw.state_programme.pk,
        "funder": "prefecture-68",
        "slug": "fonds-vert-ingenierie",
        "name": "Fonds vert — ingénierie",
        "description": "",
        "is_open": True,
        "territory_kinds": ["commune", "epci"],
        "areas": [],
        "categories": CATEGORIES,
        "diagnostic_categories": ["material_investment"],
        "min_years": 3,
        "max_years": 5,
        "cofinancing_cap": "80.00",
    }
    assert Client().get(STATE).json() == {
        "count": 1,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": [fonds_vert],
    }
    assert Client().get(f"{STATE}fonds-vert-ingenierie").json() == fonds_vert
    assert Client().get(f"{REGION}territoires-en-transition-grand-est").json() == {
        "id": fw.region_programme.pk,
        "funder": "region-grand-est",
        "slug": "territoires-en-transition-grand-est",
        "name": "Territoires en transition Grand Est",
        "description": "",
        "is_open": True,
        "territory_kinds": [],
        "areas": [GRAND_EST],
        "categories": CATEGORIES[:-1],
        "diagnostic_categories": [],
        "min_years": 3,
        "max_years": 6,
        "cofinancing_cap": "50.00",
    }
    assert Client().get(f"{STATE}territoires-en-transition-grand-est").json() == NOT_FOUND
    assert Client().get("/api/v1/funders/nobody/programmes/").json() == NOT_FOUND


def test_a_funder_admin_writes_a_programme_then_changes_its_rules(fw):
    payload = {
        "name": "Ingénierie rurale",
        "description": "Pour les communes rurales du Grand Est.",
        "territory_kinds": ["commune"],
        "areas": ["region-44"],
        "categories": ["training_action", "human_engineering"],
        "diagnostic_categories": ["human_engineering"],
        "min_years": 2,
        "max_years": 4,
        "cofinancing_cap": "45.5",
    }
    response = send("post", REGION, payload, fw.region_admin)
    assert response.status_code == 201, response.content
    programme = Programme.objects.get(slug="ingenierie-rurale")
    expected = payload | {
        "id": programme.pk,
        "funder": "region-grand-est",
        "slug": "ingenierie-rurale",
        "is_open": True,
        "areas": [GRAND_EST],
        "categories": ["human_engineering", "training_action"],
        "cofinancing_cap": "45.50",
    }
    assert response.json() == expected
    created = AuditEntry.objects.get(action="programme.create", object_id=str(programme.pk))
    assert (created.scope, created.changes["cofinancing_cap"]) == (f"funder:{fw.region.pk}", [None, "45.50"])

    url = f"{REGION}ingenierie-rurale"
    changed = send("patch", url, {"max_years": 6, "is_open": False, "cofinancing_cap": 50}, fw.region_admin)
    assert changed.status_code == 200, changed.content
    assert changed.json() == expected | {"max_years": 6, "is_open": False, "cofinancing_cap": "50.00"}
    assert AuditEntry.objects.get(action="programme.update").changes == {
        "is_open": [True, False],
        "max_years": [4, 6],
        "cofinancing_cap": ["45.50", "50.00"],
    }


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"categories": ["teleportation"]},
            {"categories": ["Choisissez des catégories de lignes budgétaires du référentiel."]},
        ),
        (
            {"areas": ["atlantide"]},
            {"areas": ["Choisissez une zone de la géographie, nommée type-code (region-44, commune-68343)."]},
        ),
        ({"cofinancing_cap": "beaucoup"}, {"cofinancing_cap": [CAP]}),
        ({"cofinancing_cap": 150}, {"cofinancing_cap": [CAP]}),
        ({"cofinancing_cap": "33.333"}, {"cofinancing_cap": [CAP]}),
        ({"min_years": 0}, {"min_years": [DURATIONS]}),
        ({"min_years": 6, "max_years": 4}, {"min_years": [DURATIONS]}),
        ({"max_years": 11}, {"min_years": [DURATIONS]}),
    ],
)
def test_bad_rules_are_refused_naming_the_field_and_nothing_is_written(fw, change, errors):
    before = state()
    payload = {"name": "Ingénierie rurale"} | change
    assert fields(send("post", REGION, payload, fw.region_admin)) == errors
    assert (
        fields(send("patch", f"{REGION}territoires-en-transition-grand-est", change, fw.region_admin))
        == errors
    )
    assert state() == before


def test_only_the_funders_admins_write_its_programmes_others_get_404_before_any_check(fw):
    before = state()
    bad = {"name": "", "cofinancing_cap": "beaucoup"}
    url = f"{REGION}territoires-en-transition-grand-est"
    for user in [fw.region_officer, fw.prefecture_admin, fw.people["admin"], fw.people["staff"]]:
        assert send("post", REGION, bad, user).json() == NOT_FOUND
        assert send("patch", url, bad, user).json() == NOT_FOUND
    anonymous = Client().post(REGION, bad, content_type="application/json")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "not_authenticated")
    read_only = Client().patch(
        url, {"is_open": False}, content_type="application/json", headers=headers(fw.region_admin, "read")
    )
    assert (read_only.status_code, read_only.json()["error"]["code"]) == (403, "read_only_token")
    assert state() == before
