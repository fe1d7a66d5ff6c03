"""A territory team steers over time in the browser: it adds a planning document, assesses its
coherence with an orientation of the vision, starts a pilot, logs two iterations and publishes the
pilot's transferability sheet, which another territory of the alliance then reads. axe-core runs on
every page of the journey."""

import datetime
import re

from playwright.sync_api import expect

from .test_workspace_journey import choose, sign_in, workspace_link

TERRITORY = "/territoires/grenoble-alpes-metropole"
DOCUMENT = "Plan de mobilité 2030 (parcours)"
PILOT = "Une place de marché sans voitures (parcours)"


def days_ago(days: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


def saved(page, message: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(message)


def test_a_team_keeps_its_documents_coherent_and_publishes_a_pilot(page, platform_url, check_accessibility):
    sign_in(page, platform_url, "admin@grenoble.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    workspace_link(page, "Documents et cohérence").click()
    check_accessibility(page)

    # A document the métropole writes, with its dates.
    page.get_by_role("button", name="Ajouter un document de planification").click()
    check_accessibility(page)
    page.get_by_label("Type de document").select_option(label="Plan de mobilité (PDM)")
    page.get_by_label(re.compile(r"^Titre")).fill(DOCUMENT)
    choose(page.get_by_label(re.compile(r"^Structure qui l’élabore")), "Grenoble-Alpes-Métropole")
    page.get_by_label(re.compile(r"^Statut")).select_option(label="Adopté")
    page.get_by_label(re.compile(r"^Adopté le")).fill("2025-06-30")
    page.get_by_label(re.compile(r"^Révision prévue le")).fill("2031-06-30")
    page.get_by_label(re.compile(r"^\s*Public")).check()
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "Le document de planification a été enregistré.")
    expect(page.get_by_role("heading", level=1)).to_have_text(DOCUMENT)
    check_accessibility(page)

    # Its coherence with the first orientation of the vision.
    page.goto(platform_url + TERRITORY + "/documents/")
    page.get_by_role("button", name="La matrice de cohérence").click()
    check_accessibility(page)
    page.get_by_role("link", name=f"Évaluer — {DOCUMENT} × Respirer un air sain").click()
    check_accessibility(page)
    page.get_by_label("Cohérent", exact=True).check()
    page.get_by_label(re.compile(r"^Raison")).fill("Le plan réduit la place de la voiture au centre.")
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "L’évaluation a été enregistrée.")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(re.escape(DOCUMENT)))
    )
    expect(row).to_contain_text("Cohérent")
    check_accessibility(page)

    # A pilot, tested and adjusted, then scaled up.
    page.goto(platform_url + TERRITORY + "/pilotes/")
    check_accessibility(page)
    page.get_by_role("button", name="Lancer un pilote").click()
    page.get_by_label(re.compile(r"^Titre")).fill(PILOT)
    page.get_by_label(re.compile(r"^Hypothèse")).fill(
        "Si la place est rendue aux piétons le samedi, le marché attire plus."
    )
    page.get_by_label(re.compile(r"^Périmètre")).fill("Une place, le samedi matin, trois mois.")
    page.get_by_label(re.compile(r"^Début")).fill(days_ago(90))
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "Le pilote a été enregistré.")
    check_accessibility(page)
    for number, (when, decision) in enumerate(((60, "Ajuster"), (10, "Passer à l’échelle")), start=1):
        page.get_by_role("button", name="Enregistrer une itération").click()
        page.get_by_label(re.compile(r"^Date")).fill(days_ago(when))
        page.get_by_label(re.compile(r"^Ce qui a été essayé")).fill(f"Essai n° {number}.")
        page.get_by_label(re.compile(r"^Ce qui a été observé")).fill(f"Observation n° {number}.")
        page.get_by_label(decision, exact=True).check()
        page.get_by_label(re.compile(r"^La décision prise et pourquoi")).fill(f"Décision n° {number}.")
        check_accessibility(page)
        page.get_by_role("button", name="Enregistrer l’itération").click()
        saved(page, f"L’itération {number} a été enregistrée.")
    expect(page.locator("main")).to_contain_text("Passé à l’échelle")
    check_accessibility(page)

    # Its transferability sheet, written then published to the alliance.
    page.get_by_role("button", name="Modifier la fiche de transférabilité").click()
    for label, text in (
        ("Contexte", "Une place centrale encombrée le samedi."),
        ("Prérequis", "L'accord des commerçants et des forains."),
        ("Coûts", "Des barrières et deux agents le samedi."),
        ("Écueils", "Prévenir les riverains à l'avance."),
        ("Contacts", "Le service Espaces publics."),
    ):
        page.get_by_label(re.compile(f"^{label}")).fill(text)
    check_accessibility(page)
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La fiche de transférabilité a été enregistrée.")
    page.get_by_role("button", name="Publier pour l’alliance").click()
    saved(page, "La fiche de transférabilité est publiée pour l’alliance.")
    check_accessibility(page)

    # Another territory of the alliance reads it among the published sheets.
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, platform_url, "admin@thouarsais.demo")
    page.goto(platform_url + "/fiches-de-transferabilite/")
    expect(page.get_by_role("link", name=PILOT)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=PILOT).click()
    expect(page.locator("main")).to_contain_text("Des barrières et deux agents le samedi.")
    check_accessibility(page)
