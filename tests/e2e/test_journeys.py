"""What a visitor and the platform staff do, in a real browser, with axe on every page."""

import re

from playwright.sync_api import expect

from trajectoires.site.demo import DEMO_PASSWORD


def test_visitor_goes_from_home_to_a_commune_and_the_scale_above(page, platform_url, check_accessibility):
    page.goto(platform_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trajectoires")
    expect(page.locator(".figures")).to_contain_text("34 969")
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Annuaire").click()
    expect(page).to_have_url(platform_url + "/annuaire/")
    check_accessibility(page)

    # Results arrive as the visitor types (htmx), without submitting the form.
    page.get_by_label("Rechercher un territoire").press_sequentially("saint etienne", delay=20)
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("20 territoires trouvés")
    expect(results.get_by_role("link").first).to_have_text("Saint-Étienne")
    expect(page).to_have_url(re.compile(r"/annuaire/\?q=saint(\+|%20)etienne$"))
    check_accessibility(page)

    results.get_by_role("link", name="Saint-Étienne", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Étienne")
    expect(page.locator(".figures")).to_contain_text("173 136")
    check_accessibility(page)

    page.locator("section[aria-labelledby=above-title]").get_by_role(
        "link", name="Saint-Étienne Métropole"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Étienne Métropole")
    expect(page.locator("#below-commune")).to_contain_text("Communes (53)")
    check_accessibility(page)

    page.locator("section[aria-labelledby=above-title]").get_by_role("link", name="Loire").click()
    expect(page).to_have_url(platform_url + "/annuaire/departement/42/")
    check_accessibility(page)


def test_the_search_works_without_javascript(browser, platform_url):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(platform_url + "/annuaire/")
    page.get_by_label("Rechercher un territoire").fill("42000")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#search-results")).to_contain_text("1 territoire trouvé")
    expect(page.locator("#search-results").get_by_role("link")).to_have_text("Saint-Étienne")
    context.close()


def test_an_unknown_code_offers_the_search(browser, platform_url, check_accessibility):
    # Not the `page` fixture: the browser rightly logs the 404 of the page itself as an error.
    page = browser.new_context(locale="fr-FR").new_page()
    response = page.goto(platform_url + "/annuaire/commune/99999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    check_accessibility(page)
    page.get_by_label("Rechercher un territoire par nom, code INSEE, SIREN ou code postal").fill("Ungersheim")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#search-results").get_by_role("link")).to_have_text("Ungersheim")


def test_staff_sign_in_and_add_a_territory(page, platform_url, check_accessibility):
    page.goto(platform_url + "/compte/connexion/")
    check_accessibility(page)
    page.get_by_label("Adresse électronique").fill("staff@trajectoires.demo")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(platform_url + "/territoires/")
    check_accessibility(page)
    page.get_by_role("button", name="Ajouter un territoire").click()
    check_accessibility(page)
    page.get_by_label("Nom").fill("Loos-en-Gohelle")
    page.get_by_label("Type").select_option("commune")
    page.get_by_label("Périmètre").fill("62528")
    page.get_by_role("button", name="Créer le territoire").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Loos-en-Gohelle")
    expect(page.get_by_role("status")).to_contain_text("Le territoire « Loos-en-Gohelle » a été créé.")
    expect(page.locator("table")).to_contain_text("Pas-de-Calais (62)")
    check_accessibility(page)


def test_the_referential_and_a_territory_in_english_on_a_phone(browser, platform_url, check_accessibility):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(platform_url + "/territoires/biovallee/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    check_accessibility(page)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(platform_url + "/en/territoires/biovallee/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Perimeter")).to_be_visible()
    check_accessibility(page)
    page.goto(platform_url + "/en/referentiel/")
    expect(page.locator("#key_action-K1")).to_contain_text("K1")
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_a_visitor_reads_the_funders(page, platform_url, check_accessibility):
    page.goto(platform_url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Financeurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financeurs")
    check_accessibility(page)
    page.get_by_role("link", name="Fondation Territoires vivants (démonstration)").click()
    expect(page.locator("#partners-title + ul")).to_contain_text("Biovallée")
    check_accessibility(page)


def test_a_visitor_reads_a_public_vision_and_its_coverage(page, platform_url, check_accessibility):
    page.goto(platform_url + "/territoires/ungersheim/")
    page.get_by_role("link", name="Vision", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La vision de Ungersheim")
    expect(page.locator("#coverage-title + p")).to_have_text(
        "Les orientations répondent à 5 des 11 besoins essentiels."
    )
    check_accessibility(page)
