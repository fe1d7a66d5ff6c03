"""The annual report's pages: written and submitted once by the territory, read by every co-funder
in the same order (qualitative first), reviewed by each; the lists of reports due, late and done."""

import datetime

import pytest
from django.urls import reverse

from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.funding.builders import a_contract, a_line, active, build_funding_world
from tests.pages import page_text
from trajectoires.funding.models import ContractReport, ReportReview
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    draft = a_contract(fw)
    a_line(fw, draft, planned="60000.00")
    return active(fw, draft)


def url(contract, name, *args):
    return reverse(f"contracts:{name}", args=[contract.territory.slug, contract.pk, *args])


def test_the_territory_writes_and_submits_one_report_every_co_funder_reviews(client, fw, contract):
    story = a_story(fw.world, a_period(fw.world), a_domain(fw.world), visibility="partners")
    entry = journal_entry_create(
        actor=fw.people["editor"],
        territory=fw.territory,
        title="Forum de la cantine",
        occurred_on=datetime.date(2027, 5, 12),
        visibility="alliance",
    )
    hidden = a_story(fw.world, a_period(fw.world, label="Été 2026"), a_domain(fw.world, "Travail"),
                     title="Une histoire privée", visibility="private")  # fmt: skip
    client.force_login(fw.people["editor"])
    response = client.post(url(contract, "report_new"), {"year": "2027"})
    assert response.status_code == 302
    report = ContractReport.objects.get()
    form_page = page_text(client.get(url(contract, "report", 2027)))
    assert "La cantine a changé nos menus" in form_page
    assert hidden.title not in form_page  # private records are not offered to the co-funders
    response = client.post(url(contract, "report_edit", 2027), {
        "narrative": "La cantine est devenue un lieu de coopération.",
        "stories": [story.pk], "journal_entries": [entry.pk],
        "objectives_progress": "Douze agents formés sur trente.", "budget_comment": "Recrutement en mars.",
    })  # fmt: skip
    assert response.status_code == 302
    assert client.post(url(contract, "report_submit", 2027)).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submission) == ("submitted", 1)

    for reader in (fw.people["partner_funder"], fw.region_officer):
        client.force_login(reader)
        text = page_text(client.get(url(contract, "report", 2027)))
        assert (
            "Rapport annuel 2027 Contrat de transition 2027-2029 · Soumis aux cofinanceurs · soumis une fois"
        ) in text
        order = [
            "Ce qui a changé cette année La cantine est devenue un lieu de coopération.",
            "Histoires de changement La cantine a changé nos menus",
            "Temps forts du journal 12 mai 2027 — Forum de la cantine",
            "Objectifs",
            "Douze agents formés sur trente.",
            "Budget exécuté en 2027",
            "Ingénierie humaine 60 000,00 € 0,00 €",
            "Total 60 000,00 € 0,00 €",
            "Recrutement en mars.",
            "Indicateurs",
        ]
        positions = [text.index(part) for part in order]
        assert positions == sorted(positions)
    client.force_login(fw.region_officer)
    response = client.post(url(contract, "report_review", 2027), {
        "funder": fw.region.pk, "decision": "changes", "comment": "Ajoutez les dépenses de formation.",
    })  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "changes"
    client.force_login(fw.people["admin"])
    text = page_text(client.get(url(contract, "report", 2027)))
    assert (
        "Région Grand Est · soumission 1 · Demander des modifications — Ajoutez les dépenses de formation."
        in text
    )
    assert "Écrire le rapport" in text  # the territory may change it again
    assert list(ReportReview.objects.values_list("funder__slug", "decision")) == [
        ("region-grand-est", "changes")
    ]


def test_a_submission_without_words_is_refused_with_what_is_missing(client, fw, contract):
    client.force_login(fw.people["editor"])
    client.post(url(contract, "report_new"), {"year": "2027"})
    response = client.post(url(contract, "report_submit", 2027))
    assert response.status_code == 400
    text = page_text(response)
    assert (
        "Le rapport ne peut pas encore être soumis : "
        "Dites d’abord, avec vos mots, ce qui a changé cette année. "
        "Citez au moins une histoire, un effet, une entrée du journal ou une célébration : "
        "le rapport est d’abord qualitatif."
    ) in text
    assert ContractReport.objects.get().status == "draft"


@pytest.mark.parametrize("who", ["anonymous", "member_elsewhere", "other_funder"])
def test_who_is_no_party_gets_a_404(client, fw, contract, who):
    client.force_login(fw.people["editor"])
    client.post(url(contract, "report_new"), {"year": "2027"})
    client.logout()
    if fw.people[who] is not None:
        client.force_login(fw.people[who])
    assert client.get(url(contract, "report", 2027)).status_code == 404


def test_a_co_funder_may_not_write_and_the_territory_may_not_review(client, fw, contract):
    client.force_login(fw.people["partner_funder"])
    assert client.post(url(contract, "report_new"), {"year": "2027"}).status_code == 404
    assert not ContractReport.objects.exists()
    client.force_login(fw.people["editor"])
    client.post(url(contract, "report_new"), {"year": "2027"})
    response = client.post(
        url(contract, "report_review", 2027), {"funder": fw.region.pk, "decision": "accept"}
    )
    assert response.status_code == 404
    assert not ReportReview.objects.exists()


def test_the_territory_lists_its_reports_late_due_and_done(client, fw):
    """A contract over 2024–2026, read on 7 December 2026 or later: the reports on 2024 and 2025 are
    past their due date (31 March of the next year), the one on 2025 submitted; 2026 is due."""
    past = active(fw, a_contract(fw, title="Contrat 2024-2026", first_year=2024))
    story = a_story(fw.world, a_period(fw.world), a_domain(fw.world), visibility="partners")
    client.force_login(fw.people["editor"])
    for year in (2024, 2025):
        client.post(url(past, "report_new"), {"year": str(year)})
    client.post(
        url(past, "report_edit", 2025), {"narrative": "Une année de coopération.", "stories": [story.pk]}
    )
    client.post(url(past, "report_submit", 2025))
    text = page_text(client.get(reverse("contracts:reports", args=[fw.territory.slug])))
    head = "Contrat, année rapportée, échéance et état du rapport Contrat Année Échéance Rapport"
    assert (
        f"En retard {head} Contrat 2024-2026 2024 31 mars 2025 En cours d’écriture "
        f"À rendre {head} Contrat 2024-2026 2026 31 mars 2027 Ouvrir le rapport sur 2026 "
        f"Rendus {head} Contrat 2024-2026 2025 31 mars 2026 Soumis aux cofinanceurs"
    ) in text
