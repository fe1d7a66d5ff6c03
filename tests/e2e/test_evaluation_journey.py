"""A territory evaluates a period, in the browser: the admin opens a self-assessment campaign and
answers it as an élu; an editor answers as an agent, and they disagree on a key action; the admin
reads the radar and the spread between groups, closes the campaign, collects a story of change, has
a panel select it, then opens the evaluation of the period — which leads with that story — and
produces its PDF report. axe-core runs on every page of the journey."""

import datetime
import re

from playwright.sync_api import expect

from .test_planning_journey import saved
from .test_workspace_journey import choose, sign_in, workspace_link

TERRITORY = "/territoires/ungersheim"
CAMPAIGN = "Autoévaluation du parcours"
DOMAIN = "Commerce de proximité (parcours)"
PERIOD = "Période du parcours"
STORY = "Le marché du samedi revit (parcours)"
# The élu and the agent agree on K1 and K2, and are three levels apart on K4.
ELU = {"K1": "M4", "K2": "M3", "K4": "M5"}
AGENT = {"K1": "M3", "K2": "M3", "K4": "M2"}


def day(delta: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=delta)).isoformat()


def answer(tab, check_accessibility, group: str, role: str, levels: dict[str, str]) -> None:
    tab.get_by_role("button", name="Répondre").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Répondre à l’autoévaluation")
    check_accessibility(tab)
    choose(tab.get_by_label(re.compile(r"^Groupe")), group)
    tab.get_by_label(re.compile(r"^Rôle")).fill(role)
    for code, level in levels.items():
        tab.locator(f'input[name="{code}-level"][value="{level}"]').check()
    tab.get_by_role("button", name="Enregistrer les réponses").click()
    saved(tab, "Vos réponses ont été enregistrées.")


def open_section(tab, platform_url: str, name: str) -> None:
    """From the territory's dashboard, a section of its workspace."""
    tab.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    workspace = tab.get_by_role("navigation", name="Espace de travail du territoire")
    workspace.get_by_role("link", name=name, exact=True).click()


def spread_row(tab, code: str):
    table = tab.get_by_role("table", name=re.compile("écart entre les groupes"))
    return table.locator("tbody tr").filter(has=tab.locator("th", has_text=f"{code} —"))


def test_a_team_assesses_itself_selects_a_story_and_reads_the_evaluation_of_the_period(
    page, browser, platform_url, check_accessibility
):
    sign_in(page, platform_url, "admin@ungersheim.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")

    # The admin opens a campaign and answers it as an élu.
    workspace_link(page, "Autoévaluation").click()
    check_accessibility(page)
    page.get_by_role("button", name="Ouvrir une campagne").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Titre")).fill(CAMPAIGN)
    page.get_by_role("button", name="Ouvrir la campagne").click()
    saved(page, "La campagne a été ouverte.")
    expect(page.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    check_accessibility(page)
    campaign_url = page.url
    answer(page, check_accessibility, "Élu", "Maire", ELU)
    check_accessibility(page)

    # An editor of the territory answers as an agent, in their own session.
    context = browser.new_context(locale="fr-FR")
    editor = context.new_page()
    sign_in(editor, platform_url, "editeur@ungersheim.demo")
    editor.goto(campaign_url)
    expect(editor.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    check_accessibility(editor)
    answer(editor, check_accessibility, "Agent de la collectivité", "Directrice générale des services", AGENT)
    check_accessibility(editor)
    context.close()

    # The admin reads the radar and where the groups disagree, then closes the campaign.
    page.reload()
    expect(page.locator('[data-chart="radar-chart"] canvas')).to_have_count(1)
    expect(spread_row(page, "K4")).to_contain_text("Désaccord")
    expect(spread_row(page, "K1")).not_to_contain_text("Désaccord")
    expect(page.locator("main")).to_contain_text("Désaccord sur : K4 — Installer une gouvernance ouverte.")
    check_accessibility(page)
    page.get_by_role("button", name="Clore la campagne").click()
    check_accessibility(page)
    page.get_by_role("button", name="Clore la campagne").click()
    saved(page, "La campagne a été close.")
    check_accessibility(page)

    # A domain and a period frame the stories of change.
    open_section(page, platform_url, "Histoires de changement")
    check_accessibility(page)
    page.get_by_role("button", name="Domaines et périodes").click()
    check_accessibility(page)
    page.get_by_role("button", name="Ajouter un domaine de changement").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Nom")).fill(DOMAIN)
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "Le domaine de changement a été enregistré.")
    page.get_by_role("button", name="Ajouter une période de collecte").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Libellé")).fill(PERIOD)
    page.get_by_label(re.compile(r"^Commence le")).fill(day(-30))
    page.get_by_label(re.compile(r"^Finit le")).fill(day(30))
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La période de collecte a été enregistrée.")
    check_accessibility(page)

    # A story is collected…
    open_section(page, platform_url, "Histoires de changement")
    page.get_by_role("button", name="Recueillir une histoire").click()
    check_accessibility(page)
    choose(page.get_by_label(re.compile(r"^Période de collecte")), PERIOD)
    choose(page.get_by_label(re.compile(r"^Domaine de changement")), DOMAIN)
    page.get_by_label(re.compile(r"^Titre")).fill(STORY)
    page.get_by_label(re.compile(r"^Nom de la personne qui raconte")).fill("Maryse")
    page.get_by_label(re.compile(r"^Ce qui s")).fill(
        "Le marché du samedi avait disparu ; trois producteurs l’ont relancé avec la commune."
    )
    page.get_by_label(re.compile(r"^Pourquoi c’est important")).fill(
        "Je retrouve mes voisins le samedi matin."
    )
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "L’histoire a été recueillie.")
    check_accessibility(page)

    # …and a panel selects it.
    open_section(page, platform_url, "Histoires de changement")
    page.get_by_role("button", name="Enregistrer un tour de sélection").click()
    story_choice = page.get_by_role("radio", name=re.compile(re.escape(STORY)))
    if not story_choice.count():  # the stories listed are those of another period
        page.get_by_role("link", name=PERIOD, exact=True).click()
    check_accessibility(page)
    choose(page.get_by_label(re.compile(r"^Période de collecte")), PERIOD)
    page.get_by_label(re.compile(r"^Membres du panel\s*:?\s*$")).fill(
        "La maire, deux habitantes, le gérant de la coopérative"
    )
    page.get_by_role("checkbox", name=re.compile(re.escape(STORY))).check()
    story_choice.check()
    page.get_by_label(re.compile(r"^Pourquoi cette histoire")).fill("Le lien retrouvé entre voisins.")
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "Le tour de sélection a été enregistré.")
    check_accessibility(page)

    # The evaluation of the period leads with the story selected.
    open_section(page, platform_url, "Évaluation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation de Ungersheim")
    if not page.get_by_text(re.compile(rf"^{PERIOD} · ")).count():
        choose(page.get_by_label("Période de collecte"), PERIOD)
        page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text(re.compile(rf"^{PERIOD} · "))).to_be_visible()
    main = page.locator("main")
    expect(main.locator("section").first.get_by_role("heading", level=2)).to_have_text(
        "Histoires de changement choisies"
    )
    first = main.locator("section").first.locator("article").first
    expect(first.get_by_role("heading", level=3)).to_have_text(STORY)
    expect(first).to_contain_text("Pourquoi le panel l’a choisie : Le lien retrouvé entre voisins.")
    expect(main).to_contain_text(f"{CAMPAIGN} : 2 personnes ont répondu.")
    expect(page.locator('[data-chart="radar-chart"] canvas')).to_have_count(1)
    check_accessibility(page)

    # Its report, for the team, is generated in the background.
    page.get_by_label(re.compile(r"^Public visé")).select_option("private")
    page.get_by_role("button", name="Produire le rapport PDF").click()
    saved(page, "Le rapport a été demandé : il est en cours de production et sera prêt dans un instant.")
    reports = page.get_by_role(
        "table", name="Les rapports que vous pouvez lire, du plus récent au plus ancien"
    )
    expect(reports.locator("tbody tr").first).to_contain_text(PERIOD)
    check_accessibility(page)
    for _ in range(60):
        if "Prêt" in reports.locator("tbody tr").first.inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    download = reports.locator("tbody tr").first.get_by_role("link", name=re.compile("^Télécharger le PDF"))
    response = page.request.get(platform_url + download.get_attribute("href"))
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert response.body().startswith(b"%PDF")
    check_accessibility(page)
