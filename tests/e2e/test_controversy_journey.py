"""A territory works a conflict through in the open, in the browser: the team reports a controversy,
two parties state their positions — a cooperative of the map and a group of inhabitants —, the
team instructs it in the development council with a hearing and an état de la controverse that
carries a minority view, deliberates, decides saying how it used the instruction, and publishes
it; an anonymous citizen then reads its story. axe-core runs on every page of the journey."""

import quopri
import re
import time

from playwright.sync_api import expect

from .test_planning_journey import days_ago, saved
from .test_workspace_journey import choose, sign_in, workspace_link

TERRITORY = "/territoires/ungersheim"
SUBJECT = "Une centrale solaire sur l’ancienne friche (parcours)"
COOPERATIVE = "Coopérative citoyenne d'énergie (démonstration)"
NEIGHBOURS = "Riverains du chemin des Prés (parcours)"


def move(page, check_accessibility, stage: str, reason: str) -> None:
    page.get_by_role("button", name="Changer d’étape").click()
    check_accessibility(page)
    page.get_by_label(re.compile(rf"^\s*{stage}")).check()
    page.get_by_label(re.compile(r"^Pourquoi")).fill(reason)
    page.get_by_role("button", name="Changer d’étape").click()
    saved(page, f"La controverse est désormais « {stage} ».")


def add_party(page, *, position: str, interests: str, actor: str = "", group: str = "", email: str = ""):
    page.get_by_role("link", name="Ajouter une partie et sa position").click()
    if actor:
        choose(page.get_by_label(re.compile(r"^Acteur de la carte")), actor)
    else:
        page.get_by_label(re.compile(r"^Groupe d’habitants")).fill(group)
        page.get_by_label(re.compile(r"^Courriel de contact du groupe")).fill(email)
    page.get_by_label(re.compile(r"^Position")).fill(position)
    page.get_by_label(re.compile(r"^Intérêts déclarés")).fill(interests)
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La partie et sa position ont été enregistrées.")


def told_the_group(platform, stage: str) -> bool:
    """Whether the server's log holds the e-mail telling the group of the move to `stage`."""
    log = quopri.decodestring((platform.data / "server.log").read_bytes()).decode("utf-8", "replace")
    return bool(re.search(rf"To: riverains@example.org.*?« {stage} »", log, re.DOTALL))


def test_a_team_instructs_decides_and_publishes_a_controversy(
    page, browser, platform, platform_url, check_accessibility
):
    sign_in(page, platform_url, "admin@ungersheim.demo")
    page.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    workspace_link(page, "Controverses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controverses de Ungersheim")
    check_accessibility(page)

    # Reported, privately at first.
    page.get_by_role("button", name="Signaler une controverse").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Objet")).fill(SUBJECT)
    page.get_by_label(re.compile(r"^Description")).fill(
        "La commune propose des panneaux sur la friche ; des riverains craignent pour la haie et le chemin."
    )
    page.get_by_label(re.compile(r"^\s*Énergie")).check()
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La controverse a été signalée.")
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    check_accessibility(page)

    # Two parties state their positions.
    add_party(
        page,
        actor=COOPERATIVE,
        position="Pour une centrale citoyenne, financée par les habitants.",
        interests="La coopérative exploiterait la centrale.",
    )
    add_party(
        page,
        group=NEIGHBOURS,
        email="riverains@example.org",
        position="Pour des panneaux, pas au prix de la haie.",
        interests="Ils habitent en bordure de la friche.",
    )
    check_accessibility(page)

    # Instructed in the development council: a hearing, then the état de la controverse.
    page.get_by_role("button", name="Modifier").click()
    choose(
        page.get_by_label(re.compile(r"^Instance où elle est instruite")),
        "Conseil de développement (démonstration)",
    )
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La controverse a été enregistrée.")
    move(page, check_accessibility, "En instruction", "L’instance est choisie, les parties sont connues.")
    page.get_by_role("link", name="Ajouter une expertise (un document ou une audition)").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^\s*Audition")).check()
    page.get_by_label(re.compile(r"^Titre")).fill("Audition de la Ligue pour la protection des oiseaux")
    page.get_by_label(re.compile(r"^Date")).fill(days_ago(7))
    page.get_by_label(re.compile(r"^Résumé")).fill("La haie abrite des nids : la garder coûte 8 %.")
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "L’expertise a été enregistrée.")
    page.get_by_role("link", name="Rédiger une nouvelle version de l’état de la controverse").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^État de la controverse")).fill(
        "La centrale se fera ; la haie peut être gardée au prix de 8 % de surface."
    )
    page.get_by_label(re.compile(r"^Avis minoritaire")).fill("Les riverains veulent aussi garder le chemin.")
    page.get_by_label(re.compile(rf"^\s*{re.escape(COOPERATIVE)}")).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Les riverains veulent aussi garder le chemin.")

    # Deliberated, then decided: the decision says how it used the instruction.
    move(page, check_accessibility, "En délibération", "L’état de la controverse est rédigé.")
    page.get_by_role("button", name="Rédiger la décision").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Décision")).fill("La centrale est construite en gardant la haie.")
    page.get_by_label(re.compile(r"^Comment la décision")).fill(
        "Elle suit l’audition : 8 % de surface en moins pour garder la haie."
    )
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La décision a été enregistrée.")
    move(page, check_accessibility, "Décidée", "Le conseil municipal a voté.")
    # The background worker tells the parties after the commit.
    deadline = time.monotonic() + 30
    while not told_the_group(platform, "Décidée") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert told_the_group(platform, "Décidée")

    # Published: it becomes public.
    page.get_by_role("button", name="Modifier").click()
    page.get_by_label(re.compile(r"^\s*Public")).check()
    page.get_by_role("button", name="Enregistrer").click()
    saved(page, "La controverse a été enregistrée.")
    story_url = page.url

    # A citizen reads its story, without signing in.
    citizen = browser.new_page()
    citizen.goto(story_url)
    expect(citizen.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    main = citizen.locator("main")
    for text in (
        "Pour une centrale citoyenne, financée par les habitants.",
        NEIGHBOURS,
        "Audition de la Ligue pour la protection des oiseaux",
        "Les riverains veulent aussi garder le chemin.",
        "La centrale est construite en gardant la haie.",
        "Le conseil municipal a voté.",
    ):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text("Changer d’étape")
    check_accessibility(citizen)
    citizen.goto(platform_url + TERRITORY + "/controverses/?stage=decided")
    expect(citizen.get_by_role("link", name=SUBJECT)).to_be_visible()
    check_accessibility(citizen)
    citizen.close()
