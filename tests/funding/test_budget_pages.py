"""The pages inside a contract for its tranches, budget lines and conditions precedent: the grid of
tranches per co-funder and year, the budget by category with the share going to capacities (S1),
what is locked and what unlocks it — as each role reads them on the contract's page — and their
writes: planning, committing and paying tranches (a locked one refused with what unlocks it),
planning lines and recording what they spend, adding and removing conditions; bad input named next
to its field with nothing written, and 404 for whoever may not."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.evaluation.test_diagnostics import SECTIONS, a_diagnostic, complete
from tests.funding.builders import (
    a_contract,
    a_line,
    actions,
    active,
    base,
    body_of,
    build_funding_world,
    signed,
    today,
)
from tests.pages import page_text, sent_form
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import diagnostic_share
from trajectoires.funding.budget import condition_add, tranche_save
from trajectoires.funding.contracts import contract_activate
from trajectoires.funding.models import BudgetLine, Condition, Tranche

pytestmark = pytest.mark.django_db

DIAGNOSTIC = "Un diagnostic sensible terminé, partagé avec le financeur"
PARTNERSHIP = "Un partenariat signé entre le financeur et le territoire"
UNLOCK_STATE = "Terminez le diagnostic sensible et partagez-le avec Préfecture du Haut-Rhin."


@pytest.fixture
def fw():
    return build_funding_world()


def budget_world(fw):
    """A draft with three lines: staff (capacity, Préfecture), training (capacity, Région) and a
    greenhouse (project, Préfecture, locked behind the diagnostic by the State's programme)."""
    contract = a_contract(fw)
    a_line(fw, contract)
    a_line(fw, contract, category="material_investment", label="Serre", planned="30000.00")
    a_line(
        fw,
        contract,
        category="training_action",
        funder=fw.region,
        label="Formation des élus",
        planned="10000.00",
        year=2028,
    )
    return contract


# The contract's page ------------------------------------------------------------------------------


def test_the_preparer_reads_the_tranches_the_budget_its_capacity_share_and_what_is_locked(client, fw):
    contract = budget_world(fw)
    client.force_login(fw.prefecture_admin)
    response = client.get(base(contract))
    body = page_text(response)
    assert (
        "Tranches Tranches par cofinanceur et par année, en euros Cofinanceur 2027 2028 2029 "
        "Préfecture du Haut-Rhin · part : 200 000,00 € (66,67 %) 66 666,67 € "
        "Modifier la tranche de Préfecture du Haut-Rhin pour 2027 · "
        "Supprimer la tranche de Préfecture du Haut-Rhin pour 2027 66 666,67 € "
    ) in body
    assert (
        "Région Grand Est · part : 100 000,00 € (33,33 %) 33 333,33 € "
        "Modifier la tranche de Région Grand Est pour 2027 · "
        "Supprimer la tranche de Région Grand Est pour 2027"
    ) in body
    assert "Total par année 100 000,00 € 100 000,00 € 100 000,00 € Prévoir une tranche" in body
    assert (
        "Budget Part consacrée aux capacités : 70 % · du budget prévu, le reste finançant des projets "
        "Lignes budgétaires par catégorie, prévu et dépensé, en euros "
        "Ligne Année Payée par Prévu Dépensé Actions "
        "Ingénierie humaine · capacités Chargée de mission transition 2027 Préfecture du Haut-Rhin "
        "60 000,00 € 0,00 € Modifier la ligne Chargée de mission transition (2027) · "
        "Supprimer la ligne Chargée de mission transition (2027) "
        "Total Ingénierie humaine 60 000,00 € 0,00 € "
        "Formation-action · capacités Formation des élus 2028 Région Grand Est 10 000,00 € 0,00 € "
        "Modifier la ligne Formation des élus (2028) · Supprimer la ligne Formation des élus (2028) "
        "Total Formation-action 10 000,00 € 0,00 € "
        "Investissement matériel · projet Serre verrouillée 2027 Préfecture du Haut-Rhin 30 000,00 € 0,00 € "
        "Modifier la ligne Serre (2027) · Supprimer la ligne Serre (2027) "
        "Total Investissement matériel 30 000,00 € 0,00 € "
        "Budget total 100 000,00 € 0,00 € Prévoir une ligne budgétaire"
    ) in body
    assert (
        f"Conditions préalables {DIAGNOSTIC} · Préfecture du Haut-Rhin — non levée "
        "Elle verrouille : la ligne Serre (2027, 30 000,00 €). "
        f"Pour la lever : {UNLOCK_STATE} "
        f"Retirer la condition « {DIAGNOSTIC} » de Préfecture du Haut-Rhin "
        "Ajouter une condition préalable"
    ) in body
    page = response.content.decode()
    assert '<div class="overflow-auto" tabindex="0" role="region" aria-labelledby="tranches-caption">' in page
    assert '<div class="overflow-auto" tabindex="0" role="region" aria-labelledby="budget-caption">' in page
    assert (
        '<th scope="rowgroup" colspan="6">Ingénierie humaine <span class="meta">· capacités</span></th>'
        in page
    )
    tranche = Tranche.objects.get(party__funder=fw.region, year=2029)
    assert f'<a href="{base(contract)}tranches/{tranche.pk}/modifier/">Modifier<span' in page


def test_the_territory_team_reads_without_writes_and_a_stranger_reads_nothing(client, fw):
    contract = budget_world(fw)
    client.force_login(fw.people["viewer"])
    body = body_of(client, contract)
    assert (
        "Préfecture du Haut-Rhin · part : 200 000,00 € (66,67 %) 66 666,67 € 66 666,67 € 66 666,67 € "
    ) not in body  # the last tranche is 66 666,66 €
    assert (
        "Préfecture du Haut-Rhin · part : 200 000,00 € (66,67 %) 66 666,67 € 66 666,67 € 66 666,66 € "
        "Région Grand Est"
    ) in body
    assert (
        "Ligne Année Payée par Prévu Dépensé Ingénierie humaine · capacités Chargée de mission transition "
        "2027 Préfecture du Haut-Rhin 60 000,00 € 0,00 € Total Ingénierie humaine"
    ) in body
    for absent in ("Prévoir une tranche", "Prévoir une ligne", "Ajouter une condition", "Retirer", "Engager"):
        assert absent not in body, absent
    client.force_login(fw.people["other_funder"])
    assert client.get(base(contract)).status_code == 404


def test_without_lines_nor_conditions_the_sections_say_so(client, fw):
    contract = a_contract(fw)
    client.force_login(fw.people["admin"])
    body = body_of(client, contract)
    assert "Budget Aucune ligne budgétaire pour l’instant. Prévoir une ligne budgétaire" in body
    assert "Part consacrée aux capacités" not in body
    assert (
        "Conditions préalables Aucune condition préalable : rien n’est verrouillé. "
        "Ajouter une condition préalable"
    ) in body


# Tranches ---------------------------------------------------------------------------------------


def test_the_lead_funder_replans_a_tranche_and_bad_input_is_named_with_nothing_written(client, fw):
    contract = a_contract(fw)
    tranche = Tranche.objects.get(party__funder=fw.region, year=2029)
    client.force_login(fw.prefecture_admin)
    delete = f"{base(contract)}tranches/{tranche.pk}/supprimer/"
    body = page_text(client.get(delete))
    assert "Supprimer la tranche de Région Grand Est pour 2029 (33 333,34 €) ? Supprimer Annuler" in body
    response = client.post(delete)
    assert response.status_code == 302
    assert response["Location"] == f"{base(contract)}#tranches"
    assert not Tranche.objects.filter(pk=tranche.pk).exists()
    assert actions("contract.tranche_delete")[-1][1] == {
        "funder": ["region-grand-est", None],
        "year": [2029, None],
        "amount": ["33333.34", None],
    }

    new = f"{base(contract)}tranches/nouvelle/"
    form = client.get(new)
    body = page_text(form)
    assert (
        "Cofinanceur : Préfecture du Haut-Rhin Région Grand Est "
        "Année : Une année du contrat, de 2027 à 2029. "
        "Montant (€) : Condition préalable : La tranche n’est versée qu’une fois la condition levée. "
        "Aucune condition Enregistrer Annuler"
    ) in body
    region = contract.parties.get(funder=fw.region)
    before = AuditEntry.objects.count()
    for values, field, message in [
        ({"year": "2031", "amount": "10"}, "year", "Choisissez une année du contrat, de 2027 à 2029."),
        ({"year": "2028", "amount": "10"}, "year", "Région Grand Est a déjà une tranche en 2028."),
        (
            {"year": "2029", "amount": "-5"},
            "amount",
            "Assurez-vous que cette valeur est supérieure ou égale à 0.",
        ),
        (
            {"year": "2029", "amount": "12.345"},
            "amount",
            "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule.",
        ),
    ]:
        response = client.post(new, {"party": region.pk, "condition": ""} | values)
        assert response.status_code == 400, values
        assert (
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>'
            in response.content.decode()
        )
    assert AuditEntry.objects.count() == before
    assert Tranche.objects.filter(contract=contract).count() == 5

    response = client.post(new, {"party": region.pk, "year": "2029", "amount": "33333.34", "condition": ""})
    assert response.status_code == 302
    created = Tranche.objects.get(party=region, year=2029)
    assert created.amount == Decimal("33333.34")
    assert actions("contract.tranche_create")[-1][1]["amount"] == [None, "33333.34"]

    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.region
    )
    edit = f"{base(contract)}tranches/{created.pk}/modifier/"
    values = sent_form(client.get(edit), "amount")
    assert values["amount"] == ["33333.34"] and values["year"] == ["2029"]
    response = client.post(edit, {**values, "amount": "33333,34", "condition": condition.pk})
    assert response.status_code == 400  # a comma is not a decimal point in this form
    response = client.post(edit, {**values, "condition": condition.pk})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.condition == condition
    assert actions("contract.tranche_update")[-1][1] == {"condition": [None, condition.pk]}


def test_a_co_funder_plans_only_its_own_tranches(client, fw):
    contract = a_contract(fw)
    state_tranche = Tranche.objects.get(party__funder=fw.world.partner, year=2027)
    region_tranche = Tranche.objects.get(party__funder=fw.region, year=2027)
    client.force_login(fw.region_officer)
    body = body_of(client, contract)
    assert "Modifier la tranche de Région Grand Est pour 2027" in body
    assert "Modifier la tranche de Préfecture du Haut-Rhin" not in body
    assert "Prévoir une tranche" in body and "Prévoir une ligne budgétaire" not in body
    assert "Cofinanceur : Région Grand Est Année :" in page_text(
        client.get(f"{base(contract)}tranches/nouvelle/")
    )
    for url in (
        f"{base(contract)}tranches/{state_tranche.pk}/modifier/",
        f"{base(contract)}tranches/{state_tranche.pk}/supprimer/",
    ):
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"party": state_tranche.party_id, "year": 2027, "amount": "1"}).status_code
            == 404
        )
    response = client.post(
        f"{base(contract)}tranches/{region_tranche.pk}/modifier/",
        {"party": region_tranche.party_id, "year": 2027, "amount": "30000.00", "condition": ""},
    )
    assert response.status_code == 302
    assert Tranche.objects.get(pk=region_tranche.pk).amount == Decimal("30000.00")
    assert Tranche.objects.get(pk=state_tranche.pk).amount == Decimal("66666.67")


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor", "admin_elsewhere", "other_funder"])
def test_the_tranche_writes_answer_404_to_who_may_not_plan_them(client, fw, role):
    contract = a_contract(fw)
    tranche = Tranche.objects.get(party__funder=fw.region, year=2027)
    person = fw.people["member_elsewhere" if role == "admin_elsewhere" else role]
    if person is not None:
        client.force_login(person)
    for url in (
        f"{base(contract)}tranches/nouvelle/",
        f"{base(contract)}tranches/{tranche.pk}/modifier/",
        f"{base(contract)}tranches/{tranche.pk}/supprimer/",
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/compte/"), url
        else:
            assert response.status_code == 404, url
    client.post(f"{base(contract)}tranches/{tranche.pk}/supprimer/")
    data = {"party": tranche.party_id, "year": "2027", "amount": "1.00", "condition": ""}
    client.post(f"{base(contract)}tranches/{tranche.pk}/modifier/", data)
    assert Tranche.objects.get(pk=tranche.pk).amount == Decimal("33333.33")
    assert not actions("contract.tranche_update") and not actions("contract.tranche_delete")


def test_a_tranche_of_another_contract_is_not_found_here(client, fw):
    contract = a_contract(fw)
    other = a_contract(fw, title="Un autre contrat")
    elsewhere = Tranche.objects.get(contract=other, party__funder=fw.region, year=2027)
    client.force_login(fw.prefecture_admin)
    for url in (
        f"{base(contract)}tranches/{elsewhere.pk}/modifier/",
        f"{base(contract)}tranches/{elsewhere.pk}/supprimer/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"{base(contract)}tranches/{elsewhere.pk}/supprimer/").status_code == 404
    assert Tranche.objects.filter(pk=elsewhere.pk).exists()
    assert client.get("/territoires/ungersheim/contrats/999999/tranches/nouvelle/").status_code == 404


def test_a_locked_tranche_is_committed_but_its_payment_is_refused_until_the_diagnostic_is_shared(client, fw):
    contract = a_contract(fw)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner
    )
    tranche = Tranche.objects.get(party__funder=fw.world.partner, year=2027)
    tranche_save(
        actor=fw.prefecture_admin,
        party=tranche.party,
        year=2027,
        amount=tranche.amount,
        condition=condition,
        tranche=tranche,
    )
    signed(fw, contract)
    commit = f"{base(contract)}tranches/{tranche.pk}/engager/"
    pay = f"{base(contract)}tranches/{tranche.pk}/verser/"

    # The Région's officer acts for the Région's tranches only.
    client.force_login(fw.region_officer)
    body = body_of(client, contract)
    assert "Engager la tranche de Région Grand Est pour 2027" in body
    assert "Engager la tranche de Préfecture du Haut-Rhin" not in body
    assert client.post(commit).status_code == 404

    client.force_login(fw.people["partner_funder"])
    assert client.get(commit).status_code == 405
    body = body_of(client, contract)
    assert (
        "Préfecture du Haut-Rhin · part : 200 000,00 € (66,67 %) 66 666,67 € verrouillée "
        "Engager la tranche de Préfecture du Haut-Rhin pour 2027 66 666,67 € "
        "Engager la tranche de Préfecture du Haut-Rhin pour 2028"
    ) in body
    response = client.post(commit)
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#tranches"
    tranche.refresh_from_db()
    assert tranche.committed_on == timezone.localdate()
    assert actions("contract.tranche_commit") == [
        ("contract.tranche_commit", {"committed_on": [None, timezone.localdate().isoformat()]})
    ]
    body = body_of(client, contract)
    assert f"66 666,67 € engagée le {today()} verrouillée 66 666,67 €" in body
    assert "Verser" not in body  # not before the contract is active

    response = client.post(pay)
    assert response.status_code == 400
    assert "C’est impossible sur un contrat à l’état « Signé par toutes les parties »." in page_text(response)

    contract_activate(actor=fw.prefecture_admin, contract=contract)
    body = body_of(client, contract)
    assert f"engagée le {today()} verrouillée Verser la tranche de Préfecture du Haut-Rhin pour 2027" in body
    response = client.post(pay)
    assert response.status_code == 400
    assert (
        "La tranche n’a pas été modifiée Tranche de Préfecture du Haut-Rhin pour 2027 (66 666,67 €). "
        f"Cette tranche est verrouillée : {UNLOCK_STATE} "
        "Voir les conditions préalables du contrat · Retour aux tranches"
    ) in page_text(response)
    tranche.refresh_from_db()
    assert tranche.paid_on is None and not actions("contract.tranche_pay")

    diagnostic = a_diagnostic(fw.world, **SECTIONS)
    complete(fw.world, diagnostic)
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.world.partner)
    body = body_of(client, contract)
    assert (
        f"Conditions préalables {DIAGNOSTIC} · Préfecture du Haut-Rhin — levée "
        "Elle retenait : la tranche de Préfecture du Haut-Rhin pour 2027 (66 666,67 €). Objectifs"
    ) in body
    assert "Pour la lever" not in body and "verrouillée" not in body
    assert client.post(pay).status_code == 302
    tranche.refresh_from_db()
    assert tranche.paid_on == timezone.localdate()
    body = body_of(client, contract)
    assert f"66 666,67 € engagée le {today()} versée le {today()} 66 666,67 € Engager" in body
    response = client.post(pay)
    assert response.status_code == 400
    assert "Cette tranche est déjà versée." in page_text(response)
    assert len(actions("contract.tranche_pay")) == 1


# Budget lines -----------------------------------------------------------------------------------


def line_data(fw, contract, **values):
    party = contract.parties.get(funder=values.pop("funder", fw.world.partner))
    return {
        "party": party.pk,
        "category": "human_engineering",
        "label": "Chargée de mission",
        "year": "2027",
        "planned": "45000.00",
    } | values


def test_the_preparer_plans_changes_and_deletes_a_line_and_bad_input_is_named(client, fw):
    contract = a_contract(fw)
    client.force_login(fw.people["admin"])  # the territory admin prepares too
    new = f"{base(contract)}budget/nouvelle-ligne/"
    body = page_text(client.get(new))
    assert (
        "Cofinanceur qui la paie : Préfecture du Haut-Rhin Région Grand Est Catégorie : "
        "Les catégories de capacités financent des personnes et des collectifs ; les autres financent des "
        "projets. Ingénierie humaine (capacités) Formation-action (capacités)"
    ) in body
    assert "Investissement matériel (projet) Libellé : Année :" in body
    before = AuditEntry.objects.count()
    for values, field, message in [
        (
            {"funder": fw.region, "category": "material_investment"},
            "category",
            "Le programme « Territoires en transition Grand Est » "
            "ne finance pas « Investissement matériel ».",
        ),
        ({"label": "  "}, "label", "Une ligne budgétaire a un libellé."),
        ({"year": "2026"}, "year", "Choisissez une année du contrat, de 2027 à 2029."),
        ({"planned": "-1"}, "planned", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        (
            {"category": "golf"},
            "category",
            "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles.",
        ),
    ]:
        response = client.post(new, line_data(fw, contract, **values))
        assert response.status_code == 400, values
        assert (
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>'
            in response.content.decode()
        )
    assert AuditEntry.objects.count() == before and not BudgetLine.objects.exists()

    response = client.post(new, line_data(fw, contract, category="material_investment", label="Serre"))
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#budget"
    line = BudgetLine.objects.get()
    assert (line.label, line.category.code, line.planned, line.condition.kind) == (
        "Serre",
        "material_investment",
        Decimal("45000.00"),
        "diagnostic",
    )
    assert actions("contract.line_create")[0][1]["planned"] == [None, "45000.00"]

    edit = f"{base(contract)}budget/{line.pk}/modifier/"
    values = sent_form(client.get(edit), "planned")
    assert values["category"] == ["material_investment"] and values["planned"] == ["45000.00"]
    response = client.post(edit, {**values, "category": "human_engineering", "label": "Chargée de mission"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.label, line.category.code, line.condition) == (
        "Chargée de mission",
        "human_engineering",
        None,
    )
    assert actions("contract.line_update")[0][1] == {
        "category": ["material_investment", "human_engineering"],
        "label": ["Serre", "Chargée de mission"],
        "condition": [Condition.objects.get().pk, None],
    }

    delete = f"{base(contract)}budget/{line.pk}/supprimer/"
    assert (
        "Supprimer la ligne « Chargée de mission » pour 2027 (45 000,00 € prévus) ? Supprimer Annuler"
        in page_text(client.get(delete))
    )
    assert client.post(delete).status_code == 302
    assert not BudgetLine.objects.exists()
    assert len(actions("contract.line_delete")) == 1


@pytest.mark.parametrize("role", ["viewer", "editor", "region_officer", "other_funder"])
def test_the_line_writes_answer_404_to_who_may_not_prepare(client, fw, role):
    contract = a_contract(fw)
    line = a_line(fw, contract)
    client.force_login(fw.region_officer if role == "region_officer" else fw.people[role])
    for url in (
        f"{base(contract)}budget/nouvelle-ligne/",
        f"{base(contract)}budget/{line.pk}/modifier/",
        f"{base(contract)}budget/{line.pk}/supprimer/",
        f"{base(contract)}budget/{line.pk}/depenses/",  # not while a draft
        f"{base(contract)}conditions/nouvelle/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base(contract)}budget/{line.pk}/supprimer/").status_code == 404
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_once_active_the_writers_record_what_each_line_spends_but_nothing_on_a_locked_line(client, fw):
    contract = budget_world(fw)
    staff = BudgetLine.objects.get(label="Chargée de mission transition")
    greenhouse = BudgetLine.objects.get(label="Serre")
    active(fw, contract)
    client.force_login(fw.people["editor"])
    response = client.get(base(contract))
    body = page_text(response)
    assert (
        "Chargée de mission transition 2027 Préfecture du Haut-Rhin 60 000,00 € 0,00 € "
        "Dépensé pour Chargée de mission transition (2027), en euros "
        "Enregistrer la dépense de Chargée de mission transition (2027)"
    ) in body
    assert "Modifier la ligne" not in body
    page = response.content.decode()
    assert (
        f'<input type="number" id="line-{staff.pk}-spent" name="line-{staff.pk}-spent" value="0.00" '
        'min="0" step="0.01" inputmode="decimal">'
    ) in page
    spend = f"{base(contract)}budget/{staff.pk}/depenses/"
    sent = sent_form(response, f"line-{staff.pk}-spent")
    response = client.post(spend, {**sent, f"line-{staff.pk}-spent": "12500.50"})
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#budget"
    staff.refresh_from_db()
    assert staff.spent == Decimal("12500.50")
    assert actions("contract.line_spend") == [("contract.line_spend", {"spent": ["0.00", "12500.50"]})]
    body = body_of(client, contract)
    assert "Total Ingénierie humaine 60 000,00 € 12 500,50 €" in body
    assert "Budget total 100 000,00 € 12 500,50 €" in body

    response = client.post(spend, {f"line-{staff.pk}-spent": "1.005"})
    assert response.status_code == 400
    assert "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule." in page_text(response)
    locked = f"{base(contract)}budget/{greenhouse.pk}/depenses/"
    response = client.post(locked, {f"line-{greenhouse.pk}-spent": "100"})
    assert response.status_code == 400
    assert (
        "Enregistrer la dépense Serre (Investissement matériel, 2027, payée par Préfecture du Haut-Rhin) : "
        "30 000,00 € prévus. "
        f"Dépensé à ce jour (€) : Cette ligne est verrouillée : {UNLOCK_STATE}"
    ) in page_text(response)
    assert BudgetLine.objects.get(pk=greenhouse.pk).spent == Decimal("0.00")
    assert len(actions("contract.line_spend")) == 1

    client.force_login(fw.people["viewer"])
    assert client.post(spend, {f"line-{staff.pk}-spent": "1"}).status_code == 404
    client.force_login(fw.region_officer)  # a co-funder does not record the territory's spending
    assert client.get(spend).status_code == 404
    assert BudgetLine.objects.get(pk=staff.pk).spent == Decimal("12500.50")


# Conditions precedent ---------------------------------------------------------------------------


def test_the_preparer_adds_a_condition_and_removes_it_unless_a_line_needs_it(client, fw):
    contract = budget_world(fw)
    client.force_login(fw.prefecture_admin)
    new = f"{base(contract)}conditions/nouvelle/"
    body = page_text(client.get(new))
    assert (
        f"Ce qui doit être acquis : {DIAGNOSTIC} {PARTNERSHIP} Le rapport annuel sur une année, remis "
        "Pour quel cofinanceur : "
        "Le diagnostic est partagé avec ce financeur, ou le partenariat est signé avec lui. "
        "Préfecture du Haut-Rhin Région Grand Est "
        "Année du rapport : Pour une condition de rapport : "
        "l’année dont le rapport annuel doit d’abord être remis. Ajouter Annuler"
    ) in body
    response = client.post(new, {"funder": fw.region.pk})
    assert response.status_code == 400 and not actions("contract.condition_add")
    response = client.post(new, {"kind": "partnership", "funder": fw.region.pk})
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#conditions"
    partnership = Condition.objects.get(kind="partnership")
    assert actions("contract.condition_add") == [
        ("contract.condition_add", {"kind": [None, "partnership"], "funder": [None, "region-grand-est"]})
    ]
    body = body_of(client, contract)
    assert (
        f"{PARTNERSHIP} · Région Grand Est — non levée Elle ne verrouille rien pour l’instant. "
        "Pour la lever : Signez un partenariat avec Région Grand Est."
    ) in body

    needed = Condition.objects.get(kind="diagnostic")
    delete = f"{base(contract)}conditions/{needed.pk}/supprimer/"
    response = client.post(delete)
    assert response.status_code == 400
    assert (
        "Retirer la condition préalable Une ligne budgétaire d’une catégorie que le programme réserve "
        "à l’après-diagnostic a besoin de cette condition."
    ) in page_text(response)
    assert Condition.objects.filter(pk=needed.pk).exists()
    delete = f"{base(contract)}conditions/{partnership.pk}/supprimer/"
    assert (
        f"Retirer la condition « {PARTNERSHIP} — Région Grand Est » ? "
        "Les tranches qu’elle retient ne sont plus verrouillées."
    ) in page_text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Condition.objects.filter(pk=partnership.pk).exists()
    assert len(actions("contract.condition_remove")) == 1


def test_a_report_condition_names_its_year_and_a_wrong_year_is_refused(client, fw):
    contract = a_contract(fw)
    client.force_login(fw.prefecture_admin)
    new = f"{base(contract)}conditions/nouvelle/"
    response = client.post(new, {"kind": "report", "funder": fw.region.pk, "report_year": "2035"})
    assert response.status_code == 400
    assert "Choisissez l’année d’un rapport du contrat, de 2027 à 2029." in page_text(response)
    assert not actions("contract.condition_add")
    response = client.post(new, {"kind": "report", "funder": fw.region.pk, "report_year": "2027"})
    assert response.status_code == 302
    assert list(contract.conditions.values_list("kind", "report_year")) == [("report", 2027)]
    assert "Le rapport annuel sur une année, remis (2027) — Région Grand Est" in body_of(
        client, contract
    ) or ("Soumettez le rapport annuel sur 2027 aux cofinanceurs." in body_of(client, contract))
