"""The pages of the engagement contracts: a territory's contracts and one contract as each party reads
it; a funder's contracts; drafting a contract (with the mandate preset), changing and deleting a
draft, the co-funders and their shares; and the life cycle through its confirmation pages — propose,
sign by every party, activate, review at mid-term, close — with the moves refused."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.funding.builders import a_contract, build_funding_world
from tests.pages import page_text, sent_form
from tests.trust.world import client_as
from trajectoires.core.models import AuditEntry
from trajectoires.funding.budget import tranche_save
from trajectoires.funding.contracts import party_add
from trajectoires.funding.models import Contract, ContractParty

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/contrats/"
NEW = "/financeurs/region-grand-est/contrats/nouveau/"
PARTIES = (
    "Les cofinanceurs, leurs parts et leurs signatures "
    "Financeur Programme Part Part du total Chef de file Signature Modifications "
)
NOTHING_MISSING = "Ce qui manque pour proposer Rien : le contrat peut être proposé à la signature."


@pytest.fixture
def fw():
    return build_funding_world()


def today() -> str:
    return formats.date_format(timezone.localdate(), "DATE_FORMAT")


def as_person(client, user):
    client.force_login(user)
    return client


def contract_audit(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# Reading -----------------------------------------------------------------------------------------


def test_the_territory_admin_reads_the_contracts_and_a_draft(client, fw):
    contract = a_contract(fw)
    client_as(client, fw.world, "admin")
    response = client.get(BASE)
    body = page_text(response)
    assert (
        "Les contrats d’engagement de Ungersheim "
        "Tableau de bord Vision Récits Acteurs Coopération Participation Controverses Évaluation "
        "Résultats observés Histoires de changement Autoévaluation Diagnostic sensible "
        "Capacité d’agir Contrats Documents et cohérence"
    ) in body
    assert (
        "Les contrats que vous pouvez lire, du plus récent au plus ancien "
        "Contrat État Années Total Cofinanceurs et leurs parts "
        "Contrat de transition 2027-2029 Brouillon 2027–2029 300 000,00 € "
        "Préfecture du Haut-Rhin (financeur chef de file) — 200 000,00 € (66,67 %) "
        "Région Grand Est — 100 000,00 € (33,33 %)"
    ) in body
    page = response.content.decode()
    assert f'<a href="{BASE}" aria-current="page">Contrats</a>' in page
    assert f'<th scope="row"><a href="{BASE}{contract.pk}/">Contrat de transition 2027-2029</a></th>' in page
    assert 'tabindex="0" role="region" aria-labelledby="contracts-caption"' in page
    assert "Préparer un contrat" not in body  # the admin is no funder's member

    response = client.get(f"{BASE}{contract.pk}/")
    body = page_text(response)
    assert "Contrat de transition 2027-2029 Contrat d’engagement · Brouillon" in body
    assert (
        "État Brouillon Années 2027–2029 (3 ans) Montant total 300 000,00 € "
        "Qui peut la lire Privé — l'équipe du territoire Cohérence entre cofinanceurs "
        "Cofinanceurs et signatures "
    ) in body
    assert (
        PARTIES + "Préfecture du Haut-Rhin Fonds vert — ingénierie 200 000,00 € 66,67 % Chef de file "
        "en attente Modifier la part de Préfecture du Haut-Rhin "
        "Région Grand Est Territoires en transition Grand Est 100 000,00 € 33,33 % — Non en attente "
        "Modifier la part de Région Grand Est · Retirer Région Grand Est "
        "Signature de Ungersheim : en attente Inviter un cofinanceur " + NOTHING_MISSING
    ) in body
    assert body.index(NOTHING_MISSING) < body.index("Tranches par cofinanceur") < body.index("Budget")
    assert body.index("Budget") < body.index("Conditions préalables") < body.index("Objectifs")
    assert "Ce que vous pouvez faire Modifier Supprimer le brouillon" in body
    assert "Proposer à la signature" not in body  # the lead funder proposes
    page = response.content.decode()
    assert f'<a href="{BASE}{contract.pk}/" aria-current="page">Contrat de transition 2027-2029</a>' in page
    assert '<a href="/financeurs/region-grand-est/programmes/territoires-en-transition-grand-est/">' in page


def test_a_co_funder_reads_a_private_contract_and_changes_only_its_own_share(client, fw):
    contract = a_contract(fw)
    as_person(client, fw.region_officer)
    body = page_text(client.get(BASE))
    assert "Contrat de transition 2027-2029 Brouillon 2027–2029 300 000,00 €" in body
    assert "Préparer un contrat au nom de Région Grand Est" in body
    response = client.get(f"{BASE}{contract.pk}/")
    body = page_text(response)
    assert (
        "Préfecture du Haut-Rhin Fonds vert — ingénierie 200 000,00 € 66,67 % Chef de file en attente "
        in body
    )
    assert "Modifier la part de Région Grand Est" in body
    assert "Modifier la part de Préfecture du Haut-Rhin" not in body
    assert "Retirer" not in body and "Inviter un cofinanceur" not in body
    assert "Ce que vous pouvez faire" not in body
    # The Région's contracts, as the Région reads them.
    body = page_text(client.get("/financeurs/region-grand-est/contrats/"))
    assert (
        "Les contrats de Région Grand Est "
        "Les contrats d’engagement auxquels ce financeur est partie, pour autant que vous puissiez les lire. "
        "Les programmes de Région Grand Est Rapports annuels · Portefeuille Préparer un contrat "
        "1 contrat Contrat Territoire État Années Total Cofinanceurs et leurs parts "
        "Contrat de transition 2027-2029 Ungersheim Brouillon 2027–2029 300 000,00 € "
        "Préfecture du Haut-Rhin (financeur chef de file) — 200 000,00 € (66,67 %) "
        "Région Grand Est — 100 000,00 € (33,33 %)"
    ) in body


@pytest.mark.parametrize("role", ["anonymous", "other_funder", "member_elsewhere", "contributor"])
def test_a_private_contract_answers_404_to_who_is_neither_team_nor_party(client, fw, role):
    contract = a_contract(fw)
    client_as(client, fw.world, role)
    assert client.get(f"{BASE}{contract.pk}/").status_code == 404
    assert client.get(f"{BASE}{contract.pk + 1000}/").status_code == 404
    assert "Aucun contrat que vous pouvez lire pour l’instant." in page_text(client.get(BASE))
    body = page_text(client.get("/financeurs/prefecture-68/contrats/"))
    assert "Aucun contrat que vous pouvez lire pour l’instant." in body
    assert "Contrat de transition" not in body
    for url in (
        f"{BASE}{contract.pk}/modifier/",
        f"{BASE}{contract.pk}/proposer/",
        f"{BASE}{contract.pk}/signer/",
    ):
        assert client.get(url).status_code in (302, 404), url


def test_a_public_contract_is_read_by_anyone_without_any_action(client, fw):
    contract = a_contract(fw, visibility="public")
    body = page_text(client.get(f"{BASE}{contract.pk}/"))
    assert "Qui peut la lire Public — tout le monde, et les données ouvertes" in body
    assert "Ce que vous pouvez faire" not in body and "Modifier la part" not in body
    assert "Contrat de transition 2027-2029" in page_text(client.get("/financeurs/prefecture-68/contrats/"))
    # Another territory's address does not lead to it.
    assert client.get(f"/territoires/grande-synthe/contrats/{contract.pk}/").status_code == 404


def test_the_funder_page_leads_to_its_programmes_and_contracts(client, fw):
    page = client.get("/financeurs/region-grand-est/").content.decode()
    assert '<a href="/financeurs/region-grand-est/programmes/">Programmes</a>' in page
    assert '<a href="/financeurs/region-grand-est/contrats/">Contrats</a>' in page


# Drafting a contract -----------------------------------------------------------------------------


def contract_values(fw, **changes) -> dict:
    values = {
        "territory": fw.territory.pk,
        "programme": fw.region_programme.pk,
        "title": "Contrat Grand Est 2027-2030",
        "summary": "Deux postes d’ingénierie et la formation des élus.",
        "period": "years",
        "start_year": "2027",
        "end_year": "2030",
        "split_year": "",
        "total_amount": "400000.00",
        "amount": "150000.50",
        "visibility": "partners",
    }
    return values | changes


def test_a_funder_member_drafts_a_contract_through_the_form(client, fw):
    as_person(client, fw.region_officer)
    response = client.get(NEW, {"territory": "ungersheim"})
    body = page_text(response)
    assert (
        "Préparer un contrat Région Grand Est est chef de file du brouillon et donne sa part ; les autres "
        "cofinanceurs le rejoignent ensuite, puis le contrat est proposé à la signature de chaque partie. "
        "Territoire : Choisissez un territoire Grande-Synthe Ungersheim "
        "Programme : Le programme de votre financeur qui paie votre part ; ses règles s’y appliquent. "
        "Aucun programme Territoires en transition Grand Est"
    ) in body
    assert (
        "Années du contrat : Les années indiquées ci-dessous Le mandat 2026–2032, première partie "
        "Le mandat 2026–2032, seconde partie Première année : Dernière année : "
        "Incluse : un contrat de 2027 à 2029 dure trois ans."
    ) in body
    assert "Montant total (€) : Part de Région Grand Est (€) :" in body
    assert sent_form(response, "title")["territory"] == [str(fw.territory.pk)]
    response = client.post(NEW, contract_values(fw), follow=True)
    contract = Contract.objects.get()
    assert response.redirect_chain == [(f"{BASE}{contract.pk}/", 302)]
    assert "Le brouillon de contrat a été créé." in page_text(response)
    assert (
        contract.territory,
        contract.title,
        contract.summary,
        contract.start_year,
        contract.end_year,
        contract.total_amount,
        contract.visibility,
        contract.status,
        contract.author,
    ) == (
        fw.territory,
        "Contrat Grand Est 2027-2030",
        "Deux postes d’ingénierie et la formation des élus.",
        2027,
        2030,
        Decimal("400000.00"),
        "partners",
        "draft",
        fw.region_officer,
    )
    assert list(contract.parties.values_list("funder__slug", "programme__slug", "amount", "is_lead")) == [
        ("region-grand-est", "territoires-en-transition-grand-est", Decimal("150000.50"), True)
    ]
    assert (contract_audit("contract.create"), contract_audit("contract.party_add")) == (1, 1)
    assert "Les parts des cofinanceurs totalisent 150 000,50 €, le total est de 400 000,00 €." in page_text(
        response
    )


@pytest.mark.parametrize(
    ("part", "split", "years"),
    [("mandate_first", "2029", (2026, 2028)), ("mandate_second", "2029", (2029, 2032))],
)
def test_the_mandate_preset_gives_the_years_of_its_part(client, fw, part, split, years):
    as_person(client, fw.region_officer)
    values = contract_values(fw, period=part, split_year=split, start_year="", end_year="")
    response = client.post(NEW, values)
    assert response.status_code == 302
    assert Contract.objects.values_list("start_year", "end_year").get() == years


def test_the_mandate_split_outside_the_mandate_is_refused(client, fw):
    as_person(client, fw.region_officer)
    response = client.post(NEW, contract_values(fw, period="mandate_first", split_year="2026"))
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_split_year_error"><li>Coupez le mandat en une année comprise '
        "entre 2027 et 2032.</li></ul>"
    ) in response.content.decode()
    response = client.post(NEW, contract_values(fw, period="mandate_second", split_year=""))
    assert "Choisissez l’année où commence la seconde partie du mandat." in page_text(response)
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"total_amount": "400000.123"},
            "total_amount",
            "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule.",
        ),
        ({"amount": "-10"}, "amount", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ({"total_amount": "cent mille"}, "total_amount", "Saisissez un nombre."),
        ({"end_year": "2040"}, "end_year", "Un contrat dure de 1 à 10 ans."),
        ({"end_year": "2025"}, "end_year", "La dernière année vient après la première."),
        (
            {"start_year": "1999"},
            "start_year",
            "Assurez-vous que cette valeur est supérieure ou égale à 2000.",
        ),
        ({"end_year": ""}, "end_year", "Ce champ est obligatoire."),
        (
            {"amount": "500000.00", "programme": ""},
            "amount",
            "Une part ne peut pas dépasser le total du contrat.",
        ),
        (
            {"amount": "250000.00"},
            "amount",
            "Le programme « Territoires en transition Grand Est » finance au plus 50 % d’un contrat.",
        ),
        (
            {"end_year": "2028"},
            "end_year",
            "Le programme « Territoires en transition Grand Est » finance des contrats de 3 à 6 ans ; "
            "celui-ci en dure 2.",
        ),
        ({"title": " "}, "title", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_answered_400_next_to_its_field_and_nothing_is_written(
    client, fw, changes, field, message
):
    as_person(client, fw.region_officer)
    response = client.post(NEW, contract_values(fw, **changes))
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in response.content.decode()
    assert not Contract.objects.exists() and not ContractParty.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="contract.").exists()


@pytest.mark.parametrize("role", ["admin", "other_funder", "partner_funder", "staff"])
def test_only_the_funder_s_members_draft_its_contracts(client, fw, role):
    client_as(client, fw.world, role)
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, contract_values(fw)).status_code == 404
    assert not Contract.objects.exists()


def test_signing_in_is_asked_before_drafting(client, fw):
    response = client.get(NEW)
    assert (response.status_code, response.url.split("?")[0]) == (302, "/compte/connexion/")


# Changing and deleting a draft, co-funders ---------------------------------------------------------


def test_the_territory_admin_changes_then_deletes_a_draft(client, fw):
    contract = a_contract(fw)
    client_as(client, fw.world, "admin")
    url = f"{BASE}{contract.pk}/modifier/"
    response = client.get(url)
    values = {key: value[0] for key, value in sent_form(response, "title").items()}
    assert (values["title"], values["start_year"], values["total_amount"], values["period"]) == (
        "Contrat de transition 2027-2029",
        "2027",
        "300000.00",
        "years",
    )
    values |= {"title": "Contrat de transition, version 2", "visibility": "alliance"}
    response = client.post(url, values, follow=True)
    assert response.redirect_chain == [(f"{BASE}{contract.pk}/", 302)]
    assert "Le contrat a été enregistré." in page_text(response)
    contract.refresh_from_db()
    assert (contract.title, contract.visibility) == ("Contrat de transition, version 2", "alliance")
    assert AuditEntry.objects.get(action="contract.update").changes == {
        "title": ["Contrat de transition 2027-2029", "Contrat de transition, version 2"],
        "visibility": ["private", "alliance"],
    }
    # Years that would leave tranches outside are refused next to the last year.
    response = client.post(url, values | {"end_year": "2028"})
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_end_year_error"><li>Des tranches sont prévues en 2029, hors de ces '
        "années.</li></ul>"
    ) in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_year == 2029
    delete = f"{BASE}{contract.pk}/supprimer/"
    assert (
        "Supprimer le brouillon « Contrat de transition, version 2 » ? Ses cofinanceurs, tranches, lignes "
        "budgétaires, conditions et objectifs partent avec lui."
    ) in page_text(client.get(delete))
    response = client.post(delete, follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "Le brouillon de contrat a été supprimé." in page_text(response)
    assert not Contract.objects.exists()
    assert contract_audit("contract.delete") == 1


@pytest.mark.parametrize("role", ["editor", "viewer", "partner_funder_region"])
def test_who_may_not_prepare_gets_404_on_the_draft_s_pages(client, fw, role):
    contract = a_contract(fw)
    if role == "partner_funder_region":
        as_person(client, fw.region_officer)
    else:
        client_as(client, fw.world, role)
    prefecture = contract.parties.get(is_lead=True)
    for url in (
        f"{BASE}{contract.pk}/modifier/",
        f"{BASE}{contract.pk}/supprimer/",
        f"{BASE}{contract.pk}/cofinanceurs/ajouter/",
        f"{BASE}{contract.pk}/cofinanceurs/{prefecture.pk}/modifier/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "X", "amount": "1"}).status_code == 404, url
    assert Contract.objects.get().title == "Contrat de transition 2027-2029"


def test_the_lead_funder_invites_a_co_funder_who_changes_its_share_and_is_removed(client, fw):
    contract = a_contract(fw, region_share="0")
    as_person(client, fw.prefecture_admin)
    url = f"{BASE}{contract.pk}/cofinanceurs/ajouter/"
    body = page_text(client.get(url))
    assert (
        "Inviter un cofinanceur Les parts des cofinanceurs totalisent le montant du contrat, 300 000,00 €, "
        "avant qu’il soit proposé à la signature."
    ) in body
    assert "Financeur : Choisissez un financeur Fondation Lointaine Région Grand Est" in body
    # The Région's programme pays at most half: 200 000 € is refused next to the share.
    values = {"funder": fw.region.pk, "programme": fw.region_programme.pk, "amount": "200000"}
    response = client.post(url, values)
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_amount_error"><li>Le programme « Territoires en transition Grand Est » '
        "finance au plus 50 % d’un contrat.</li></ul>"
    ) in response.content.decode()
    # A programme of another funder is refused next to the programme.
    response = client.post(url, values | {"programme": fw.state_programme.pk, "amount": "100000"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide." in page_text(response)
    response = client.post(url, values | {"amount": "100000"}, follow=True)
    assert "Région Grand Est a rejoint le contrat." in page_text(response)
    region = contract.parties.get(funder=fw.region)
    assert (region.amount, region.programme, region.is_lead) == (
        Decimal("100000.00"),
        fw.region_programme,
        False,
    )
    # The Région's officer changes its own share.
    as_person(client, fw.region_officer)
    edit = f"{BASE}{contract.pk}/cofinanceurs/{region.pk}/modifier/"
    assert "La part de Région Grand Est" in page_text(client.get(edit))
    response = client.post(edit, {"programme": fw.region_programme.pk, "amount": "90000.5"}, follow=True)
    assert "La part de Région Grand Est a été enregistrée." in page_text(response)
    region.refresh_from_db()
    assert region.amount == Decimal("90000.50")
    assert AuditEntry.objects.get(action="contract.party_update").changes == {
        "amount": ["100000.00", "90000.50"]
    }
    response = client.post(edit, {"programme": "", "amount": "90000.555"})
    assert response.status_code == 400
    assert "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule." in page_text(response)
    # The lead funder removes it; the lead itself stays.
    as_person(client, fw.prefecture_admin)
    lead = contract.parties.get(is_lead=True)
    response = client.post(f"{BASE}{contract.pk}/cofinanceurs/{lead.pk}/retirer/")
    assert response.status_code == 400
    assert "Le financeur chef de file reste sur son contrat ; supprimez plutôt le brouillon." in page_text(
        response
    )
    remove = f"{BASE}{contract.pk}/cofinanceurs/{region.pk}/retirer/"
    assert (
        "Retirer ce cofinanceur du brouillon ? Sa part, ses tranches et ses lignes budgétaires partent "
        "avec lui." in page_text(client.get(remove))
    )
    response = client.post(remove, follow=True)
    assert "Région Grand Est a quitté le contrat." in page_text(response)
    assert list(contract.parties.values_list("funder__slug", flat=True)) == ["prefecture-68"]
    assert contract_audit("contract.party_remove") == 1


# The life cycle ----------------------------------------------------------------------------------


def post_action(client, contract, action, data=None, follow=True):
    return client.post(f"{BASE}{contract.pk}/{action}/", data or {}, follow=follow)


def test_a_draft_with_problems_shows_them_and_cannot_be_proposed(client, fw):
    contract = a_contract(fw, total="350000.00")
    as_person(client, fw.prefecture_admin)
    missing = (
        "Ce qui manque pour proposer "
        "Les parts des cofinanceurs totalisent 300 000,00 €, le total est de 350 000,00 €."
    )
    assert missing in page_text(client.get(f"{BASE}{contract.pk}/"))
    confirm = page_text(client.get(f"{BASE}{contract.pk}/proposer/"))
    assert "Proposer le contrat à la signature" in confirm and missing in confirm
    response = post_action(client, contract, "proposer", follow=False)
    assert response.status_code == 400
    assert missing in page_text(response)
    contract.refresh_from_db()
    assert contract.status == "draft"
    assert contract_audit("contract.status") == 0


def test_the_whole_life_cycle_through_its_pages(client, fw):
    contract = a_contract(fw)
    detail = f"{BASE}{contract.pk}/"
    # The lead funder proposes.
    client_as(client, fw.world, "partner_funder")
    assert "Ce que vous pouvez faire Proposer à la signature Modifier Supprimer le brouillon" in page_text(
        client.get(detail)
    )
    body = page_text(client.get(f"{detail}proposer/"))
    assert (
        "Proposer le contrat à la signature Contrat de transition 2027-2029 "
        "Proposer le contrat au territoire et à chaque cofinanceur ? Il ne peut plus être modifié, sauf à "
        "retirer la proposition ; chaque partie le signe ensuite. Proposer à la signature Annuler"
    ) in body
    response = post_action(client, contract, "proposer")
    body = page_text(response)
    assert "Le contrat a été proposé à la signature." in body
    assert "Contrat d’engagement · Proposé à la signature" in body
    assert (
        "Signature de Ungersheim : en attente "
        "Signatures encore attendues : Ungersheim, Préfecture du Haut-Rhin, Région Grand Est."
    ) in body
    assert "Ce qui manque pour proposer" not in body
    assert "Ce que vous pouvez faire Retirer la proposition" in body

    # The territory admin signs for the territory.
    client_as(client, fw.world, "admin")
    body = page_text(client.get(detail))
    assert "Ce que vous pouvez faire Signer pour Ungersheim Retirer la proposition" in body
    assert "Pour Ungersheim · Contrat de transition 2027-2029" in page_text(client.get(f"{detail}signer/"))
    body = page_text(post_action(client, contract, "signer"))
    assert "La signature a été enregistrée." in body
    assert f"Signature de Ungersheim : signé le {today()} par Admin" in body
    assert "Signatures encore attendues : Préfecture du Haut-Rhin, Région Grand Est." in body
    # Signing twice is refused.
    response = post_action(client, contract, "signer", follow=False)
    assert response.status_code == 400
    assert "Cette partie a déjà signé ce contrat." in page_text(response)

    # The Préfecture's admin signs for the Préfecture; the Région's officer may not sign for it.
    as_person(client, fw.region_officer)
    assert client.get(f"{detail}signer/", {"funder": "region-grand-est"}).status_code == 404
    assert (
        post_action(client, contract, "signer", {"funder": "region-grand-est"}, follow=False).status_code
        == 404
    )
    as_person(client, fw.prefecture_admin)
    body = page_text(client.get(detail))
    assert "Signer pour Préfecture du Haut-Rhin" in body and "Signer pour Région Grand Est" not in body
    assert (
        post_action(client, contract, "signer", {"funder": "fondation-lointaine"}, follow=False).status_code
        == 404
    )
    # Activating before every signature is refused with the reason.
    response = post_action(client, contract, "activer", follow=False)
    assert response.status_code == 400
    assert "C’est impossible sur un contrat à l’état « Proposé à la signature »." in page_text(response)
    body = page_text(client.get(f"{detail}signer/", {"funder": "prefecture-68"}))
    assert "Pour Préfecture du Haut-Rhin · Contrat de transition 2027-2029" in body
    body = page_text(post_action(client, contract, "signer", {"funder": "prefecture-68"}))
    assert "Signatures encore attendues : Région Grand Est." in body

    # The Région's admin signs last: the contract is signed by every party.
    as_person(client, fw.region_admin)
    body = page_text(post_action(client, contract, "signer", {"funder": "region-grand-est"}))
    assert "Contrat d’engagement · Signé par toutes les parties" in body
    assert (
        f"Préfecture du Haut-Rhin Fonds vert — ingénierie 200 000,00 € 66,67 % Chef de file "
        f"signé le {today()} par Admin "
        f"Région Grand Est Territoires en transition Grand Est 100 000,00 € 33,33 % — Non "
        f"signé le {today()} par Admin "
        f"Signature de Ungersheim : signé le {today()} par Admin"
    ) in body
    assert "Signatures encore attendues" not in body
    assert contract_audit("contract.sign") == 3

    # The lead funder's officer starts it; the territory admin records the mid-term review.
    client_as(client, fw.world, "partner_funder")
    body = page_text(post_action(client, contract, "activer"))
    assert "Le contrat est actif." in body and "Contrat d’engagement · Actif" in body
    assert f"Actif depuis le {today()}" in body
    client_as(client, fw.world, "admin")
    assert client.get(f"{detail}cloturer/").status_code == 404  # the lead funder closes
    response = post_action(client, contract, "revue-a-mi-parcours", {"mid_term_review": " "}, follow=False)
    assert response.status_code == 400
    assert '<ul class="errorlist" id="id_mid_term_review_error"><li>Ce champ est obligatoire.</li></ul>' in (
        response.content.decode()
    )
    review = "Les deux postes sont pourvus ; la formation des élus a pris du retard."
    body = page_text(post_action(client, contract, "revue-a-mi-parcours", {"mid_term_review": review}))
    assert "La revue à mi-parcours a été enregistrée." in body
    assert f"Revue à mi-parcours Enregistrée le {today()} {review}" in body
    assert "Contrat d’engagement · Revu à mi-parcours" in body

    # The lead funder closes it.
    client_as(client, fw.world, "partner_funder")
    note = "Le territoire garde une équipe formée et un réseau d’acteurs."
    body = page_text(post_action(client, contract, "cloturer", {"closing_note": note}))
    assert "Le contrat a été clôturé." in body and "Contrat d’engagement · Clos" in body
    assert f"Note de clôture {note}" in body
    assert "Ce que vous pouvez faire" not in body
    # Nothing more moves.
    response = post_action(client, contract, "cloturer", {"closing_note": note}, follow=False)
    assert response.status_code == 400
    assert "C’est impossible sur un contrat à l’état « Clos »." in page_text(response)
    contract.refresh_from_db()
    assert (contract.status, contract.mid_term_review, contract.closing_note) == ("closed", review, note)
    assert [
        entry.changes["status"]
        for entry in AuditEntry.objects.filter(action="contract.status").order_by("at", "id")
    ] == [
        ["draft", "proposed"],
        ["proposed", "signed"],
        ["signed", "active"],
        ["active", "reviewed"],
        ["reviewed", "closed"],
    ]


def test_withdrawing_a_proposal_erases_the_signatures_given(client, fw):
    contract = a_contract(fw)
    as_person(client, fw.prefecture_admin)
    post_action(client, contract, "proposer")
    client_as(client, fw.world, "admin")
    post_action(client, contract, "signer")
    body = page_text(client.get(f"{BASE}{contract.pk}/retirer-la-proposition/"))
    assert (
        "Retirer la proposition pour modifier le contrat ? Il redevient un brouillon et les signatures déjà "
        "données sont effacées."
    ) in body
    body = page_text(post_action(client, contract, "retirer-la-proposition"))
    assert "La proposition a été retirée : le contrat est de nouveau un brouillon." in body
    assert "Contrat d’engagement · Brouillon" in body and "Signature de Ungersheim : en attente" in body
    contract.refresh_from_db()
    assert (contract.status, contract.territory_signed_at, contract.territory_signed_by) == (
        "draft",
        None,
        None,
    )
    # A draft cannot be withdrawn again, nor edited once proposed.
    response = post_action(client, contract, "retirer-la-proposition", follow=False)
    assert response.status_code == 400
    assert "C’est impossible sur un contrat à l’état « Brouillon »." in page_text(response)
    as_person(client, fw.prefecture_admin)
    post_action(client, contract, "proposer")
    response = client.get(f"{BASE}{contract.pk}/modifier/")
    assert response.status_code == 400
    assert "C’est impossible sur un contrat à l’état « Proposé à la signature »." in page_text(response)
    response = client.post(f"{BASE}{contract.pk}/supprimer/")
    assert response.status_code == 400
    assert Contract.objects.filter(pk=contract.pk).exists()


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("editor", "signer"),
        ("admin", "proposer"),
        ("admin", "activer"),
        ("region_officer", "proposer"),
        ("region_admin", "activer"),
        ("viewer", "revue-a-mi-parcours"),
    ],
)
def test_who_may_not_make_a_move_gets_404(client, fw, who, action):
    contract = a_contract(fw)
    user = getattr(fw, who, None) or fw.people[who]
    as_person(client, user)
    assert client.get(f"{BASE}{contract.pk}/{action}/").status_code == 404
    assert post_action(client, contract, action, {"mid_term_review": "X"}, follow=False).status_code == 404
    contract.refresh_from_db()
    assert contract.status == "draft"


def test_the_pages_cost_the_same_whatever_the_number_of_co_funders_and_contracts(client, fw):
    contract = a_contract(fw)
    as_person(client, fw.region_officer)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = (f"{BASE}{contract.pk}/", BASE, "/financeurs/region-grand-est/contrats/")
    before = [cost(url) for url in urls]
    party = party_add(
        actor=fw.prefecture_admin, contract=contract, funder=fw.world.other_funder, amount=Decimal("30000")
    )
    tranche_save(actor=fw.prefecture_admin, party=party, year=2027, amount=Decimal("30000"))
    a_contract(fw, title="Un second contrat")
    assert [cost(url) for url in urls] == before
    assert "Fondation Lointaine" in page_text(client.get(f"{BASE}{contract.pk}/"))


def test_a_funder_member_drafts_from_the_territory_s_contracts(client, fw):
    as_person(client, fw.region_officer)
    response = client.get(f"{BASE}nouveau/")
    assert response.url == f"{NEW}?territory=ungersheim"
    assert f'<a href="{NEW}?territory=ungersheim" role="button" class="secondary">' in (
        client.get(BASE).content.decode()
    )
    client_as(client, fw.world, "admin")
    assert client.get(f"{BASE}nouveau/").status_code == 404


def test_the_pages_read_in_english_too(client, fw):
    contract = a_contract(fw, visibility="public")
    body = page_text(client.get(f"/en{BASE}"))
    assert "Engagement contracts of Ungersheim" in body
    assert "Préfecture du Haut-Rhin (lead funder) — 200,000.00 € (66.67 %)" in body
    body = page_text(client.get(f"/en{BASE}{contract.pk}/"))
    assert "Engagement contract · Draft" in body
    assert "Signature of Ungersheim: pending" in body
