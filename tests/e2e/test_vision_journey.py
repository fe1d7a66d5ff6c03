"""A territory admin rewrites the vision in the browser, then reads its coverage and history."""

import datetime
import re

from playwright.sync_api import expect

from trajectoires.site.demo import DEMO_PASSWORD


def test_an_admin_writes_the_vision_and_compares_versions(page, platform_url, check_accessibility):
    page.goto(platform_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("admin@biovallee.demo")
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto(platform_url + "/territoires/biovallee/")
    page.get_by_role("link", name="Vision", exact=True).click()
    check_accessibility(page)
    page.get_by_role("button", name="Modifier la vision").click()
    check_accessibility(page)
    year = datetime.date.today().year + 15
    page.get_by_label(re.compile(r"^Année d'horizon")).fill(str(year))
    page.get_by_label(re.compile(r"^La vision")).fill(
        "Une vallée qui se nourrit, se soigne et se déplace sobrement."
    )
    page.get_by_label(re.compile(r"^Pourquoi ce changement")).fill("Relecture en conseil")
    first = page.get_by_role("group", name="Orientation 1")
    first.get_by_label(re.compile(r"^Orientation\s*:?$")).fill("Une agriculture biologique et locale")
    first.get_by_label("Eau").check()
    page.get_by_role("button", name="Enregistrer comme nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text(
        "La vision a été enregistrée comme une nouvelle version."
    )
    expect(page.locator("#coverage-title + p")).to_have_text(
        "Les orientations répondent à 6 des 11 besoins essentiels."
    )
    check_accessibility(page)
    page.get_by_role("link", name="Historique des versions").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    check_accessibility(page)
