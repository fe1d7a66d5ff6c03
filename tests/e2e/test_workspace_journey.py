"""A territory team in its workspace: it revises the vision, adds an actor and a cooperation tie, the
background worker computes the network metrics, and the network page and the dashboard show them.
axe-core runs on every page of the journey."""

import re

from playwright.sync_api import expect

from trajectoires.site.demo import DEMO_PASSWORD

TERRITORY = "/territoires/grande-synthe"
NEW_ACTOR = "La médiatrice du centre social (journey)"


def sign_in(page, platform_url, email):
    page.goto(platform_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def figure(page, name: str):
    return page.locator("dl.figures div").filter(has=page.locator("dt", has_text=re.compile(f"^{name}$")))


def choose(select, text: str) -> None:
    """Select the option whose label contains `text` (labels also show the category)."""
    select.select_option(label=select.locator("option", has_text=text).first.inner_text().strip())


def workspace_link(page, name: str):
    return page.get_by_role("navigation", name="Espace de travail du territoire").get_by_role(
        "link", name=name
    )


def ties_shown(page) -> int | None:
    ties = figure(page, "Liens").locator("dd")
    return int(ties.inner_text().split()[0]) if ties.count() else None


def reload_until(page, condition) -> None:
    """The background worker computes the metrics shortly after a change: reload until they show."""
    for _ in range(60):
        if condition():
            return
        page.wait_for_timeout(500)
        page.reload()
    raise AssertionError(f"{page.url}: the metrics did not arrive")


def test_a_team_revises_its_vision_maps_a_tie_and_sees_the_network(page, platform_url, check_accessibility):
    sign_in(page, platform_url, "admin@grande-synthe.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord de Grande-Synthe")
    expect(page.locator('[data-chart="coverage-chart"] canvas')).to_have_count(1)
    check_accessibility(page)

    # The vision, revised as a new version.
    workspace_link(page, "Vision").click()
    page.get_by_role("button", name="Modifier la vision").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^La vision")).fill(
        "Démonstration. Grande-Synthe : mieux vivre, avec ses habitants."
    )
    page.get_by_label(re.compile(r"^Pourquoi ce changement")).fill("Séminaire de l'équipe")
    page.get_by_role("button", name="Enregistrer comme nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text(
        "La vision a été enregistrée comme une nouvelle version."
    )

    # An actor joins the map.
    workspace_link(page, "Acteurs").click()
    check_accessibility(page)
    page.get_by_role("button", name="Ajouter un acteur").click()
    page.get_by_label("Personne").check()
    page.get_by_label(re.compile(r"^Nom\s*:?$")).fill(NEW_ACTOR)
    page.get_by_label(re.compile(r"^Catégorie d’acteur")).select_option(label="Habitant / association")
    check_accessibility(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_ACTOR)

    # A tie in the latest survey round; the worker recomputes the round's metrics.
    page.goto(platform_url + TERRITORY + "/cooperation/")  # the actor's page has no workspace menu
    check_accessibility(page)
    page.get_by_role("link", name="Enquête coopération 2026").first.click()
    reload_until(page, lambda: ties_shown(page) is not None)  # the demo's rounds, queued at its loading
    ties_before = ties_shown(page)
    choose(page.get_by_label(re.compile(r"^Premier acteur")), NEW_ACTOR)
    choose(page.get_by_label(re.compile(r"^Second acteur")), "L'exécutif")
    page.get_by_label(re.compile(r"^Type de lien")).select_option(label="Projet commun")
    page.get_by_label(re.compile(r"^Fréquence")).select_option(label="Mensuelle")
    page.get_by_label(re.compile(r"^Qualité")).select_option("3")
    check_accessibility(page)
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(page.locator(".messages")).to_contain_text(
        "Le lien a été ajouté. Les mesures sont en cours de recalcul."
    )
    reload_until(page, lambda: ties_shown(page) is not None)
    assert ties_shown(page) == ties_before + 1

    # The network: a drawn graph and the same data in tables.
    page.get_by_role("link", name="Voir le réseau de cette enquête").click()
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    expect(page.get_by_role("cell", name=NEW_ACTOR).first).to_be_visible()
    check_accessibility(page)

    # The dashboard follows.
    workspace_link(page, "Tableau de bord").click()
    reload_until(page, lambda: ties_shown(page) == ties_before + 1)
    expect(
        page.get_by_text("Démonstration. Grande-Synthe : mieux vivre, avec ses habitants.")
    ).to_be_visible()
    check_accessibility(page)


def test_a_visitor_sees_only_the_public_side_of_the_workspace(page, platform_url, check_accessibility):
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Ce que voit chaque public")).to_have_count(0)
    expect(page.get_by_text("Le chantier pilote prend du retard")).to_have_count(0)  # a private entry
    expect(page.get_by_text("Première saison réussie du projet pilote")).to_be_visible()
    check_accessibility(page)
    page.goto(platform_url + TERRITORY + "/cooperation/reseau/")
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    expect(page.get_by_text("L'exécutif (démonstration)")).to_have_count(0)  # a partners-only person
    check_accessibility(page)
