"""Signing in, inviting, joining, and what a viewer may not do — in Chromium, with axe."""

import re

from playwright.sync_api import expect

from trajectoires.site.demo import DEMO_PASSWORD

PASSWORD = re.compile(r"^Mot de passe\s*:?$")  # not « Mot de passe, à nouveau »


def sign_in(page, platform_url, email):
    page.goto(platform_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label(PASSWORD).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_an_invited_person_accepts_and_sees_their_territory(browser, page, platform, check_accessibility):
    sign_in(page, platform.url, "admin@ungersheim.demo")
    page.goto(platform.url + "/territoires/ungersheim/")
    page.get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe de Ungersheim")
    check_accessibility(page)
    page.get_by_label("Adresse électronique").fill("nouvelle.habitante@example.org")
    page.get_by_label(re.compile(r"^Rôle\s*:?$")).select_option("contributor")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Une invitation a été envoyée à nouvelle.habitante@example.org."
    )

    link = platform.last_link("/invitations/")
    guest = browser.new_context(locale="fr-FR").new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Invitation")
    check_accessibility(guest)
    guest.get_by_label("Nom complet").fill("Nora Habitante")
    guest.get_by_label(PASSWORD).fill("un mot de passe solide")
    guest.get_by_label("Mot de passe, à nouveau").fill("un mot de passe solide")
    guest.get_by_role("button", name="Créer mon compte et rejoindre l'équipe").click()
    expect(guest.get_by_role("status")).to_contain_text("Bienvenue dans l'équipe de Ungersheim.")
    expect(guest.locator("table")).to_contain_text("Nora Habitante")
    check_accessibility(guest)

    guest.goto(platform.url + "/territoires/ungersheim/")
    expect(guest.get_by_text("Votre rôle ici : Contributeur du territoire")).to_be_visible()
    guest.get_by_role("link", name="Journal").click()
    expect(guest.get_by_role("link", name="Bilan d'étape de la régie agricole")).to_have_count(0)  # private
    expect(
        guest.get_by_role("link", name="Réunion avec la sous-préfecture sur le projet alimentaire")
    ).to_be_visible()
    check_accessibility(guest)


def test_a_viewer_reads_but_cannot_reach_an_edit_form(browser, page, platform, check_accessibility):
    sign_in(page, platform.url, "lecteur@ungersheim.demo")
    page.goto(platform.url + "/territoires/ungersheim/journal/")
    page.get_by_role("link", name="Bilan d'étape de la régie agricole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan d'étape de la régie agricole")
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    check_accessibility(page)
    tab = browser.new_context(locale="fr-FR").new_page()  # a 404 is logged as a console error: own tab
    sign_in(tab, platform.url, "lecteur@ungersheim.demo")
    response = tab.goto(page.url + "modifier/")
    assert response.status == 404
    expect(tab.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    response = tab.goto(platform.url + "/territoires/ungersheim/journal/nouveau/")
    assert response.status == 404
