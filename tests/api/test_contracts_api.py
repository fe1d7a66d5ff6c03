"""Engagement contracts in the API: the detail (shares, tranches, typed lines, conditions, objectives,
signatures) and the lists, exactly; a draft created, filled and taken through its life cycle with the
same services and rights as the pages; every bad input of the issue refused naming its field with
nothing written; forbidden exactly like missing; flat query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, at, fields
from tests.funding.builders import a_contract, a_line, active, build_funding_world
from trajectoires.accounts.models import TokenScope
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.funding.budget import condition_add, tranche_save
from trajectoires.funding.contracts import ContractInput, contract_create, contract_propose
from trajectoires.funding.models import BudgetLine, Contract, ContractParty, Objective, Tranche
from trajectoires.funding.objectives import ObjectiveInput, objective_create
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/contracts/"
PREFECTURE = {
    "funder": "prefecture-68",
    "name": "Préfecture du Haut-Rhin",
    "programme": "fonds-vert-ingenierie",
    "amount": "200000.00",
    "share": "66.67",
    "is_lead": True,
}
REGION = {
    "funder": "region-grand-est",
    "name": "Région Grand Est",
    "programme": "territoires-en-transition-grand-est",
    "amount": "100000.00",
    "share": "33.33",
    "is_lead": False,
}
LOCKED = "Terminez le diagnostic sensible et partagez-le avec Préfecture du Haut-Rhin."


@pytest.fixture
def fw():
    return build_funding_world()


def user_of(fw, who):
    extra = {"prefecture_admin": fw.prefecture_admin, "region_admin": fw.region_admin}
    return extra[who] if who in extra else fw.people[who]


def headers(user, scope=TokenScope.READ_WRITE):
    if user is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=user, name='script', scope=scope)[1]}"}


def send(fw, method, url, payload=None, who="prefecture_admin"):
    return getattr(Client(), method)(
        url, payload, content_type="application/json", headers=headers(user_of(fw, who))
    )


def a_foundation_contract(fw, visibility="private"):
    return contract_create(
        actor=fw.people["other_funder"],
        funder=fw.world.other_funder,
        territory=fw.territory,
        data=ContractInput(
            title="Fonds d’amorçage", start_year=2026, end_year=2027, total_amount=Decimal("40000"),
            visibility=visibility,
        ),
        amount=Decimal("40000"),
    )  # fmt: skip


def an_orientation(fw):
    vision = vision_save(
        actor=fw.people["admin"],
        territory=fw.territory,
        expected_version=0,
        horizon_year=2045,
        statement="Un village nourricier.",
        orientations=[OrientationInput("Manger local", [referential_item("essential_need", "food")])],
        reason="Conseil",
        visibility="public",
    )
    return vision.orientations.get()


def state():
    """Everything a refused write could have touched."""
    return (
        list(Contract.objects.values()),
        list(ContractParty.objects.values()),
        list(Tranche.objects.values()),
        list(BudgetLine.objects.values()),
        list(Objective.objects.values()),
        AuditEntry.objects.exclude(action__startswith="api_token.").count(),
    )


def tranche_rows(contract):
    amounts = {"prefecture-68": ["66666.67", "66666.67", "66666.66"], "region-grand-est": ["33333.33"] * 2}
    amounts["region-grand-est"].append("33333.34")
    return [
        {
            "id": tranche.pk,
            "funder": tranche.party.funder.slug,
            "year": tranche.year,
            "amount": amounts[tranche.party.funder.slug][tranche.year - 2027],
            "condition": tranche.condition_id,
            "locked": False,
            "committed_on": None,
            "paid_on": None,
        }
        for tranche in Tranche.objects.filter(contract=contract).order_by("year", "party__funder__name")
    ]


# Reading -----------------------------------------------------------------------------------------


def test_the_detail_gives_shares_tranches_lines_conditions_and_objectives(fw):
    contract = a_contract(fw, visibility="partners")
    engineering = a_line(fw, contract)
    bikes = a_line(fw, contract, category="material_investment", label="Vélos-cargos", planned="20000.00")
    orientation = an_orientation(fw)
    objective = objective_create(
        actor=fw.prefecture_admin,
        contract=contract,
        data=ObjectiveInput(
            statement="Former 40 agents à la transition",
            target="40 agents formés",
            orientations=[orientation],
            key_actions=[referential_item("key_action", "K1")],
        ),
    )
    version = objective.versions.get()
    condition = contract.conditions.get()
    line = {"funder": "prefecture-68", "year": 2027, "spent": "0.00"}
    expected = {
        "id": contract.pk,
        "territory": "ungersheim",
        "title": "Contrat de transition 2027-2029",
        "start_year": 2027,
        "end_year": 2029,
        "total_amount": "300000.00",
        "status": "draft",
        "visibility": "partners",
        "parties": [PREFECTURE, REGION],
        "summary": "",
        "signatures": [
            {"party": "territory", "name": "Ungersheim", "signed_at": None},
            {"party": "prefecture-68", "name": "Préfecture du Haut-Rhin", "signed_at": None},
            {"party": "region-grand-est", "name": "Région Grand Est", "signed_at": None},
        ],
        "tranches": tranche_rows(contract),
        "budget": {
            "planned": "80000.00",
            "spent": "0.00",
            "capacity_planned": "60000.00",
            "capacity_share": "75.0",
        },
        "lines": [
            line
            | {
                "id": engineering.pk,
                "category": "human_engineering",
                "category_label": "Ingénierie humaine",
                "capacity": True,
                "label": "Chargée de mission transition",
                "planned": "60000.00",
                "condition": None,
                "locked": False,
            },
            line
            | {
                "id": bikes.pk,
                "category": "material_investment",
                "category_label": "Investissement matériel",
                "capacity": False,
                "label": "Vélos-cargos",
                "planned": "20000.00",
                "condition": condition.pk,
                "locked": True,
            },
        ],
        "conditions": [
            {
                "id": condition.pk,
                "kind": "diagnostic",
                "funder": "prefecture-68",
                "report_year": None,
                "met": False,
                "unlock": LOCKED,
            }
        ],
        "objectives": [
            {
                "id": objective.pk,
                "position": 1,
                "orientations": [orientation.pk],
                "key_actions": ["K1"],
                "current": {
                    "number": 1,
                    "statement": "Former 40 agents à la transition",
                    "target": "40 agents formés",
                    "reason": "",
                    "learning": "",
                    "proposed_at": at(version.proposed_at),
                    "agreed_at": at(version.agreed_at),
                    "agreed_by": [],
                },
                "pending": None,
                "waiting_for": [],
                "history": [],
                "outcome": None,
                "outcome_note": "",
                "counts_as_learning": False,
                "closed_at": None,
            }
        ],
        "problems": {},
        "proposed_at": None,
        "activated_at": None,
        "mid_term_review": "",
        "reviewed_at": None,
        "closing_note": "",
        "closed_at": None,
        "actions": [],
        "sign_as": [],
    }
    assert send(fw, "get", f"{BASE}{contract.pk}", who="contributor").json() == expected
    # What each caller may do next is theirs: the lead funder prepares and proposes the draft.
    lead = send(fw, "get", f"{BASE}{contract.pk}", who="partner_funder").json()
    assert (lead["actions"], lead["sign_as"]) == (["prepare", "propose"], [])
    assert send(fw, "get", f"{BASE}{contract.pk}", who="other_funder").json() == NOT_FOUND


def test_the_lists_of_a_territory_and_of_a_funder(fw):
    shared = a_contract(fw)
    seed = a_foundation_contract(fw)
    territory_list = send(fw, "get", BASE, who="viewer").json()
    detail = send(fw, "get", f"{BASE}{shared.pk}", who="viewer").json()
    seed_summary = {
        "id": seed.pk,
        "territory": "ungersheim",
        "title": "Fonds d’amorçage",
        "start_year": 2026,
        "end_year": 2027,
        "total_amount": "40000.00",
        "status": "draft",
        "visibility": "private",
        "parties": [
            {
                "funder": "fondation-lointaine",
                "name": "Fondation Lointaine",
                "programme": None,
                "amount": "40000.00",
                "share": "100.00",
                "is_lead": True,
            }
        ],
    }
    shared_summary = {key: detail[key] for key in seed_summary}
    assert shared_summary["parties"] == [PREFECTURE, REGION]
    assert territory_list == {
        "count": 2,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": [shared_summary, seed_summary],  # latest first: 2027, then 2026
    }
    region = send(fw, "get", "/api/v1/funders/region-grand-est/contracts/", who="region_admin").json()
    assert region["results"] == [shared_summary]
    # The foundation's private contract is read by its members and the territory's team only.
    foundation = "/api/v1/funders/fondation-lointaine/contracts/"
    assert send(fw, "get", foundation, who="other_funder").json()["results"] == [seed_summary]
    assert send(fw, "get", foundation, who="region_admin").json()["results"] == []
    assert Client().get(foundation).json()["count"] == 0
    assert Client().get("/api/v1/funders/nobody/contracts/").json() == NOT_FOUND
    second = Client().get(BASE, {"page_size": 1, "page": 2}, headers=headers(fw.people["admin"])).json()
    assert (second["count"], second["pages"], [row["id"] for row in second["results"]]) == (2, 2, [seed.pk])


# Writing -----------------------------------------------------------------------------------------


def test_a_funder_member_drafts_a_contract_it_leads_rows_and_audit_written(fw):
    payload = {
        "territory": "ungersheim",
        "title": "Contrat de transition 2027-2030",
        "summary": "Quatre ans pour former et animer.",
        "start_year": 2027,
        "end_year": 2030,
        "total_amount": "400000",
        "visibility": "partners",
        "programme": "fonds-vert-ingenierie",
        "amount": 250000.5,
    }
    response = send(fw, "post", "/api/v1/funders/prefecture-68/contracts/", payload, "partner_funder")
    assert response.status_code == 201, response.content
    contract = Contract.objects.get()
    party = contract.parties.get()
    assert (contract.territory, contract.total_amount, contract.author) == (
        fw.territory,
        Decimal("400000.00"),
        fw.people["partner_funder"],
    )
    assert (party.funder, party.programme, party.amount, party.is_lead) == (
        fw.world.partner,
        fw.state_programme,
        Decimal("250000.50"),
        True,
    )
    body = response.json()
    assert body == send(fw, "get", f"{BASE}{contract.pk}", who="partner_funder").json()
    assert (body["total_amount"], body["parties"][0]["amount"], body["parties"][0]["share"]) == (
        "400000.00",
        "250000.50",
        "62.50",
    )
    assert body["problems"] == {
        "total_amount": [
            "Les parts des cofinanceurs totalisent 250\u00a0000,50\u00a0€, "
            "le total est de 400\u00a0000,00\u00a0€."
        ],
        "tranches": [
            "Les tranches de Préfecture du Haut-Rhin totalisent 0,00\u00a0€, "
            "sa part est de 250\u00a0000,50\u00a0€."
        ],
    }
    assert body["actions"] == ["prepare", "propose"]
    created = AuditEntry.objects.get(action="contract.create")
    assert (created.scope, created.changes) == (
        f"territory:{fw.territory.pk}",
        {
            "title": [None, "Contrat de transition 2027-2030"],
            "summary": [None, "Quatre ans pour former et animer."],
            "start_year": [None, 2027],
            "end_year": [None, 2030],
            "total_amount": [None, "400000.00"],
            "visibility": [None, "partners"],
        },
    )
    assert AuditEntry.objects.get(action="contract.party_add").changes == {
        "funder": [None, "prefecture-68"],
        "amount": [None, "250000.50"],
    }


def test_a_draft_is_filled_changed_and_deleted(fw):
    contract = a_contract(fw, region_share="0", total="250000.00")
    url = f"{BASE}{contract.pk}"
    joined = send(
        fw, "post", f"{url}/parties", {"funder": "region-grand-est", "amount": "100000", "programme": None}
    )
    assert joined.status_code == 201, joined.content
    assert joined.json()["parties"][1] == REGION | {"programme": None, "share": "40.00"}
    unknown = Client().post(
        f"{url}/parties",
        {"funder": "atlantide", "amount": "1"},
        content_type="application/json",
        headers=headers(fw.prefecture_admin) | {"Accept-Language": "en"},
    )
    assert fields(unknown) == {"funder": ["Choose a funder of the directory."]}
    changed = send(fw, "patch", url, {"total_amount": 300000, "title": "Contrat 2027-2029"}, "admin")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title"], changed.json()["total_amount"]) == ("Contrat 2027-2029", "300000.00")
    assert AuditEntry.objects.get(action="contract.update").changes == {
        "title": ["Contrat de transition 2027-2029", "Contrat 2027-2029"],
        "total_amount": ["250000.00", "300000.00"],
    }
    tranche = send(
        fw, "post", f"{url}/tranches", {"funder": "region-grand-est", "year": 2028, "amount": "100000"}
    )
    assert tranche.status_code == 201, tranche.content
    assert [(row["funder"], row["year"], row["amount"]) for row in tranche.json()["tranches"]][-2:] == [
        ("region-grand-est", 2028, "100000.00"),
        ("prefecture-68", 2029, "66666.66"),
    ]
    condition = send(fw, "post", f"{url}/conditions", {"kind": "partnership", "funder": "region-grand-est"})
    assert condition.status_code == 201, condition.content
    assert condition.json()["conditions"] == [
        {
            "id": contract.conditions.get().pk,
            "kind": "partnership",
            "funder": "region-grand-est",
            "report_year": None,
            "met": False,
            "unlock": "Signez un partenariat avec Région Grand Est.",
        }
    ]
    line = {"funder": "region-grand-est", "category": "training_action", "label": "Formation", "year": 2028}
    added = send(fw, "post", f"{url}/lines", line | {"planned": 15000})
    assert added.status_code == 201, added.content
    assert added.json()["budget"] == {
        "planned": "15000.00",
        "spent": "0.00",
        "capacity_planned": "15000.00",
        "capacity_share": "100.0",
    }
    assert send(fw, "delete", url, who="region_admin").json() == NOT_FOUND
    assert send(fw, "delete", url, who="admin").status_code == 204
    assert not Contract.objects.exists()
    assert AuditEntry.objects.filter(action="contract.delete").count() == 1


@pytest.fixture
def proposed(fw):
    contract = a_contract(fw)
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    return contract


@pytest.fixture
def locked_and_active(fw):
    """An active contract whose Préfecture 2027 tranche waits for the diagnostic sensible."""
    contract = a_contract(fw)
    a_line(fw, contract)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner
    )
    tranche = contract.tranches.get(year=2027, party__funder=fw.world.partner)
    tranche_save(
        actor=fw.prefecture_admin,
        party=tranche.party,
        year=2027,
        amount=tranche.amount,
        condition=condition,
        tranche=tranche,
    )
    return active(fw, contract)


CREATE = "/api/v1/funders/prefecture-68/contracts/"
DRAFT = {
    "territory": "ungersheim",
    "title": "Contrat",
    "start_year": 2027,
    "end_year": 2029,
    "total_amount": "300000",
    "programme": "fonds-vert-ingenierie",
    "amount": "200000",
}
TWO_DECIMALS = "Un montant a au plus deux décimales (les centimes)."
NEGATIVE = "Un montant ne peut pas être négatif."


def test_bad_input_on_creation_names_the_field_and_writes_nothing(fw):
    cases = [
        ({"end_year": 2038}, {"end_year": ["Un contrat dure de 1 à 10 ans."]}),
        ({"end_year": 2026}, {"end_year": ["La dernière année vient après la première."]}),
        (
            {"end_year": 2032},
            {
                "end_year": [
                    "Le programme « Fonds vert — ingénierie » finance des contrats de 3 à 5 ans ; "
                    "celui-ci en dure 6."
                ]
            },
        ),
        ({"total_amount": "-300000"}, {"total_amount": [NEGATIVE]}),
        ({"total_amount": 300000.001}, {"total_amount": [TWO_DECIMALS]}),
        ({"amount": "200000.125"}, {"amount": [TWO_DECIMALS]}),
        ({"amount": "deux cent mille"}, {"amount": ["Saisissez un montant en euros, par exemple 12500,50."]}),
        ({"programme": "inconnu"}, {"programme": ["Choisissez un programme de Préfecture du Haut-Rhin."]}),
        ({"title": "x" * 201}, {"title": ["Saisissez une valeur valide."]}),
    ]
    before = state()
    for change, errors in cases:
        response = send(fw, "post", CREATE, DRAFT | change, "partner_funder")
        assert fields(response) == errors, change
    english = Client().post(
        CREATE,
        DRAFT | {"territory": "atlantide"},
        content_type="application/json",
        headers=headers(fw.people["partner_funder"]) | {"Accept-Language": "en"},
    )
    assert fields(english) == {"territory": ["Choose a territory of the alliance."]}
    assert state() == before


@pytest.mark.parametrize(
    ("who", "path", "payload", "errors"),
    [
        pytest.param(
            "prefecture_admin",
            "/tranches",
            {"funder": "region-grand-est", "year": 2031, "amount": "1000"},
            {"year": ["Choisissez une année du contrat, de 2027 à 2029."]},
            id="tranche outside the years",
        ),
        pytest.param(
            "region_admin",
            "/tranches",
            {"funder": "region-grand-est", "year": 2028, "amount": "1000.005"},
            {"amount": [TWO_DECIMALS]},
            id="tranche of three decimals",
        ),
        pytest.param(
            "prefecture_admin",
            "/tranches",
            {"funder": "fondation-lointaine", "year": 2028, "amount": "1000"},
            {"funder": ["Choisissez un cofinanceur de ce contrat."]},
            id="tranche of a funder not party",
        ),
        pytest.param(
            "prefecture_admin",
            "/lines",
            {
                "funder": "region-grand-est",
                "category": "material_investment",
                "label": "Vélos-cargos",
                "year": 2027,
                "planned": "5000",
            },
            {
                "category": [
                    "Le programme « Territoires en transition Grand Est » ne finance pas "
                    "« Investissement matériel »."
                ]
            },
            id="line of a category the programme excludes",
        ),
        pytest.param(
            "admin",
            "/lines",
            {
                "funder": "prefecture-68",
                "category": "training_action",
                "label": "F",
                "year": 2027,
                "planned": -5,
            },
            {"planned": [NEGATIVE]},
            id="negative line",
        ),
        pytest.param(
            "admin",
            "/parties",
            {"funder": "fondation-lointaine", "amount": "10.001"},
            {"amount": [TWO_DECIMALS]},
            id="share of three decimals",
        ),
        pytest.param(
            "admin",
            "/parties",
            {"funder": "region-grand-est", "amount": "10"},
            {"funder": ["Région Grand Est cofinance déjà ce contrat."]},
            id="co-funder twice",
        ),
        pytest.param(
            "admin", "", {"end_year": 2040}, {"end_year": ["Un contrat dure de 1 à 10 ans."]}, id="patch"
        ),
        pytest.param(
            "admin",
            "/conditions",
            {"kind": "report", "funder": "region-grand-est", "report_year": 2031},
            {"report_year": ["Choisissez l’année d’un rapport du contrat, de 2027 à 2029."]},
            id="report condition outside the years",
        ),
        pytest.param(
            "partner_funder",
            "/transitions",
            {"action": "jump"},
            {"action": ["Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."]},
            id="unknown transition",
        ),
    ],
)
def test_bad_input_on_a_draft_names_the_field_and_writes_nothing(fw, who, path, payload, errors):
    contract = a_contract(fw)
    before = state()
    method = "patch" if path == "" else "post"
    assert fields(send(fw, method, f"{BASE}{contract.pk}{path}", payload, who)) == errors
    assert state() == before


def test_shares_that_do_not_sum_to_the_total_keep_a_draft_from_being_proposed(fw):
    contract = a_contract(fw, region_share="0")
    before = state()
    refused = send(fw, "post", f"{BASE}{contract.pk}/transitions", {"action": "propose"}, "partner_funder")
    assert fields(refused) == {
        "total_amount": [
            "Les parts des cofinanceurs totalisent 200\u00a0000,00\u00a0€, "
            "le total est de 300\u00a0000,00\u00a0€."
        ]
    }
    assert state() == before


def test_signing_twice_is_refused(fw, proposed):
    url = f"{BASE}{proposed.pk}/transitions"
    assert send(fw, "post", url, {"action": "sign"}, "admin").status_code == 200
    before = state()
    assert fields(send(fw, "post", url, {"action": "sign"}, "admin")) == {
        "signature": ["Cette partie a déjà signé ce contrat."]
    }
    assert state() == before


def test_a_locked_tranche_is_not_paid_and_a_negative_spend_is_refused(fw, locked_and_active):
    contract = locked_and_active
    tranche = contract.tranches.get(year=2027, party__funder=fw.world.partner)
    url = f"{BASE}{contract.pk}/tranches/{tranche.pk}"
    committed = send(fw, "post", f"{url}/commit", {"committed_on": "2027-01-15"}, "partner_funder")
    assert committed.status_code == 200, committed.content
    row = next(row for row in committed.json()["tranches"] if row["id"] == tranche.pk)
    assert (row["committed_on"], row["paid_on"], row["locked"]) == ("2027-01-15", None, True)
    before = state()
    assert fields(send(fw, "post", f"{url}/pay", {"paid_on": "2027-02-01"}, "partner_funder")) == {
        "paid_on": [f"Cette tranche est verrouillée : {LOCKED}"]
    }
    line = contract.budget_lines.get()
    spend = f"{BASE}{contract.pk}/lines/{line.pk}/spend"
    assert fields(send(fw, "post", spend, {"spent": -1}, "editor")) == {"spent": [NEGATIVE]}
    assert fields(send(fw, "post", spend, {"spent": "0.001"}, "editor")) == {"spent": [TWO_DECIMALS]}
    assert state() == before
    # The region's tranche has no condition: it is committed and paid by the Région only.
    free = contract.tranches.get(year=2027, party__funder=fw.region)
    free_url = f"{BASE}{contract.pk}/tranches/{free.pk}"
    assert send(fw, "post", f"{free_url}/commit", {}, "partner_funder").json() == NOT_FOUND
    assert (
        send(fw, "post", f"{free_url}/commit", {"committed_on": "2027-01-10"}, "region_admin").status_code
        == 200
    )
    paid = send(fw, "post", f"{free_url}/pay", {"paid_on": "2027-03-01"}, "region_admin").json()
    row = next(row for row in paid["tranches"] if row["id"] == free.pk)
    assert (row["committed_on"], row["paid_on"]) == ("2027-01-10", "2027-03-01")
    spent = send(fw, "post", spend, {"spent": "12000.5"}, "editor").json()
    assert (spent["lines"][0]["spent"], spent["budget"]["spent"]) == ("12000.50", "12000.50")


def test_a_contract_goes_from_proposal_to_closing(fw, proposed):
    url = f"{BASE}{proposed.pk}"
    moves = f"{url}/transitions"

    def move(who, **payload):
        response = send(fw, "post", moves, payload, who)
        assert response.status_code == 200, response.content
        return response.json()

    territory_view = send(fw, "get", url, who="admin").json()
    assert (territory_view["actions"], territory_view["sign_as"]) == (["withdraw", "sign"], ["territory"])
    # An officer of the Préfecture prepares its contracts but does not sign for it.
    officer_signs = send(fw, "post", moves, {"action": "sign", "funder": "prefecture-68"}, "partner_funder")
    assert officer_signs.json() == NOT_FOUND
    move("admin", action="sign")
    move("prefecture_admin", action="sign", funder="prefecture-68")
    signed = move("region_admin", action="sign", funder="region-grand-est")
    assert signed["status"] == "signed"
    assert all(signature["signed_at"] for signature in signed["signatures"])
    proposed.refresh_from_db()
    assert signed["signatures"][0]["signed_at"] == at(proposed.territory_signed_at)
    assert AuditEntry.objects.filter(action="contract.sign").count() == 3
    assert move("partner_funder", action="activate")["status"] == "active"
    assert fields(send(fw, "post", moves, {"action": "review", "text": " "}, "admin")) == {
        "text": ["Écrivez ce que la revue à mi-parcours a constaté."]
    }
    reviewed = move("admin", action="review", text="Les binômes élus-agents tiennent.")
    assert (reviewed["status"], reviewed["mid_term_review"]) == (
        "reviewed",
        "Les binômes élus-agents tiennent.",
    )
    assert fields(send(fw, "post", moves, {"action": "close"}, "partner_funder")) == {
        "text": ["Écrivez une note de clôture : ce que le contrat a rendu possible."]
    }
    closed = move("partner_funder", action="close", text="Une équipe formée, un poste pérennisé.")
    assert (closed["status"], closed["closing_note"], closed["actions"]) == (
        "closed",
        "Une équipe formée, un poste pérennisé.",
        [],
    )
    assert fields(send(fw, "post", moves, {"action": "activate"}, "partner_funder")) == {
        "status": ["C’est impossible sur un contrat à l’état « Clos »."]
    }


def test_an_objective_is_readjusted_agreed_by_every_co_funder_and_closed_as_a_lesson(fw):
    contract = a_contract(fw)
    url = f"{BASE}{contract.pk}"
    created = send(fw, "post", f"{url}/objectives", {"statement": "Former 40 agents", "key_actions": ["K1"]})
    assert created.status_code == 201, created.content
    assert fields(send(fw, "post", f"{url}/objectives", {"statement": "X", "key_actions": ["K99"]})) == {
        "key_actions": ["Choisissez des actions clés du référentiel."]
    }
    active(fw, contract)
    objective = contract.objectives.get()
    readjust = {
        "statement": "Former 25 agents",
        "target": "25",
        "reason": "Budget",
        "learning": "Viser juste",
    }
    pending = send(fw, "post", f"{url}/objectives/{objective.pk}/readjust", readjust, "editor")
    assert pending.status_code == 201, pending.content
    row = pending.json()["objectives"][0]
    assert (row["current"]["statement"], row["pending"]["statement"], row["waiting_for"]) == (
        "Former 40 agents",
        "Former 25 agents",
        ["prefecture-68", "region-grand-est"],
    )
    agree = f"{url}/objectives/{objective.pk}/versions/2/agree"
    assert send(fw, "post", agree, {"funder": "prefecture-68"}, "partner_funder").json() == NOT_FOUND
    assert send(fw, "post", agree, {"funder": "region-grand-est"}, "prefecture_admin").json() == NOT_FOUND
    halfway = send(fw, "post", agree, {"funder": "prefecture-68"}, "prefecture_admin").json()["objectives"][0]
    assert (halfway["waiting_for"], halfway["pending"]["agreed_by"]) == (
        ["region-grand-est"],
        ["prefecture-68"],
    )
    agreed = send(fw, "post", agree, {"funder": "region-grand-est"}, "region_admin").json()["objectives"][0]
    assert (agreed["current"]["number"], agreed["pending"], [v["number"] for v in agreed["history"]]) == (
        2,
        None,
        [1],
    )
    assert agreed["current"]["agreed_by"] == ["prefecture-68", "region-grand-est"]
    close = f"{url}/objectives/{objective.pk}/close"
    assert fields(send(fw, "post", close, {"outcome": "lesson"}, "editor")) == {
        "outcome_note": ["Écrivez la leçon tirée : c’est ce que laisse un objectif abandonné."]
    }
    closed = send(fw, "post", close, {"outcome": "lesson", "outcome_note": "Trop ambitieux seul."}, "editor")
    row = closed.json()["objectives"][0]
    assert (row["outcome"], row["outcome_note"], row["counts_as_learning"]) == (
        "lesson",
        "Trop ambitieux seul.",
        True,
    )


# Rights ------------------------------------------------------------------------------------------


def test_writes_need_a_read_and_write_token_and_forbidden_writes_answer_404_before_any_check(fw):
    contract = a_contract(fw)
    url = f"{BASE}{contract.pk}"
    read_only = headers(fw.people["admin"], TokenScope.READ)
    refused = Client().patch(url, {"title": "X"}, content_type="application/json", headers=read_only)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "read_only_token")
    anonymous = Client().post(CREATE, DRAFT, content_type="application/json")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "not_authenticated")
    before = state()
    assert send(fw, "patch", url, {"end_year": 2040}, "viewer").json() == NOT_FOUND
    assert send(fw, "post", CREATE, DRAFT | {"end_year": 2040}, "admin").json() == NOT_FOUND
    bad_tranche = {"funder": "x", "year": 1, "amount": "-1"}
    assert send(fw, "post", f"{url}/tranches", bad_tranche, "editor").json() == NOT_FOUND
    assert send(fw, "post", f"{url}/transitions", {"action": "sign"}, "editor").json() == NOT_FOUND
    assert state() == before


def test_a_forbidden_contract_answers_exactly_like_a_missing_one(fw):
    contract = a_contract(fw)
    forbidden = Client().get(f"{BASE}{contract.pk}", headers=headers(fw.people["member_elsewhere"]))
    missing = Client().get(f"{BASE}{contract.pk + 1000}", headers=headers(fw.people["member_elsewhere"]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


# Query counts ------------------------------------------------------------------------------------


def cost(fw, url, who="admin"):
    auth = headers(user_of(fw, who))
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url, headers=auth).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_whatever_the_number_of_contracts(fw):
    a_contract(fw)
    territory_once = cost(fw, BASE)
    funder_once = cost(fw, "/api/v1/funders/prefecture-68/contracts/", "partner_funder")
    for n in range(4):
        a_contract(fw, title=f"Contrat {n}")
    assert cost(fw, BASE) == territory_once
    assert cost(fw, "/api/v1/funders/prefecture-68/contracts/", "partner_funder") == funder_once


def test_the_detail_costs_the_same_whatever_the_number_of_lines_conditions_and_objectives(fw):
    contract = a_contract(fw)
    a_line(fw, contract, category="material_investment")  # locked by the diagnostic: one condition
    objective_create(actor=fw.prefecture_admin, contract=contract, data=ObjectiveInput(statement="Un"))
    url = f"{BASE}{contract.pk}"
    once = cost(fw, url)
    for n in range(4):
        a_line(fw, contract, label=f"Ligne {n}", category="training_action", year=2027 + n % 3)
        objective_create(actor=fw.prefecture_admin, contract=contract, data=ObjectiveInput(statement=f"O{n}"))
    condition_add(actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.region)
    assert cost(fw, url) == once
