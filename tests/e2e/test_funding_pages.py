"""The pages of the engagement contracts and the funders' programmes, as the demo reads them on a
phone-sized and a desktop screen: a territory's contracts, an active contract and a draft with its
form, a programme, a funder's programmes and contracts — and, for a funder's admin, the form of a
new contract and of a programme. axe-core finds no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from .test_workspace_journey import sign_in, workspace_link

TERRITORY = "/territoires/ungersheim"
STATE = "/financeurs/services-de-letat-dans-le-haut-rhin-demonstration"


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_team_reads_its_contracts_and_the_funders_programmes(
    page, platform_url, check_accessibility, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, platform_url, "admin@ungersheim.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    workspace_link(page, "Contrats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les contrats d’engagement de Ungersheim")
    check_accessibility(page)

    page.get_by_role("link", name="Contrat de transition 2026–2028").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat de transition 2026–2028")
    expect(page.locator("main")).to_contain_text("Contrat d’engagement · Actif")
    check_accessibility(page)
    page.locator("#parties").get_by_role("link", name="Ingénierie de la transition écologique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingénierie de la transition écologique")
    check_accessibility(page)
    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name="Programmes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les programmes de Services de l'État")
    check_accessibility(page)
    page.get_by_role(
        "link", name="Les contrats de Services de l'État dans le Haut-Rhin (démonstration)"
    ).click()
    expect(page.locator("main")).to_contain_text("Contrat de transition 2026–2028")
    check_accessibility(page)

    page.goto(platform_url + TERRITORY + "/contrats/")
    page.get_by_role("link", name="Contrat de transition 2029–2032").click()
    expect(page.locator("main")).to_contain_text("Ce qui manque pour proposer")
    check_accessibility(page)
    page.locator("#actions").get_by_role("button", name="Modifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier « Contrat de transition 2029–2032 »")
    check_accessibility(page)


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_a_funder_admin_reads_the_forms_of_a_contract_and_a_programme(
    page, platform_url, check_accessibility, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, platform_url, "admin@etat-haut-rhin.demo")
    page.goto(platform_url + STATE + "/contrats/")
    page.get_by_role("button", name="Préparer un contrat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer un contrat")
    check_accessibility(page)
    page.goto(platform_url + STATE + "/programmes/")
    page.get_by_role("button", name="Nouveau programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau programme")
    check_accessibility(page)
    page.goto(platform_url + STATE + "/competence/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Territoire de compétence de")
    check_accessibility(page)
