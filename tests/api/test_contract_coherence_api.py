"""The coherence between a contract's co-funders in the API: findings with their rule, the merged
calendar and the requirements; a co-funder's members record and remove theirs; bad input names the
field and writes nothing; outsiders get the 404 of a missing contract."""

import pytest

from tests.api.test_controversies_api import NOT_FOUND, fields
from tests.funding.builders import a_contract, build_funding_world
from trajectoires.accounts.services import api_token_create
from trajectoires.funding.models import Requirement

pytestmark = pytest.mark.django_db
REGION = {"funder": "region-grand-est"}


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    return a_contract(fw)


def as_(user):
    if user is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=user, name='script', scope='read_write')[1]}"}


def base(contract):
    return f"/api/v1/territories/{contract.territory.slug}/contracts/{contract.pk}/"


def post(client, contract, user, payload):
    return client.post(
        base(contract) + "requirements", payload, content_type="application/json", headers=as_(user)
    )


def test_co_funders_record_requirements_and_every_party_reads_the_check(client, fw, contract):
    material = {"kind": "category_required", "category": "material_investment"}
    assert (
        post(client, contract, fw.prefecture_admin, {"funder": "prefecture-68", **material}).status_code
        == 201
    )
    excluded = {"funder": "region-grand-est", "kind": "category_excluded", "category": "material_investment"}
    response = post(client, contract, fw.region_officer, excluded | {"note": "Hors cadre"})
    assert response.status_code == 201
    region_requirement = Requirement.objects.get(funder=fw.region)
    assert response.json() == {
        "id": region_requirement.pk, "funder": "region-grand-est", "kind": "category_excluded",
        "due_month": None, "due_day": None, "report_format": "", "indicator": "", "definition": "",
        "category": "material_investment", "percent": None, "note": "Hors cadre",
    }  # fmt: skip
    report = {"kind": "report", "due_month": 3, "due_day": 31, "report_format": "pdf"}
    assert (
        post(client, contract, fw.region_officer, {"funder": "region-grand-est", **report}).status_code == 201
    )
    body = client.get(base(contract) + "coherence", headers=as_(fw.people["viewer"])).json()
    assert body["contradictions"] == [
        {
            "severity": "contradiction",
            "rule": "category_conflict",
            "rule_text": "Une catégorie de ligne budgétaire qu’un financeur exige, un autre l’exclut.",
            "message": (
                "Préfecture du Haut-Rhin exige « Investissement matériel », que Région Grand Est exclut."
            ),
            "funders": ["Préfecture du Haut-Rhin", "Région Grand Est"],
        }
    ]
    assert body["burdens"] == []
    assert body["calendar"] == [
        {
            "due_on": f"{year + 1}-03-31",
            "year": year,
            "funders": ["Région Grand Est"],
            "formats": ["Un document PDF"],
        }
        for year in (2027, 2028, 2029)
    ]
    assert [r["kind"] for r in body["requirements"]] == ["category_excluded", "category_required", "report"]
    deleted = client.delete(
        base(contract) + f"requirements/{region_requirement.pk}", headers=as_(fw.region_officer)
    )
    assert deleted.status_code == 204
    assert Requirement.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"funder": "prefecture-68", "kind": "min_share", "percent": 10}, "funder",
         "Choisissez un cofinanceur de ce contrat auquel vous appartenez."),
        ({**REGION, "kind": "category_excluded", "category": "x"},
         "category", "Choisissez une catégorie de ligne budgétaire du référentiel."),
        ({**REGION, "kind": "report", "due_month": 2, "due_day": 30, "report_format": "pdf"},
         "due_day", "Indiquez le jour et le mois où le rapport est attendu."),
        ({**REGION, "kind": "indicator", "indicator": "etp"}, "definition",
         "Donnez la définition de l’indicateur."),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(client, fw, contract, payload, field, message):
    assert fields(post(client, contract, fw.region_officer, payload)) == {field: [message]}
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member_elsewhere", "other_funder", "contributor"])
def test_outsiders_get_the_404_of_a_missing_contract(client, fw, contract, who):
    response = client.get(base(contract) + "coherence", headers=as_(fw.people[who]))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_team_member_who_is_no_co_funder_records_nothing(client, fw, contract):
    response = post(
        client,
        contract,
        fw.people["admin"],
        {"funder": "region-grand-est", "kind": "min_share", "percent": 5},
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not Requirement.objects.exists()
