"""Every page of participation, controversies, observed outcomes, team capacity, planning documents,
coherence, trajectory and pilots, as the demo team reads it on a phone-sized and a desktop screen:
axe-core finds no serious or critical violation, and the pages show the demo's records."""

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
