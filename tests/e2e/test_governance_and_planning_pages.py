"""Every page of participation, controversies, observed outcomes, stories of change, self-assessment,
diagnostic sensible, systemic effects, indicators, team capacity, planning documents, coherence,
trajectory and pilots, as the demo team reads it on a phone-sized and a desktop screen: axe-core finds
no serious or critical violation, and the pages show the demo's records (a story of change is
collected through its form: the demo has none yet)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .test_workspace_journey import sign_in, workspace_link

TERRITORY = "/territoires/ungersheim"


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_team_reads_every_governance_and_planning_page(page, platform_url, check_accessibility, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, platform_url, "admin@ungersheim.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    expect(page.locator("#governance-title")).to_have_text("Gouverner avec les habitants et les acteurs")
    check_accessibility(page)

    workspace_link(page, "Participation").click()
    check_accessibility(page)
    page.get_by_role("link", name="Conseil de développement (démonstration)").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conseil de développement")
    check_accessibility(page)
    page.goto(platform_url + TERRITORY + "/participation/decisions/")
    expect(page.locator("main")).to_contain_text("Budget participatif de la transition (démonstration)")
    check_accessibility(page)

    workspace_link(page, "Controverses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controverses de Ungersheim")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(r"^Implantation d'un parc éolien")).click()
    expect(page.locator("main")).to_contain_text("L’état de la controverse")
    check_accessibility(page)
    page.go_back()

    workspace_link(page, "Résultats observés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les résultats observés de Ungersheim")
    check_accessibility(page)
    page.locator("main ul.results a").first.click()
    expect(page.locator("main")).to_contain_text("D’accord")
    check_accessibility(page)
    page.go_back()

    read_the_stories_of_change(page, platform_url, check_accessibility, width)

    read_the_self_assessment(page, check_accessibility)
    read_the_diagnostic(page, check_accessibility)
    read_the_effects_and_indicators(page, platform_url, check_accessibility)

    page.goto(platform_url + TERRITORY + "/evaluation/")  # the evaluation of the latest demo period
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation de Ungersheim")
    check_accessibility(page)

    workspace_link(page, "Capacité d’agir").click()
    expect(page.locator("main")).to_contain_text("Pôle transition (démonstration)")
    check_accessibility(page)

    for link, text in (
        ("Documents et cohérence", "SRADDET — Grand Est"),
        ("Trajectoire", "Refonte du site internet de la collectivité"),
        ("Pilotes", "Une épicerie solidaire itinérante (démonstration)"),
    ):
        workspace_link(page, link).click()
        expect(page.locator("main")).to_contain_text(text)
        check_accessibility(page)
    page.get_by_role("link", name="Une épicerie solidaire itinérante (démonstration)").click()
    check_accessibility(page)
    page.goto(platform_url + TERRITORY + "/coherence/")
    expect(page.locator("main")).to_contain_text("Contradictoire")
    check_accessibility(page)
    page.goto(platform_url + "/fiches-de-transferabilite/")
    check_accessibility(page)


def read_the_self_assessment(page, check_accessibility) -> None:
    """The demo's campaigns and their history, a closed campaign with its results — radars, spread
    between groups, checklist — and the answer form of the open one."""
    workspace_link(page, "Autoévaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("L’autoévaluation de Ungersheim")
    expect(page.locator('[data-chart="history-chart"] canvas')).to_have_count(1)
    check_accessibility(page)
    campaigns = page.locator("main table").first.locator("tbody tr")

    def campaign(status: str):
        row = campaigns.filter(has=page.get_by_role("cell", name=status, exact=True)).first
        return row.get_by_role("link")

    campaign("Close").click()
    expect(page.locator("main")).to_contain_text("Entre les groupes")
    expect(page.locator('[data-chart="radar-chart"] canvas')).to_have_count(1)
    expect(page.locator('[data-chart="posture-chart-1"] canvas')).to_have_count(1)
    check_accessibility(page)
    page.go_back()
    campaign("Ouverte").click()
    page.get_by_role("button", name="Répondre", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Répondre à l’autoévaluation")
    check_accessibility(page)
    page.go_back()
    page.go_back()


def read_the_diagnostic(page, check_accessibility) -> None:
    """The demo's diagnostic sensible in the list, read as a document — its six sections, its
    interviews, one erased on request — and the form of a new one."""
    workspace_link(page, "Diagnostic sensible").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le diagnostic sensible de Ungersheim")
    check_accessibility(page)
    page.get_by_role("button", name="Nouveau diagnostic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau diagnostic")
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name="Diagnostic sensible d'Ungersheim").click()
    expect(page.get_by_role("heading", level=2, name="Récits à l’œuvre")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Validé par l’équipe")
    expect(page.locator("main")).to_contain_text("Effacé sur demande le")
    check_accessibility(page)
    page.go_back()


def read_the_stories_of_change(page, platform_url, check_accessibility, width: int) -> None:
    """The demo has no story of change yet: the team frames a domain and a period (once), collects a
    story through the form, then reads the stories page and the story."""
    workspace_link(page, "Histoires de changement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les histoires de changement de Ungersheim")
    check_accessibility(page)
    page.get_by_role("button", name="Domaines et périodes").click()
    check_accessibility(page)
    frame = page.locator("main")
    if "Vie quotidienne (démonstration)" not in frame.inner_text():
        page.get_by_role("button", name="Ajouter un domaine de changement").click()
        check_accessibility(page)
        page.locator("#id_name").fill("Vie quotidienne (démonstration)")
        page.get_by_role("button", name="Enregistrer").click()
        expect(frame).to_contain_text("Le domaine de changement a été enregistré.")
        today = datetime.date.today()
        page.get_by_role("button", name="Ajouter une période de collecte").click()
        page.locator("#id_label").fill("Cette année (démonstration)")
        page.locator("#id_starts_on").fill((today - datetime.timedelta(days=90)).isoformat())
        page.locator("#id_ends_on").fill((today + datetime.timedelta(days=90)).isoformat())
        page.get_by_role("button", name="Enregistrer").click()
        expect(frame).to_contain_text("La période de collecte a été enregistrée.")

    page.goto(platform_url + TERRITORY + "/evaluation/histoires/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recueillir une histoire")
    check_accessibility(page)
    title = f"Le marché du jeudi ({width})"
    page.locator("#id_title").fill(title)
    page.locator("#id_teller_name").fill("Aline")
    page.locator("#id_consent_given").check()
    page.locator("#id_what_happened").fill("Un marché de producteurs s’est installé place de la mairie.")
    page.locator("#id_why_significant").fill("Je vends enfin mes légumes au village.")
    page.locator('input[name="visibility"][value="public"]').check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Racontée par Aline (anonyme hors de l’équipe)")
    check_accessibility(page)

    page.goto(platform_url + TERRITORY + "/evaluation/histoires/")
    expect(page.locator("main")).to_contain_text(title)
    check_accessibility(page)
    page.get_by_role("link", name=title).click()
    expect(page.locator("main")).to_contain_text("Je vends enfin mes légumes au village.")
    check_accessibility(page)
    page.go_back()  # back to the stories, with the workspace navigation


def read_the_effects_and_indicators(page, platform_url, check_accessibility) -> None:
    """The systemic effects of a demo period — each effect with its level on the scale, reasoning and
    evidence — one assessment and its form; the indicators with their charts, one indicator and the
    form of its values."""
    page.goto(platform_url + TERRITORY + "/evaluation/effets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les effets systémiques de Ungersheim")
    check_accessibility(page)
    periods = page.locator("#id_period option").all_inner_texts()
    page.locator("#id_period").select_option(label=next(label for label in periods if "semestre" in label))
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("main")).to_contain_text("Niveau apprécié")
    check_accessibility(page)
    page.get_by_role("link", name="L’appréciation de l’effet Coopération sur sa propre page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coopération")
    expect(page.locator("main")).to_contain_text("Réseau de coopération")
    check_accessibility(page)
    page.get_by_role("button", name="Modifier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apprécier l’effet Coopération sur")
    check_accessibility(page)

    page.goto(platform_url + TERRITORY + "/evaluation/indicateurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les indicateurs de Ungersheim")
    expect(page.locator('[data-chart^="indicator-chart-"] canvas')).to_have_count(4)
    check_accessibility(page)
    page.get_by_role("link", name="Part de produits locaux à la cantine").click()
    expect(page.locator("main")).to_contain_text("Deux nouveaux producteurs de viande.")
    expect(page.locator('[data-chart^="indicator-chart-"] canvas')).to_have_count(1)
    check_accessibility(page)
    page.locator("main table tbody a").first.click()
    expect(page.locator("main")).to_contain_text("Unité : %")
    check_accessibility(page)
