"""A multi-funder engagement contract from its drafting to its first annual report, in the browser.

The State's admin drafts a contract with Ungersheim from the State's contracts, invites the Région
as co-funder, puts the Région's first tranche behind the diagnostic sensible, plans the tranches and
a budget line, proposes the contract and signs it; the Région's admin signs; the territory's admin
signs — the contract is signed by every party — and the State starts it. The Région commits its
first tranche; paying it is refused while it is locked; the territory shares its diagnostic
sensible (completed and validated in the demo) with the Région from the diagnostic's page; the
tranche unlocks and is paid. The territory writes the report on the first year, citing a journal
entry its partners may read, and submits it once; the State and the Région read the same report,
each accepts it, and it is accepted by every co-funder. Each person works in their own session, and
axe-core runs on every page the journey visits."""

import re

from playwright.sync_api import expect

from .test_planning_journey import saved
from .test_workspace_journey import choose, sign_in, workspace_link

TERRITORY = "/territoires/ungersheim"
STATE = "Services de l'État dans le Haut-Rhin (démonstration)"
STATE_PAGE = "/financeurs/services-de-letat-dans-le-haut-rhin-demonstration/"
REGION = "Région Grand Est (démonstration)"
REGION_PAGE = "/financeurs/region-grand-est-demonstration/"
TITLE = "Contrat du parcours 2026–2028"
TRANCHES = [  # co-funder, year, amount (the one in LOCKED waits for the diagnostic sensible)
    (STATE, 2026, "30000"),
    (STATE, 2027, "30000"),
    (STATE, 2028, "30000"),
    (REGION, 2026, "20000"),
    (REGION, 2027, "20000"),
    (REGION, 2028, "20000"),
]
LOCKED = (REGION, 2026)
JOURNAL_ENTRY = "Chantier participatif au verger communal"
NARRATIVE = "Le verger communal a été planté avec les habitants ; la chargée de mission anime le parcours."
UNLOCK = f"Terminez le diagnostic sensible et partagez-le avec {REGION}."


def session(browser, platform_url: str, email: str):
    """A signed-in person in their own browser session; the console errors they meet are collected."""
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(tab, platform_url, email)
    return context, tab, errors


def heading(tab):
    return tab.get_by_role("heading", level=1)


def label(tab, text: str):
    return tab.get_by_label(re.compile(rf"^{re.escape(text)}"))


def actions(tab):
    return tab.locator("#actions")


def open_contract_from_funder(tab, platform_url: str, funder_page: str, funder: str, check_accessibility):
    """From the funder's page, its contracts, then the journey's contract."""
    tab.goto(platform_url + funder_page)
    tab.get_by_role("navigation", name="Programmes et contrats du financeur").get_by_role(
        "link", name="Contrats", exact=True
    ).click()
    expect(heading(tab)).to_have_text(f"Les contrats de {funder}")
    check_accessibility(tab)
    tab.get_by_role("link", name=TITLE, exact=True).click()
    expect(heading(tab)).to_have_text(TITLE)


def status_line(tab, status: str):
    expect(tab.locator("hgroup")).to_contain_text(f"Contrat d’engagement · {status}")


def sign(tab, who: str, check_accessibility) -> None:
    actions(tab).get_by_role("button", name=f"Signer pour {who}", exact=True).click()
    expect(heading(tab)).to_have_text("Signer le contrat")
    check_accessibility(tab)
    tab.locator("main form").get_by_role("button", name="Signer", exact=True).click()
    saved(tab, "La signature a été enregistrée.")


def tranche_cell(tab, funder: str, year: int):
    table = tab.get_by_role("table", name="Tranches par cofinanceur et par année, en euros")
    years = [int(text) for text in table.locator("thead th").all_inner_texts()[1:]]
    row = table.locator("tbody tr").filter(has=tab.locator("th", has_text=funder))
    return row.locator("td").nth(years.index(year))


def tranche_button(tab, verb: str, funder: str, year: int):
    return tranche_cell(tab, funder, year).get_by_role(
        "button", name=f"{verb} la tranche de {funder} pour {year}", exact=True
    )


def read_and_accept(tab, platform_url: str, funder_page: str, funder: str, check_accessibility, status: str):
    """A co-funder finds the submitted report in its list of reports, reads it and accepts it."""
    tab.goto(platform_url + funder_page + "contrats/")
    tab.get_by_role("link", name="Rapports annuels", exact=True).click()
    expect(heading(tab)).to_have_text("Rapports annuels")
    check_accessibility(tab)
    done = tab.locator("section").filter(has=tab.get_by_role("heading", level=2, name="Rendus"))
    row = done.locator("tbody tr").filter(has=tab.get_by_role("link", name=TITLE, exact=True))
    expect(row).to_contain_text("2026")
    row.get_by_role("link", name="Soumis aux cofinanceurs").click()
    expect(heading(tab)).to_have_text("Rapport annuel 2026")
    main = tab.locator("main")
    expect(main).to_contain_text(NARRATIVE)
    expect(
        main.locator("section").filter(has=tab.get_by_role("heading", name="Temps forts du journal"))
    ).to_contain_text(JOURNAL_ENTRY)
    expect(tab.locator("hgroup")).to_contain_text("Soumis aux cofinanceurs · soumis une fois")
    check_accessibility(tab)
    form = tab.locator("form").filter(has=tab.get_by_role("button", name="Envoyer", exact=True))
    expect(label(form, "Pour quel cofinanceur").locator("option:checked")).to_have_text(funder)
    form.get_by_role("radio", name="Accepter le rapport").check()
    form.get_by_role("button", name="Envoyer", exact=True).click()
    saved(tab, "Votre lecture est transmise au territoire et aux autres cofinanceurs.")
    expect(tab.locator("hgroup")).to_contain_text(status)
    expect(
        tab.locator("section").filter(has=tab.get_by_role("heading", name="Les lectures des cofinanceurs"))
    ).to_contain_text(f"{funder} · soumission 1 · Accepter le rapport")
    check_accessibility(tab)


def test_two_funders_and_a_territory_run_a_contract_from_its_draft_to_its_first_report(
    page, browser, platform_url, check_accessibility
):
    # 1. The State's admin drafts the contract from the State's contracts…
    sign_in(page, platform_url, "admin@etat-haut-rhin.demo")
    page.goto(platform_url + STATE_PAGE)
    check_accessibility(page)
    page.get_by_role("navigation", name="Programmes et contrats du financeur").get_by_role(
        "link", name="Contrats", exact=True
    ).click()
    expect(heading(page)).to_have_text(f"Les contrats de {STATE}")
    check_accessibility(page)
    page.get_by_role("button", name="Préparer un contrat").click()
    expect(heading(page)).to_have_text("Préparer un contrat")
    check_accessibility(page)
    choose(label(page, "Territoire"), "Ungersheim")
    choose(label(page, "Programme"), "Ingénierie de la transition écologique")
    label(page, "Titre").fill(TITLE)
    label(page, "Résumé").fill("L’État et la Région financent ensemble trois ans de parcours de transition.")
    page.get_by_role("radio", name="Les années indiquées ci-dessous").check()
    label(page, "Première année").fill("2026")
    label(page, "Dernière année").fill("2028")
    label(page, "Montant total (€)").fill("150000")
    label(page, f"Part de {STATE} (€)").fill("90000")
    page.get_by_role("button", name="Créer le brouillon").click()
    saved(page, "Le brouillon de contrat a été créé.")
    expect(heading(page)).to_have_text(TITLE)
    status_line(page, "Brouillon")
    check_accessibility(page)
    contract_url = page.url.split("#")[0]

    # …invites the Région as co-funder…
    page.get_by_role("button", name="Inviter un cofinanceur").click()
    expect(heading(page)).to_have_text("Inviter un cofinanceur")
    check_accessibility(page)
    choose(label(page, "Financeur"), REGION)
    choose(label(page, "Programme"), "Territoires en transition Grand Est")
    label(page, "Part (€)").fill("60000")
    page.get_by_role("button", name="Inviter", exact=True).click()
    saved(page, f"{REGION} a rejoint le contrat.")

    # …keeps the Région's first tranche for after the diagnostic sensible…
    page.get_by_role("button", name="Ajouter une condition préalable").click()
    expect(heading(page)).to_have_text("Ajouter une condition préalable")
    check_accessibility(page)
    page.get_by_role("radio", name="Un diagnostic sensible terminé, partagé avec le financeur").check()
    choose(label(page, "Pour quel cofinanceur"), REGION)
    page.get_by_role("button", name="Ajouter", exact=True).click()
    saved(page, "La condition préalable a été ajoutée.")

    # …plans the tranches of both co-funders…
    for index, (funder, year, amount) in enumerate(TRANCHES):
        page.get_by_role("button", name="Prévoir une tranche").click()
        expect(heading(page)).to_have_text("Prévoir une tranche")
        if index == 0:
            check_accessibility(page)
        choose(label(page, "Cofinanceur"), funder)
        label(page, "Année").fill(str(year))
        label(page, "Montant (€)").fill(amount)
        if (funder, year) == LOCKED:
            choose(
                label(page, "Condition préalable"),
                f"Un diagnostic sensible terminé, partagé avec le financeur — {REGION}",
            )
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        saved(page, "La tranche a été prévue.")

    # …and a budget line, then proposes the contract.
    page.get_by_role("button", name="Prévoir une ligne budgétaire").click()
    expect(heading(page)).to_have_text("Prévoir une ligne budgétaire")
    check_accessibility(page)
    choose(label(page, "Cofinanceur qui la paie"), STATE)
    choose(label(page, "Catégorie"), "Ingénierie humaine")
    label(page, "Libellé").fill("Chargée de mission du parcours")
    label(page, "Année").fill("2026")
    label(page, "Prévu (€)").fill("30000")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    saved(page, "La ligne budgétaire a été prévue.")
    expect(page.locator("#budget")).to_contain_text("Chargée de mission du parcours")
    expect(page.locator("#problems")).to_contain_text("Rien : le contrat peut être proposé à la signature.")
    expect(tranche_cell(page, *LOCKED)).to_contain_text("verrouillée")
    expect(page.locator("#conditions")).to_contain_text(f"Pour la lever : {UNLOCK}")
    check_accessibility(page)

    actions(page).get_by_role("button", name="Proposer à la signature", exact=True).click()
    expect(heading(page)).to_have_text("Proposer le contrat à la signature")
    check_accessibility(page)
    page.locator("main form").get_by_role("button", name="Proposer à la signature", exact=True).click()
    saved(page, "Le contrat a été proposé à la signature.")
    status_line(page, "Proposé à la signature")
    sign(page, STATE, check_accessibility)
    expect(page.locator("#parties")).to_contain_text(f"Signatures encore attendues : Ungersheim, {REGION}.")
    check_accessibility(page)

    # 2. The Région's admin finds the contract among the Région's and signs it.
    region_context, region, region_errors = session(browser, platform_url, "admin@region-grand-est.demo")
    open_contract_from_funder(region, platform_url, REGION_PAGE, REGION, check_accessibility)
    status_line(region, "Proposé à la signature")
    check_accessibility(region)
    sign(region, REGION, check_accessibility)
    expect(region.locator("#parties")).to_contain_text("Signatures encore attendues : Ungersheim.")

    # 3. The territory's admin signs from the territory's contracts: every party has signed.
    territory_context, territory, territory_errors = session(browser, platform_url, "admin@ungersheim.demo")
    territory.goto(platform_url + TERRITORY + "/tableau-de-bord/")
    workspace_link(territory, "Contrats").click()
    expect(heading(territory)).to_have_text("Les contrats d’engagement de Ungersheim")
    check_accessibility(territory)
    territory.get_by_role("link", name=TITLE, exact=True).click()
    check_accessibility(territory)
    sign(territory, "Ungersheim", check_accessibility)
    status_line(territory, "Signé par toutes les parties")
    check_accessibility(territory)

    # The State starts it.
    page.goto(contract_url)
    status_line(page, "Signé par toutes les parties")
    actions(page).get_by_role("button", name="Démarrer le contrat", exact=True).click()
    expect(heading(page)).to_have_text("Démarrer le contrat")
    check_accessibility(page)
    page.locator("main form").get_by_role("button", name="Démarrer le contrat", exact=True).click()
    saved(page, "Le contrat est actif.")
    status_line(page, "Actif")
    check_accessibility(page)

    # 4. The Région commits its first tranche; paying it is refused while the diagnostic is not shared.
    region.goto(contract_url)
    status_line(region, "Actif")
    tranche_button(region, "Engager", *LOCKED).click()
    saved(region, "La tranche a été engagée.")
    expect(tranche_cell(region, *LOCKED)).to_contain_text("verrouillée")
    expect(region.locator("#conditions")).to_contain_text(
        f"Elle verrouille : la tranche de {REGION} pour 2026 ("
    )
    expect(region.locator("#conditions")).to_contain_text(f"Pour la lever : {UNLOCK}")
    check_accessibility(region)
    tranche_button(region, "Verser", *LOCKED).click()
    expect(heading(region)).to_have_text("La tranche n’a pas été modifiée")
    expect(region.locator("main")).to_contain_text(f"Cette tranche est verrouillée : {UNLOCK}")
    check_accessibility(region)
    # The refusal is answered 400, which the browser reports on its console: the only error expected.
    assert region_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    region_errors.clear()

    # The territory shares its diagnostic sensible (completed and validated) with the Région.
    workspace_link(territory, "Diagnostic sensible").click()
    expect(heading(territory)).to_have_text("Le diagnostic sensible de Ungersheim")
    territory.get_by_role("link", name="Diagnostic sensible d'Ungersheim").click()
    expect(territory.locator("main")).to_contain_text("Validé par l’équipe")
    share = territory.locator("form").filter(has=territory.get_by_role("button", name="Partager", exact=True))
    choose(share.get_by_label(re.compile("^Financeur")), REGION)
    share.get_by_role("button", name="Partager", exact=True).click()
    expect(territory.locator("main")).to_contain_text(REGION)
    check_accessibility(territory)

    # The tranche unlocks and the Région pays it.
    region.goto(contract_url)
    expect(tranche_cell(region, *LOCKED)).not_to_contain_text("verrouillée")
    expect(region.locator("#conditions")).not_to_contain_text("Pour la lever")
    tranche_button(region, "Verser", *LOCKED).click()
    saved(region, "La tranche a été versée.")
    expect(tranche_cell(region, *LOCKED)).to_contain_text("versée le")
    check_accessibility(region)

    # 5. The territory writes the report on 2026, citing a journal entry, and submits it once.
    territory.goto(contract_url)
    territory.get_by_role("link", name="Rapports annuels", exact=True).click()
    expect(heading(territory)).to_have_text("Rapports annuels")
    check_accessibility(territory)
    due = territory.locator("tbody tr").filter(has=territory.get_by_role("link", name=TITLE, exact=True))
    due.filter(has_text="2026").get_by_role("button", name="Ouvrir le rapport sur 2026").click()
    expect(heading(territory)).to_have_text("Rapport annuel 2026")
    expect(territory.locator("hgroup")).to_contain_text("En cours d’écriture")
    check_accessibility(territory)
    label(territory, "Ce qui a changé cette année, avec vos mots").fill(NARRATIVE)
    territory.get_by_role("checkbox", name=re.compile(re.escape(JOURNAL_ENTRY))).check()
    territory.get_by_role("button", name="Enregistrer le rapport").click()
    saved(territory, "Le rapport est enregistré.")
    territory.get_by_role("button", name="Soumettre à tous les cofinanceurs").click()
    saved(territory, "Le rapport est soumis à tous les cofinanceurs.")
    expect(territory.locator("hgroup")).to_contain_text("Soumis aux cofinanceurs · soumis une fois")
    expect(territory.get_by_role("button", name="Soumettre à tous les cofinanceurs")).to_have_count(0)
    check_accessibility(territory)

    # 6. Each co-funder reads the same report and accepts it.
    read_and_accept(page, platform_url, STATE_PAGE, STATE, check_accessibility, "Soumis aux cofinanceurs")
    read_and_accept(
        region, platform_url, REGION_PAGE, REGION, check_accessibility, "Accepté par tous les cofinanceurs"
    )
    territory.reload()
    expect(territory.locator("hgroup")).to_contain_text("Accepté par tous les cofinanceurs · soumis une fois")

    # The State reads the coherence of the contract and its portfolio.
    page.goto(contract_url)
    page.get_by_role("link", name="Cohérence entre cofinanceurs", exact=True).click()
    expect(heading(page)).to_have_text("Cohérence entre cofinanceurs")
    check_accessibility(page)
    page.goto(platform_url + STATE_PAGE + "contrats/")
    page.get_by_role("link", name="Portefeuille", exact=True).click()
    expect(heading(page)).to_have_text(f"Portefeuille de {STATE}")
    expect(page.locator("main")).to_contain_text(TITLE)
    check_accessibility(page)
    # The alliance-wide view of funding (no link leads to it yet: reached by its address).
    page.goto(platform_url + "/financements/")
    expect(heading(page)).to_have_text("Les financements de l’alliance")
    check_accessibility(page)

    region_context.close()
    territory_context.close()
    assert (region_errors, territory_errors) == ([], [])
