"""Annual reports in the API: opened, written, submitted once, reviewed by each co-funder; the
reports due, late and done for a territory and a funder; a report of another territory's contract,
or read by who is no party, answers the 404 of a missing one."""

import pytest

from tests.api.test_controversies_api import NOT_FOUND, fields
from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.funding.builders import a_contract, active, build_funding_world
from trajectoires.accounts.services import api_token_create
from trajectoires.funding.models import ContractReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    return active(fw, a_contract(fw, title="Contrat 2024-2026", first_year=2024))


def as_(user):
    if user is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=user, name='script', scope='read_write')[1]}"}


def reports(contract, slug=None):
    return f"/api/v1/territories/{slug or contract.territory.slug}/contracts/{contract.pk}/reports"


def send(client, method, url, user, payload=None):
    return getattr(client, method)(url, payload, content_type="application/json", headers=as_(user))


def test_one_report_written_once_and_accepted_by_every_co_funder(client, fw, contract):
    story = a_story(fw.world, a_period(fw.world), a_domain(fw.world), visibility="partners")
    editor = fw.people["editor"]
    assert send(client, "post", reports(contract), editor, {"year": 2025}).status_code == 201
    written = send(client, "put", reports(contract) + "/2025", editor, {
        "narrative": "Une année de coopération.", "stories": [story.pk],
    })  # fmt: skip
    assert written.status_code == 200
    submitted = send(client, "post", reports(contract) + "/2025/submit", editor)
    body = submitted.json()
    assert (body["status"], body["submission"], body["stories"], body["reviews"]) == (
        "submitted",
        1,
        [story.pk],
        [],
    )
    for user, slug in (
        (fw.people["partner_funder"], "prefecture-68"),
        (fw.region_officer, "region-grand-est"),
    ):
        response = send(
            client, "post", reports(contract) + "/2025/reviews", user, {"funder": slug, "decision": "accept"}
        )
        assert response.status_code == 201
    body = send(client, "get", reports(contract) + "/2025", fw.region_officer).json()
    assert body["status"] == "accepted"
    assert [(r["funder"], r["decision"], r["submission"]) for r in body["reviews"]] == [
        ("prefecture-68", "accept", 1), ("region-grand-est", "accept", 1)]  # fmt: skip
    schedule = send(client, "get", f"/api/v1/funders/{fw.region.slug}/reports", fw.region_officer).json()
    assert [(row["year"], row["state"], row["status"]) for row in schedule] == [
        (2024, "late", None), (2025, "done", "accepted"), (2026, "due", None)]  # fmt: skip


def test_bad_input_names_the_field_and_writes_nothing(client, fw, contract):
    editor = fw.people["editor"]
    assert fields(send(client, "post", reports(contract), editor, {"year": 2031})) == {
        "year": ["Choisissez une année du contrat, de 2024 à 2026."]}  # fmt: skip
    send(client, "post", reports(contract), editor, {"year": 2025})
    private = a_story(fw.world, a_period(fw.world), a_domain(fw.world), visibility="private")
    assert fields(send(client, "put", reports(contract) + "/2025", editor, {"stories": [private.pk]})) == {
        "stories": ["Citez des éléments de ce territoire que ses partenaires peuvent lire (partenaires, alliance ou public)."]  # noqa: E501
    }  # fmt: skip
    assert fields(send(client, "put", reports(contract) + "/2025", editor, {"stories": [10**9]})) == {
        "stories": ["Choisissez des éléments de ce territoire."]}  # fmt: skip
    assert not ContractReport.objects.get().stories.exists()


def test_a_report_through_another_territory_answers_404(client, fw, contract):
    editor_elsewhere = fw.people["member_elsewhere"]
    response = send(
        client, "post", reports(contract, slug=fw.world.elsewhere.slug), editor_elsewhere, {"year": 2025}
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not ContractReport.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member_elsewhere", "other_funder"])
def test_who_is_no_party_reads_no_report(client, fw, contract, who):
    send(client, "post", reports(contract), fw.people["editor"], {"year": 2025})
    response = send(client, "get", reports(contract) + "/2025", fw.people[who])
    assert response.status_code == (401 if who == "anonymous" else 404)
