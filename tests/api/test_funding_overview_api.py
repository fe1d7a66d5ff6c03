"""Funding seen from above in the API: a funder's portfolio for its members, the alliance figures
for every signed-in member, and the public grants in the 360Giving standard for anyone."""

import pytest

from tests.funding.builders import a_contract, a_line, active, build_funding_world
from tests.funding.test_giving360 import validator
from trajectoires.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    world = build_funding_world()
    contract = a_contract(world, visibility="public")
    a_line(world, contract, planned="60000.00")
    active(world, contract)
    return world


def as_(user):
    if user is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=user, name='script', scope='read')[1]}"}


def test_a_funders_members_read_its_portfolio(client, fw):
    body = client.get("/api/v1/funders/region-grand-est/portfolio", headers=as_(fw.region_officer)).json()
    keys = ("contract_count", "amount", "co_funded_share", "durations", "reports_late")
    assert {key: body[key] for key in keys} == {
        "contract_count": 1, "amount": "100000.00", "co_funded_share": "100.0", "durations": {"3": 1},
        "reports_late": 0,
    }  # fmt: skip
    assert body["years"] == [
        {"year": year, "planned": planned, "committed": "0.00", "paid": "0.00"}
        for year, planned in ((2027, "33333.33"), (2028, "33333.33"), (2029, "33333.34"))
    ]
    assert [(c["title"], c["share"], c["co_funders"]) for c in body["contracts"]] == [
        ("Contrat de transition 2027-2029", "100000.00", 2)]  # fmt: skip


@pytest.mark.parametrize("who", ["admin", "partner_funder", "other_funder"])
def test_who_is_no_member_gets_a_404(client, fw, who):
    response = client.get("/api/v1/funders/region-grand-est/portfolio", headers=as_(fw.people[who]))
    assert response.status_code == 404


def test_the_alliance_figures_name_no_one(client, fw):
    body = client.get("/api/v1/funding/alliance", headers=as_(fw.people["member_elsewhere"])).json()
    assert (body["amount"], body["capacity_share"], body["contracts"]) == ("300000.00", "100.0", [])
    assert body["by_funder_type"] == {
        "État (services déconcentrés, préfecture)": "200000.00",
        "Région": "100000.00",
    }
    assert client.get("/api/v1/funding/alliance").status_code == 401


def test_anyone_reads_the_valid_360giving_package(client, fw):
    body = client.get("/api/v1/funding/360giving").json()
    assert [grant["fundingOrganization"][0]["name"] for grant in body["grants"]] == [
        "Préfecture du Haut-Rhin", "Région Grand Est"]  # fmt: skip
    assert not list(validator().iter_errors(body))
