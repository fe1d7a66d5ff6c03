"""Role × visibility for engagement contracts, in the pages and the API (SPEC §4 plus the rule
contracts add): a contract is read by the readers of its visibility — public: anyone; alliance: every
signed-in person; partners: the team, the contributors and the partner funder; private: the team —
and, whatever its visibility, by the members of its co-funders. Expected rights come from that rule,
not from the code under test. A refusal is a 404, byte for byte the answer for a missing contract.

Two contracts of Ungersheim: one led by the Préfecture (the partner funder) and co-funded by the
Région Grand Est, one led by Fondation Lointaine alone. Besides the roles of the trust world, the
Région's admin (`region_admin`) is a member of a co-funder that is no partner of the territory.
Then: who prepares (changes) a draft — its lead funder's members and the territory admin — and who
signs a proposed contract — the territory admin for the territory, a co-funder's admin for it.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.funding.builders import a_contract, build_funding_world
from tests.trust.world import ROLES
from trajectoires.accounts.services import api_token_create
from trajectoires.funding.contracts import ContractInput, contract_create, contract_propose
from trajectoires.funding.models import Contract

pytestmark = pytest.mark.django_db

MATRIX_ROLES = [*ROLES, "region_admin"]
SIGNED_IN = set(MATRIX_ROLES) - {"anonymous"}
TEAM = {"admin", "editor", "viewer"}
READERS = {
    "public": set(MATRIX_ROLES),
    "alliance": SIGNED_IN,
    "partners": TEAM | {"contributor", "partner_funder"},
    "private": TEAM,
}
# The members of each contract's co-funders among the roles.
SHARED_CO_FUNDERS = {"partner_funder", "region_admin"}  # Préfecture (lead) and Région
FOUNDATION_CO_FUNDERS = {"other_funder"}  # Fondation Lointaine alone
PREPARERS = {"partner_funder", "admin"}  # the lead funder's members and the territory admin


def user_of(fw, role):
    return fw.region_admin if role == "region_admin" else fw.people[role]


def signed_in_client(fw, role) -> Client:
    client = Client()
    if (user := user_of(fw, role)) is not None:
        client.force_login(user)
    return client


def token(fw, role) -> dict[str, str]:
    if (user := user_of(fw, role)) is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=user, name='matrix', scope='read_write')[1]}"}


def foundation_contract(fw, visibility):
    return contract_create(
        actor=fw.people["other_funder"],
        funder=fw.world.other_funder,
        territory=fw.territory,
        data=ContractInput(
            title=f"Fonds d’amorçage ({visibility})",
            start_year=2026,
            end_year=2027,
            total_amount=Decimal("40000"),
            visibility=visibility,
        ),
        amount=Decimal("40000"),
    )


def page_url(contract: Contract) -> str:
    return reverse("contracts:detail", kwargs={"slug": contract.territory.slug, "pk": contract.pk})


def api_url(contract: Contract) -> str:
    return f"/api/v1/territories/{contract.territory.slug}/contracts/{contract.pk}"


@pytest.mark.parametrize("visibility", ["private", "partners", "alliance", "public"])
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_reads_a_contract_in_the_pages_and_the_api(role, visibility):
    fw = build_funding_world()
    shared = a_contract(fw, visibility=visibility, title=f"Contrat partagé ({visibility})")
    foundation = foundation_contract(fw, visibility)
    client, auth = signed_in_client(fw, role), token(fw, role)
    expected = {
        shared: role in READERS[visibility] | SHARED_CO_FUNDERS,
        foundation: role in READERS[visibility] | FOUNDATION_CO_FUNDERS,
    }
    for contract, may_read in expected.items():
        page = client.get(page_url(contract))
        assert page.status_code == (200 if may_read else 404), (contract.title, page.status_code)
        assert (contract.title in page.content.decode()) is may_read
        api = Client().get(api_url(contract), headers=auth)
        assert api.status_code == (200 if may_read else 404)
        assert (api.json().get("title") == contract.title) is may_read
    listed = Client().get(f"/api/v1/territories/{fw.territory.slug}/contracts/", headers=auth).json()
    assert {row["title"] for row in listed["results"]} == {c.title for c, may in expected.items() if may}


@pytest.mark.parametrize(
    ("role", "which"),
    [("member_elsewhere", "shared"), ("region_admin", "foundation"), ("other_funder", "shared")],
)
def test_a_forbidden_contract_answers_exactly_like_a_missing_one(role, which):
    fw = build_funding_world()
    contract = a_contract(fw) if which == "shared" else foundation_contract(fw, "private")
    client, auth = signed_in_client(fw, role), token(fw, role)
    for url in (page_url(contract), api_url(contract)):
        missing_url = re.sub(rf"/{contract.pk}(/?)$", rf"/{contract.pk + 1000}\1", url)
        forbidden = client.get(url, headers=auth)
        missing = client.get(missing_url, headers=auth)
        assert forbidden.status_code == missing.status_code == 404
        # Byte for byte the same answer, once each address and the per-response CSRF token are blanked.
        assert _blank(forbidden.content, url) == _blank(missing.content, missing_url)


def _blank(content: bytes, url: str) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return content.replace(url.encode(), b"URL")


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_changes_a_draft(role):
    """A public draft, so that every role reads it: reading is not preparing."""
    fw = build_funding_world()
    contract = a_contract(fw, visibility="public")
    response = Client().patch(
        api_url(contract), {"title": "Contrat revu"}, content_type="application/json", headers=token(fw, role)
    )
    expected = 200 if role in PREPARERS else (401 if role == "anonymous" else 404)
    assert response.status_code == expected
    contract.refresh_from_db()
    assert (contract.title == "Contrat revu") is (role in PREPARERS)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_signs_a_proposed_contract(role):
    """The territory admin signs for the territory, the Région's admin for the Région; the
    Préfecture's officer prepares its contracts but signs for no one (its admin does)."""
    fw = build_funding_world()
    contract = a_contract(fw, visibility="public")
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    signs = {"territory": "admin", "prefecture-68": None, "region-grand-est": "region_admin"}
    for party, signer in signs.items():
        payload = {"action": "sign"} | ({} if party == "territory" else {"funder": party})
        response = Client().post(
            f"{api_url(contract)}/transitions",
            payload,
            content_type="application/json",
            headers=token(fw, role),
        )
        expected = 200 if role == signer else (401 if role == "anonymous" else 404)
        assert response.status_code == expected, party
    contract.refresh_from_db()
    signed = {
        "territory": contract.territory_signed_at is not None,
        "prefecture-68": contract.parties.get(funder=fw.world.partner).signed_at is not None,
        "region-grand-est": contract.parties.get(funder=fw.region).signed_at is not None,
    }
    assert signed == {party: role == signer for party, signer in signs.items()}
