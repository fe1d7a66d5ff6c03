"""The 360Giving export of the public grants: valid against the standard's own schemas (the project's
attributed copy in tests/funding/standards/360giving), one grant per co-funder's share, linked to
each other, with planned dates, tranches as transactions, recipient and beneficiary locations by
INSEE code; the same grants in the spreadsheet; nothing private, nothing unsigned."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.funding.builders import a_contract, active, build_funding_world
from trajectoires.funding.budget import tranche_commit, tranche_pay
from trajectoires.funding.giving360 import package

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "standards" / "360giving"
BASE = "https://trajectoires.example"


def validator() -> Draft202012Validator:
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    package_schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    # Their `$schema` is written http://…/2020-12/schema, which the library does not recognise by itself.
    resource = Resource(contents=grant, specification=DRAFT202012)
    # The package schema names the grant schema by its 1.4.2 address; the grant schema says 1.4.3.
    registry = Registry().with_resources(
        [(grant["$id"], resource), (grant["$id"].replace("1.4.3", "1.4.2"), resource)]
    )
    return Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def public(fw):
    contract = active(fw, a_contract(fw, visibility="public"))
    tranche = contract.tranches.get(party__funder=fw.world.partner, year=2027)
    tranche_commit(actor=fw.prefecture_admin, tranche=tranche, on=datetime.date(2027, 1, 15))
    tranche_pay(actor=fw.prefecture_admin, tranche=tranche, on=datetime.date(2027, 2, 1))
    a_contract(fw, title="Un brouillon public", visibility="public")
    active(fw, a_contract(fw, title="Un contrat privé"))
    return contract


def test_the_export_is_valid_against_the_360giving_schemas(fw, public):
    data = package(BASE)
    errors = sorted(validator().iter_errors(data), key=str)
    assert [error.message for error in errors] == []
    assert len(data["grants"]) == 2


def test_a_crafted_invalid_grant_is_caught_by_the_same_validator(fw, public):
    data = package(BASE)
    del data["grants"][0]["fundingOrganization"]
    data["grants"][1]["amountAwarded"] = "200000"
    assert sum(1 for _error in validator().iter_errors(data)) == 2


def test_one_grant_per_share_linked_with_dates_transactions_and_insee_codes(fw, public):
    state, region = package(BASE)["grants"]
    pk = public.pk
    assert state["id"] == f"360G-trajectoires-{pk}-prefecture-68"
    assert region["id"] == f"360G-trajectoires-{pk}-region-grand-est"
    assert state["relatedActivity"] == [region["id"]] and region["relatedActivity"] == [state["id"]]
    assert (state["title"], state["currency"], state["amountAwarded"], state["amountDisbursed"]) == (
        "Contrat de transition 2027-2029 — Préfecture du Haut-Rhin", "EUR", 200000.0, 66666.67)  # fmt: skip
    assert state["plannedDates"] == [{"startDate": "2027-01-01", "endDate": "2029-12-31", "duration": 36}]
    assert state["commitmentTransaction"] == [{
        "id": f"360G-trajectoires-{pk}-prefecture-68-2027-committed", "transactionDate": "2027-01-15",
        "value": 66666.67, "currency": "EUR", "description": "2027"}]  # fmt: skip
    assert [t["transactionDate"] for t in state["disbursementTransaction"]] == ["2027-02-01"]
    assert region["commitmentTransaction"] == region["disbursementTransaction"] == []
    ungersheim = {"id": "commune-68343", "name": "Ungersheim", "countryCode": "FR", "geoCode": "68343",
                  "geoCodeType": "COM"}  # fmt: skip
    assert state["beneficiaryLocation"] == [ungersheim]
    assert state["recipientOrganization"][0]["name"] == "Ungersheim"
    assert state["recipientOrganization"][0]["id"].startswith("FR-SIREN-")
    assert state["recipientOrganization"][0]["location"] == [ungersheim]
    assert region["fundingOrganization"] == [{"id": "FR-SIREN-200052264", "name": "Région Grand Est"}]
    assert state["fundingOrganization"] == [
        {"id": "XI-TRAJECTOIRES-funder-prefecture-68", "name": "Préfecture du Haut-Rhin"}
    ]
    assert state["grantProgramme"] == [{"code": "fonds-vert-ingenierie", "title": "Fonds vert — ingénierie"}]
    assert state["url"] == f"{BASE}/territoires/ungersheim/contrats/{pk}/"


def test_the_pages_serve_the_same_grants_as_json_and_spreadsheet(client, fw, public):
    body = client.get(reverse("alliance_funding:giving360_json")).json()
    assert [grant["id"] for grant in body["grants"]] == [grant["id"] for grant in package(BASE)["grants"]]
    assert not list(validator().iter_errors(body))
    response = client.get(reverse("alliance_funding:giving360_xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="trajectoires-360giving.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["grants"].iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Amount Disbursed",
        "Award Date",
    )
    assert [row[0] for row in rows[1:]] == [grant["id"] for grant in body["grants"]]
    assert rows[1][4] == 200000 and rows[1][5] == 66666.67
    commitments = list(workbook["commitments"].iter_rows(values_only=True))
    assert commitments == [
        ("Grant Identifier", "Identifier", "Transaction Date", "Value", "Currency", "Description"),
        (
            body["grants"][0]["id"],
            f"{body['grants'][0]['id']}-2027-committed",
            "2027-01-15",
            66666.67,
            "EUR",
            "2027",
        ),
    ]
