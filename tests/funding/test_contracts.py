"""Engagement contracts through their services (`funding/contracts.py`): drafting with the lead
funder's share, co-funders joining, every legal move of the life cycle and every illegal one refused
with a message naming the field and nothing written, who may do each move, the signatures and the
partnerships they create, and bad input of every kind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.funding.builders import a_contract, active, build_funding_world, signed
from tests.trust.world import person
from trajectoires.accounts.models import FunderMembership
from trajectoires.core.models import AuditEntry
from trajectoires.funding.budget import tranche_delete
from trajectoires.funding.contracts import (
    ContractInput,
    contract_activate,
    contract_close,
    contract_create,
    contract_delete,
    contract_propose,
    contract_review,
    contract_sign,
    contract_update,
    contract_withdraw,
    mandate_periods,
    party_add,
    party_remove,
    party_update,
    proposal_problems,
)
from trajectoires.funding.models import Contract, ContractParty, Programme
from trajectoires.geo.selectors import area_from_reference
from trajectoires.territories.models import TerritoryPartnership
from trajectoires.territories.services import territory_create

pytestmark = pytest.mark.django_db

STATUS_LABELS = {
    "draft": "Brouillon",
    "proposed": "Proposé à la signature",
    "signed": "Signé par toutes les parties",
    "active": "Actif",
    "reviewed": "Revu à mi-parcours",
    "closed": "Clos",
}


@pytest.fixture
def fw():
    return build_funding_world()


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def entries_after(mark: int) -> list[tuple[str, str, dict]]:
    return list(
        AuditEntry.objects.filter(id__gt=mark).order_by("id").values_list("action", "object_type", "changes")
    )


def last_entry_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def state_duration(years: int) -> str:
    return (
        "Le programme « Fonds vert — ingénierie » finance des contrats de 3 à 5 ans ; "
        f"celui-ci en dure {years}."
    )


def fondation_admin(fw):
    admin = person("admin@fondation.example")
    FunderMembership.objects.create(user=admin, funder=fw.world.other_funder, role="admin")
    return admin


def data(**values) -> ContractInput:
    return ContractInput(
        **{
            "title": "Contrat de transition",
            "start_year": 2027,
            "end_year": 2029,
            "total_amount": Decimal("300000.00"),
        }
        | values
    )


def at(fw, status: str) -> Contract:
    """A contract of the world, taken to `status` by the legal moves."""
    contract = a_contract(fw)
    if status == "proposed":
        contract_propose(actor=fw.prefecture_admin, contract=contract)
    elif status == "signed":
        signed(fw, contract)
    elif status in ("active", "reviewed", "closed"):
        active(fw, contract)
        if status == "reviewed":
            contract_review(actor=fw.prefecture_admin, contract=contract, review="À mi-chemin.")
        if status == "closed":
            contract_close(actor=fw.prefecture_admin, contract=contract, note="Une équipe en place.")
    contract.refresh_from_db()
    assert contract.status == status
    return contract


# Drafting --------------------------------------------------------------------------------------


def test_a_funder_officer_drafts_a_contract_with_its_share_and_both_writes_are_audited(fw):
    contract = contract_create(
        actor=fw.people["partner_funder"],
        funder=fw.world.partner,
        territory=fw.territory,
        data=ContractInput(
            title="  Contrat de transition 2027-2029 ",
            summary="Trois ans pour l’ingénierie.",
            start_year=2027,
            end_year=2029,
            total_amount="300000",
            visibility="partners",
        ),
        programme=fw.state_programme,
        amount="200000,5",
    )
    contract.refresh_from_db()
    assert (
        contract.territory,
        contract.title,
        contract.summary,
        contract.start_year,
        contract.end_year,
        contract.total_amount,
        contract.status,
        contract.visibility,
        contract.author,
    ) == (
        fw.territory,
        "Contrat de transition 2027-2029",
        "Trois ans pour l’ingénierie.",
        2027,
        2029,
        Decimal("300000.00"),
        "draft",
        "partners",
        fw.people["partner_funder"],
    )
    assert list(contract.years) == [2027, 2028, 2029]
    assert list(
        contract.parties.values_list("funder__slug", "programme__slug", "amount", "is_lead", "signed_at")
    ) == [("prefecture-68", "fonds-vert-ingenierie", Decimal("200000.50"), True, None)]
    party = contract.parties.get()
    scope = f"territory:{fw.territory.pk}"
    assert list(
        AuditEntry.objects.filter(scope=scope, action__startswith="contract.")
        .order_by("id")
        .values_list("actor_label", "action", "object_type", "object_id", "changes")
    ) == [
        (
            str(fw.people["partner_funder"].pk),
            "contract.create",
            "funding.contract",
            str(contract.pk),
            {
                "title": [None, "Contrat de transition 2027-2029"],
                "summary": [None, "Trois ans pour l’ingénierie."],
                "start_year": [None, 2027],
                "end_year": [None, 2029],
                "total_amount": [None, "300000.00"],
                "visibility": [None, "partners"],
            },
        ),
        (
            str(fw.people["partner_funder"].pk),
            "contract.party_add",
            "funding.contractparty",
            str(party.pk),
            {"funder": [None, "prefecture-68"], "amount": [None, "200000.50"]},
        ),
    ]


@pytest.mark.parametrize("who", ["territory_admin", "other_funder", "region_officer_for_prefecture", "staff"])
def test_only_a_member_of_the_lead_funder_drafts_for_it(fw, who):
    actor = {
        "territory_admin": fw.people["admin"],
        "other_funder": fw.people["other_funder"],
        "region_officer_for_prefecture": fw.region_officer,
        "staff": fw.people["staff"],
    }[who]
    mark = last_entry_id()
    with pytest.raises(PermissionDenied):
        contract_create(
            actor=actor,
            funder=fw.world.partner,
            territory=fw.territory,
            data=data(),
            amount=Decimal("100000"),
        )
    assert not Contract.objects.exists()
    assert entries_after(mark) == []


def test_a_draft_is_updated_and_deleted_by_its_lead_funder_or_the_territory_admin(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    contract_update(
        actor=fw.people["admin"],
        contract=contract,
        data=data(title="Contrat 2027-2030", end_year=2030, total_amount="320000", visibility="public"),
    )
    contract.refresh_from_db()
    assert (contract.title, contract.end_year, contract.total_amount, contract.visibility) == (
        "Contrat 2027-2030",
        2030,
        Decimal("320000.00"),
        "public",
    )
    assert entries_after(mark) == [
        (
            "contract.update",
            "funding.contract",
            {
                "end_year": [2029, 2030],
                "title": ["Contrat de transition 2027-2029", "Contrat 2027-2030"],
                "total_amount": ["300000.00", "320000.00"],
                "visibility": ["private", "public"],
            },
        )
    ]
    pk, mark = contract.pk, last_entry_id()
    contract_delete(actor=fw.people["partner_funder"], contract=contract)
    assert not Contract.objects.filter(pk=pk).exists()
    assert not ContractParty.objects.exists()
    assert entries_after(mark) == [
        ("contract.delete", "funding.contract", {"title": ["Contrat 2027-2030", None]})
    ]


def test_new_years_that_leave_tranches_outside_are_refused(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    assert refused(
        lambda: contract_update(
            actor=fw.prefecture_admin, contract=contract, data=data(start_year=2028, end_year=2028)
        )
    ) == {"end_year": ["Des tranches sont prévues en 2027, 2029, hors de ces années."]}
    contract.refresh_from_db()
    assert (contract.start_year, contract.end_year) == (2027, 2029)
    assert entries_after(mark) == []


@pytest.mark.parametrize(
    "who", ["editor", "region_admin", "region_officer", "other_funder", "staff", "anonymous"]
)
def test_a_draft_is_prepared_by_nobody_else(fw, who):
    actor = {
        "editor": fw.people["editor"],
        "region_admin": fw.region_admin,
        "region_officer": fw.region_officer,
        "other_funder": fw.people["other_funder"],
        "staff": fw.people["staff"],
        "anonymous": None,
    }[who]
    contract = a_contract(fw)
    region = contract.parties.get(funder=fw.region)
    mark = last_entry_id()
    attempts = [
        lambda: contract_update(actor=actor, contract=contract, data=data(title="Autre")),
        lambda: contract_delete(actor=actor, contract=contract),
        lambda: party_add(actor=actor, contract=contract, funder=fw.world.other_funder, amount=Decimal(1)),
        lambda: party_remove(actor=actor, party=region),
        lambda: contract_propose(actor=actor, contract=contract),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    contract.refresh_from_db()
    assert (contract.title, contract.status, contract.parties.count()) == (
        "Contrat de transition 2027-2029",
        "draft",
        2,
    )
    assert entries_after(mark) == []


# Co-funders ------------------------------------------------------------------------------------


def test_co_funders_join_change_their_share_and_leave_a_draft(fw):
    contract = a_contract(fw, region_share="0")
    mark = last_entry_id()
    region = party_add(
        actor=fw.people["admin"],
        contract=contract,
        funder=fw.region,
        amount=Decimal("90000"),
        programme=fw.region_programme,
    )
    assert (region.is_lead, region.amount, region.programme) == (
        False,
        Decimal("90000.00"),
        fw.region_programme,
    )
    # The co-funder itself adjusts its share, without its programme this time.
    party_update(actor=fw.region_officer, party=region, amount=Decimal("100000"), programme=None)
    region.refresh_from_db()
    assert (region.amount, region.programme) == (Decimal("100000.00"), None)
    party_remove(actor=fw.prefecture_admin, party=region)
    assert list(contract.parties.values_list("funder__slug", flat=True)) == ["prefecture-68"]
    assert entries_after(mark) == [
        (
            "contract.party_add",
            "funding.contractparty",
            {"funder": [None, "region-grand-est"], "amount": [None, "90000.00"]},
        ),
        (
            "contract.party_update",
            "funding.contractparty",
            {"amount": ["90000.00", "100000.00"], "programme": ["territoires-en-transition-grand-est", None]},
        ),
        ("contract.party_remove", "funding.contractparty", {"funder": ["region-grand-est", None]}),
    ]
    # Another funder's member does not change the Préfecture's share.
    with pytest.raises(PermissionDenied):
        party_update(actor=fw.region_officer, party=contract.parties.get(), amount=Decimal(1), programme=None)


def test_a_co_funder_joins_once_and_the_lead_funder_stays(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    assert refused(
        lambda: party_add(actor=fw.prefecture_admin, contract=contract, funder=fw.region, amount=Decimal(1))
    ) == {"funder": ["Région Grand Est cofinance déjà ce contrat."]}
    assert refused(
        lambda: party_remove(actor=fw.prefecture_admin, party=contract.parties.get(is_lead=True))
    ) == {"funder": ["Le financeur chef de file reste sur son contrat ; supprimez plutôt le brouillon."]}
    assert contract.parties.count() == 2
    assert entries_after(mark) == []


# The life cycle: legal moves --------------------------------------------------------------------


def test_the_whole_life_of_a_contract_each_move_audited(fw):
    contract = a_contract(fw)
    prefecture = contract.parties.get(funder=fw.world.partner)
    region = contract.parties.get(funder=fw.region)
    mark = last_entry_id()
    contract_propose(actor=fw.people["partner_funder"], contract=contract)
    assert contract.status == "proposed"
    contract_sign(actor=fw.people["admin"], contract=contract)
    contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner)
    contract.refresh_from_db()
    assert contract.status == "proposed"  # the Région has not signed yet
    assert not TerritoryPartnership.objects.filter(funder=fw.region).exists()
    contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)
    contract.refresh_from_db()
    assert contract.status == "signed"
    contract_activate(actor=fw.people["partner_funder"], contract=contract)
    contract_review(
        actor=fw.people["admin"], contract=contract, review="  La chargée de mission est en poste.  "
    )
    contract_close(actor=fw.prefecture_admin, contract=contract, note=" Une équipe formée, un récit commun. ")
    contract.refresh_from_db()
    prefecture.refresh_from_db()
    region.refresh_from_db()
    partnership = TerritoryPartnership.objects.get(funder=fw.region)
    assert (contract.status, contract.mid_term_review, contract.closing_note) == (
        "closed",
        "La chargée de mission est en poste.",
        "Une équipe formée, un récit commun.",
    )
    assert (contract.territory_signed_by, prefecture.signed_by, region.signed_by) == (
        fw.people["admin"],
        fw.prefecture_admin,
        fw.region_admin,
    )
    assert (partnership.territory, partnership.since) == (fw.territory, region.signed_at.date())
    iso = lambda value: value.isoformat()  # noqa: E731
    assert entries_after(mark) == [
        (
            "contract.status",
            "funding.contract",
            {"status": ["draft", "proposed"], "proposed_at": [None, iso(contract.proposed_at)]},
        ),
        (
            "contract.sign",
            "funding.contract",
            {"territory_signed_at": [None, iso(contract.territory_signed_at)]},
        ),
        ("contract.sign", "funding.contractparty", {"signed_at": [None, iso(prefecture.signed_at)]}),
        ("contract.sign", "funding.contractparty", {"signed_at": [None, iso(region.signed_at)]}),
        ("contract.status", "funding.contract", {"status": ["proposed", "signed"]}),
        # The Préfecture was a partner already; the Région becomes one.
        (
            "partnership.create",
            "territories.territorypartnership",
            {"funder": [None, "region-grand-est"], "contract": [None, contract.pk]},
        ),
        (
            "contract.status",
            "funding.contract",
            {"status": ["signed", "active"], "activated_at": [None, iso(contract.activated_at)]},
        ),
        (
            "contract.status",
            "funding.contract",
            {
                "status": ["active", "reviewed"],
                "mid_term_review": ["", "La chargée de mission est en poste."],
                "reviewed_at": [None, iso(contract.reviewed_at)],
            },
        ),
        (
            "contract.status",
            "funding.contract",
            {
                "status": ["reviewed", "closed"],
                "closing_note": ["", "Une équipe formée, un récit commun."],
                "closed_at": [None, iso(contract.closed_at)],
            },
        ),
    ]
    assert TerritoryPartnership.objects.filter(territory=fw.territory).count() == 2


def test_an_active_contract_closes_without_a_mid_term_review(fw):
    contract = at(fw, "active")
    contract_close(actor=fw.prefecture_admin, contract=contract, note="Fin anticipée, la commune fusionne.")
    contract.refresh_from_db()
    assert (contract.status, contract.reviewed_at, contract.closing_note) == (
        "closed",
        None,
        "Fin anticipée, la commune fusionne.",
    )


def test_the_last_signature_may_be_the_territorys(fw):
    contract = a_contract(fw)
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)
    contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner)
    assert Contract.objects.get(pk=contract.pk).status == "proposed"
    contract_sign(actor=fw.people["admin"], contract=contract)
    assert Contract.objects.get(pk=contract.pk).status == "signed"
    assert set(
        TerritoryPartnership.objects.filter(territory=fw.territory).values_list("funder__slug", flat=True)
    ) == {
        "prefecture-68",
        "region-grand-est",
    }


def test_withdrawing_a_proposal_erases_the_signatures_given_and_audits_each(fw):
    contract = a_contract(fw)
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    contract_sign(actor=fw.people["admin"], contract=contract)
    contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner)
    prefecture = contract.parties.get(funder=fw.world.partner)
    proposed_at, territory_signed_at = contract.proposed_at, contract.territory_signed_at
    mark = last_entry_id()
    contract_withdraw(actor=fw.people["admin"], contract=contract)
    contract.refresh_from_db()
    assert (
        contract.status,
        contract.proposed_at,
        contract.territory_signed_at,
        contract.territory_signed_by,
    ) == (
        "draft",
        None,
        None,
        None,
    )
    assert list(contract.parties.values_list("signed_at", "signed_by")) == [(None, None), (None, None)]
    assert entries_after(mark) == [
        (
            "contract.signature_erase",
            "funding.contractparty",
            {"signed_at": [prefecture.signed_at.isoformat(), None]},
        ),
        (
            "contract.status",
            "funding.contract",
            {
                "status": ["proposed", "draft"],
                "proposed_at": [proposed_at.isoformat(), None],
                "territory_signed_at": [territory_signed_at.isoformat(), None],
            },
        ),
    ]
    # Changed, proposed again: every party signs anew.
    contract_update(actor=fw.prefecture_admin, contract=contract, data=data(title="Contrat révisé"))
    signed(fw, contract)
    assert contract.status == "signed"


# The life cycle: illegal moves ------------------------------------------------------------------

LEGAL = {
    "propose": {"draft"},
    "withdraw": {"proposed"},
    "sign": {"proposed"},
    "activate": {"signed"},
    "review": {"active"},
    "close": {"active", "reviewed"},
    "update": {"draft"},
    "delete": {"draft"},
    "party_add": {"draft"},
}


def attempt(fw, contract, move):
    """`move` on `contract`, by someone allowed to make it when the status allows it."""
    admin = fw.prefecture_admin
    return {
        "propose": lambda: contract_propose(actor=admin, contract=contract),
        "withdraw": lambda: contract_withdraw(actor=admin, contract=contract),
        "sign": lambda: contract_sign(actor=fw.people["admin"], contract=contract),
        "activate": lambda: contract_activate(actor=admin, contract=contract),
        "review": lambda: contract_review(actor=admin, contract=contract, review="Revue."),
        "close": lambda: contract_close(actor=admin, contract=contract, note="Clos."),
        "update": lambda: contract_update(actor=admin, contract=contract, data=data(title="Autre titre")),
        "delete": lambda: contract_delete(actor=admin, contract=contract),
        "party_add": lambda: party_add(
            actor=admin, contract=contract, funder=fw.world.other_funder, amount=Decimal("1000")
        ),
    }[move]


@pytest.mark.parametrize("status", list(STATUS_LABELS))
def test_every_move_the_status_does_not_allow_is_refused_naming_the_field_and_nothing_is_written(fw, status):
    contract = at(fw, status)
    parties = list(contract.parties.values_list("funder_id", "amount", "signed_at"))
    illegal = [move for move, allowed in LEGAL.items() if status not in allowed]
    assert illegal  # every status refuses something
    mark = last_entry_id()
    for move in illegal:
        field = "signature" if move == "sign" else "status"
        assert refused(attempt(fw, contract, move)) == {
            field: [f"C’est impossible sur un contrat à l’état « {STATUS_LABELS[status]} »."]
        }, move
        assert Contract.objects.get(pk=contract.pk).status == status, move
    assert entries_after(mark) == []
    contract.refresh_from_db()
    assert contract.title == "Contrat de transition 2027-2029"
    assert list(contract.parties.values_list("funder_id", "amount", "signed_at")) == parties


def test_an_illegal_move_is_refused_in_english_too(fw):
    contract = a_contract(fw)
    with translation.override("en"):
        assert refused(lambda: contract_activate(actor=fw.prefecture_admin, contract=contract)) == {
            "status": ["This cannot be done on a contract that is “Draft”."]
        }
        assert refused(lambda: contract_sign(actor=fw.people["admin"], contract=contract)) == {
            "signature": ["This cannot be done on a contract that is “Draft”."]
        }


def test_a_review_and_a_closing_note_are_written(fw):
    contract = at(fw, "active")
    mark = last_entry_id()
    assert refused(lambda: contract_review(actor=fw.prefecture_admin, contract=contract, review="  ")) == {
        "mid_term_review": ["Écrivez ce que la revue à mi-parcours a constaté."]
    }
    assert refused(lambda: contract_close(actor=fw.prefecture_admin, contract=contract, note="")) == {
        "closing_note": ["Écrivez une note de clôture : ce que le contrat a rendu possible."]
    }
    assert Contract.objects.get(pk=contract.pk).status == "active"
    assert entries_after(mark) == []


# Who signs, who moves ---------------------------------------------------------------------------


def test_each_party_signs_once_and_only_through_its_admin(fw):
    contract = at(fw, "proposed")
    fondation = fondation_admin(fw)
    mark = last_entry_id()
    refusals = [
        lambda: contract_sign(actor=fw.people["editor"], contract=contract),  # not the territory admin
        lambda: contract_sign(actor=fw.prefecture_admin, contract=contract),  # not the territory's
        lambda: contract_sign(actor=fw.people["partner_funder"], contract=contract, funder=fw.world.partner),
        lambda: contract_sign(actor=fw.region_officer, contract=contract, funder=fw.region),
        lambda: contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.region),
        lambda: contract_sign(actor=fw.people["admin"], contract=contract, funder=fw.world.partner),
        # A funder that is no party to the contract signs nothing, even through its admin.
        lambda: contract_sign(actor=fondation, contract=contract, funder=fw.world.other_funder),
        lambda: contract_sign(actor=None, contract=contract),
    ]
    for refusal in refusals:
        with pytest.raises(PermissionDenied):
            refusal()
    assert entries_after(mark) == []
    contract_sign(actor=fw.people["admin"], contract=contract)
    contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)
    mark = last_entry_id()
    assert refused(lambda: contract_sign(actor=fw.people["admin"], contract=contract)) == {
        "signature": ["Cette partie a déjà signé ce contrat."]
    }
    assert refused(lambda: contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)) == {
        "signature": ["Cette partie a déjà signé ce contrat."]
    }
    assert entries_after(mark) == []
    assert Contract.objects.get(pk=contract.pk).status == "proposed"


@pytest.mark.parametrize(
    ("move", "status", "who"),
    [
        ("propose", "draft", "territory_admin"),
        ("propose", "draft", "region_admin"),
        ("withdraw", "proposed", "region_admin"),
        ("withdraw", "proposed", "editor"),
        ("activate", "signed", "territory_admin"),
        ("activate", "signed", "region_admin"),
        ("review", "active", "editor"),
        ("review", "active", "region_admin"),
        ("close", "active", "territory_admin"),
        ("close", "reviewed", "region_admin"),
        ("close", "active", "other_funder"),
    ],
)
def test_who_may_not_move_a_contract(fw, move, status, who):
    actor = {
        "territory_admin": fw.people["admin"],
        "editor": fw.people["editor"],
        "region_admin": fw.region_admin,
        "other_funder": fw.people["other_funder"],
    }[who]
    contract = at(fw, status)
    mark = last_entry_id()
    call = {
        "propose": lambda: contract_propose(actor=actor, contract=contract),
        "withdraw": lambda: contract_withdraw(actor=actor, contract=contract),
        "activate": lambda: contract_activate(actor=actor, contract=contract),
        "review": lambda: contract_review(actor=actor, contract=contract, review="Revue."),
        "close": lambda: contract_close(actor=actor, contract=contract, note="Clos."),
    }[move]
    with pytest.raises(PermissionDenied):
        call()
    assert Contract.objects.get(pk=contract.pk).status == status
    assert entries_after(mark) == []


@pytest.mark.parametrize(
    ("move", "status", "who"),
    [
        ("withdraw", "proposed", "territory_admin"),
        ("withdraw", "proposed", "partner_funder"),
        ("activate", "signed", "partner_funder"),
        ("review", "active", "territory_admin"),
        ("review", "active", "partner_funder"),
        ("close", "reviewed", "partner_funder"),
    ],
)
def test_who_may_move_a_contract(fw, move, status, who):
    actor = fw.people[who] if who == "partner_funder" else fw.people["admin"]
    contract = at(fw, status)
    {
        "withdraw": lambda: contract_withdraw(actor=actor, contract=contract),
        "activate": lambda: contract_activate(actor=actor, contract=contract),
        "review": lambda: contract_review(actor=actor, contract=contract, review="Revue."),
        "close": lambda: contract_close(actor=actor, contract=contract, note="Clos."),
    }[move]()
    assert (
        Contract.objects.get(pk=contract.pk).status
        == {
            "withdraw": "draft",
            "activate": "active",
            "review": "reviewed",
            "close": "closed",
        }[move]
    )
    assert AuditEntry.objects.filter(action="contract.status").latest("id").actor_label == str(actor.pk)


def test_a_signed_contract_makes_partners_only_of_co_funders_that_were_not(fw):
    since = TerritoryPartnership.objects.get(funder=fw.world.partner).since
    mark = last_entry_id()
    contract = signed(fw, a_contract(fw))
    assert list(
        TerritoryPartnership.objects.filter(territory=fw.territory)
        .order_by("funder__slug")
        .values_list("funder__slug", "since")
    ) == [
        ("prefecture-68", since),
        ("region-grand-est", contract.parties.get(funder=fw.region).signed_at.date()),
    ]
    assert [
        (action, changes) for action, _type, changes in entries_after(mark) if action == "partnership.create"
    ] == [("partnership.create", {"funder": [None, "region-grand-est"], "contract": [None, contract.pk]})]
    # A second contract with the same co-funders makes no partnership again.
    mark = last_entry_id()
    signed(fw, a_contract(fw, title="Deuxième contrat"))
    assert [action for action, _type, _changes in entries_after(mark) if action == "partnership.create"] == []


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "amount", "errors"),
    [
        ({"title": "  "}, "100000", {"title": ["Un contrat a un titre."]}),
        ({"visibility": "everyone"}, "100000", {"visibility": ["Choisissez une visibilité."]}),
        (
            {"start_year": 2029, "end_year": 2027},
            "100000",
            {"end_year": ["La dernière année vient après la première."]},
        ),
        ({"start_year": 2026, "end_year": 2036}, "100000", {"end_year": ["Un contrat dure de 1 à 10 ans."]}),
        ({"total_amount": "-1"}, "100000", {"total_amount": ["Un montant ne peut pas être négatif."]}),
        (
            {"total_amount": "300000.125"},
            "100000",
            {"total_amount": ["Un montant a au plus deux décimales (les centimes)."]},
        ),
        (
            {"total_amount": "trois cent mille"},
            "100000",
            {"total_amount": ["Saisissez un montant en euros, par exemple 12500,50."]},
        ),
        ({"total_amount": "1e15"}, "100000", {"total_amount": ["Ce montant est trop élevé."]}),
        ({}, "-100", {"amount": ["Un montant ne peut pas être négatif."]}),
        ({}, "100.001", {"amount": ["Un montant a au plus deux décimales (les centimes)."]}),
        ({}, "300000.01", {"amount": ["Une part ne peut pas dépasser le total du contrat."]}),
        (
            {"title": "", "start_year": 2030, "end_year": 2027, "total_amount": "-5"},
            "100000",
            {
                "title": ["Un contrat a un titre."],
                "end_year": ["La dernière année vient après la première."],
                "total_amount": ["Un montant ne peut pas être négatif."],
            },
        ),
    ],
    ids=[
        "no-title",
        "unknown-visibility",
        "end-before-start",
        "eleven-years",
        "negative-total",
        "three-decimals-total",
        "not-a-number",
        "too-large",
        "negative-share",
        "three-decimals-share",
        "share-above-total",
        "several",
    ],
)
def test_a_bad_contract_is_refused_naming_the_field_and_nothing_is_written(fw, values, amount, errors):
    mark = last_entry_id()
    assert (
        refused(
            lambda: contract_create(
                actor=fw.prefecture_admin,
                funder=fw.world.partner,
                territory=fw.territory,
                data=data(**values),
                amount=amount,
            )
        )
        == errors
    )
    assert not Contract.objects.exists()
    assert entries_after(mark) == []


def test_durations_from_one_to_ten_years_and_amounts_to_the_cent_are_accepted(fw):
    def create(start, end, total, amount):
        return contract_create(
            actor=fw.prefecture_admin,
            funder=fw.world.partner,
            territory=fw.territory,
            data=data(start_year=start, end_year=end, total_amount=total),
            amount=amount,
        )

    one = create(2027, 2027, "0", "0")
    ten = create(2026, 2035, "300000.120", Decimal("300000.12"))
    assert (one.duration_years, one.total_amount) == (1, Decimal("0.00"))
    assert (ten.duration_years, ten.total_amount, ten.parties.get().amount) == (
        10,
        Decimal("300000.12"),
        Decimal("300000.12"),
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            2027,
            2028,
            state_duration(2),
        ),
        (
            2026,
            2032,
            state_duration(7),
        ),
    ],
)
def test_a_duration_outside_the_programmes_bounds_is_refused(fw, start, end, message):
    mark = last_entry_id()
    assert refused(
        lambda: contract_create(
            actor=fw.prefecture_admin,
            funder=fw.world.partner,
            territory=fw.territory,
            data=data(start_year=start, end_year=end),
            programme=fw.state_programme,
            amount=Decimal("100000"),
        )
    ) == {"end_year": [message]}
    assert not Contract.objects.exists()
    assert entries_after(mark) == []


def test_a_programme_of_another_funder_or_a_closed_one_is_refused(fw):
    mark = last_entry_id()

    def create(programme):
        return lambda: contract_create(
            actor=fw.prefecture_admin,
            funder=fw.world.partner,
            territory=fw.territory,
            data=data(),
            programme=programme,
            amount=Decimal("100000"),
        )

    assert refused(create(fw.region_programme)) == {
        "programme": ["Choisissez un programme de Préfecture du Haut-Rhin."]
    }
    Programme.objects.filter(pk=fw.state_programme.pk).update(is_open=False)
    fw.state_programme.refresh_from_db()
    assert refused(create(fw.state_programme)) == {
        "programme": ["Le programme « Fonds vert — ingénierie » est fermé."]
    }
    Programme.objects.filter(pk=fw.state_programme.pk).update(is_open=True)
    fw.state_programme.refresh_from_db()
    contract = a_contract(fw, region_share="0")
    Programme.objects.filter(pk=fw.region_programme.pk).update(is_open=False)
    fw.region_programme.refresh_from_db()
    mark = last_entry_id()

    def add(programme):
        return lambda: party_add(
            actor=fw.prefecture_admin,
            contract=contract,
            funder=fw.region,
            amount=Decimal(1000),
            programme=programme,
        )

    assert refused(add(fw.region_programme)) == {
        "programme": ["Le programme « Territoires en transition Grand Est » est fermé."]
    }
    assert refused(add(fw.state_programme)) == {"programme": ["Choisissez un programme de Région Grand Est."]}
    assert contract.parties.count() == 1
    assert entries_after(mark) == []


def test_a_territory_kind_or_place_the_programme_does_not_fund_is_refused(fw):
    haut_rhin = territory_create(
        actor=None,
        name="Haut-Rhin",
        kind="departement",
        areas=[area_from_reference("68")],
        alliance_joined_on=datetime.date(2024, 1, 1),
    )
    mark = last_entry_id()
    assert refused(
        lambda: contract_create(
            actor=fw.prefecture_admin,
            funder=fw.world.partner,
            territory=haut_rhin,
            data=data(),
            programme=fw.state_programme,
            amount=Decimal("100000"),
        )
    ) == {"territory": ["Le programme « Fonds vert — ingénierie » ne finance pas ce type de territoire."]}
    # Grande-Synthe lies in the Hauts-de-France, outside the Région Grand Est's programme.
    assert refused(
        lambda: contract_create(
            actor=fw.region_admin,
            funder=fw.region,
            territory=fw.world.elsewhere,
            data=data(),
            programme=fw.region_programme,
            amount=Decimal("100000"),
        )
    ) == {
        "territory": [
            "Grande-Synthe est hors des zones du programme « Territoires en transition Grand Est »."
        ]
    }
    assert not Contract.objects.exists()
    assert entries_after(mark) == []
    # A contract for Grande-Synthe led by the State: the Région cannot join it with that programme.
    contract = contract_create(
        actor=fw.prefecture_admin,
        funder=fw.world.partner,
        territory=fw.world.elsewhere,
        data=data(),
        programme=fw.state_programme,
        amount=Decimal("200000"),
    )
    mark = last_entry_id()
    assert refused(
        lambda: party_add(
            actor=fw.prefecture_admin,
            contract=contract,
            funder=fw.region,
            amount=Decimal("100000"),
            programme=fw.region_programme,
        )
    ) == {
        "territory": [
            "Grande-Synthe est hors des zones du programme « Territoires en transition Grand Est »."
        ]
    }
    assert contract.parties.count() == 1
    assert entries_after(mark) == []


def test_a_share_above_the_programmes_co_financing_cap_is_refused(fw):
    mark = last_entry_id()
    assert refused(
        lambda: contract_create(
            actor=fw.prefecture_admin,
            funder=fw.world.partner,
            territory=fw.territory,
            data=data(),
            programme=fw.state_programme,
            amount=Decimal("240000.01"),
        )
    ) == {"amount": ["Le programme « Fonds vert — ingénierie » finance au plus 80 % d’un contrat."]}
    assert not Contract.objects.exists()
    contract = a_contract(fw, region_share="0")
    mark = last_entry_id()
    assert refused(
        lambda: party_add(
            actor=fw.prefecture_admin,
            contract=contract,
            funder=fw.region,
            amount=Decimal("150000.01"),
            programme=fw.region_programme,
        )
    ) == {
        "amount": ["Le programme « Territoires en transition Grand Est » finance au plus 50 % d’un contrat."]
    }
    region = party_add(
        actor=fw.prefecture_admin,
        contract=contract,
        funder=fw.region,
        amount=Decimal("150000.00"),
        programme=fw.region_programme,
    )
    assert refused(
        lambda: party_update(
            actor=fw.region_admin, party=region, amount=Decimal("150000.01"), programme=fw.region_programme
        )
    ) == {
        "amount": ["Le programme « Territoires en transition Grand Est » finance au plus 50 % d’un contrat."]
    }
    region.refresh_from_db()
    assert region.amount == Decimal("150000.00")
    assert [action for action, _type, _changes in entries_after(mark)] == ["contract.party_add"]


# Proposing: the whole draft is checked ----------------------------------------------------------


def test_a_ready_draft_has_no_proposal_problem(fw):
    assert proposal_problems(a_contract(fw)) == {}


def test_shares_that_do_not_sum_to_the_total_and_short_tranches_keep_a_draft_from_being_proposed(fw):
    contract = a_contract(fw, region_share="50000.00")
    tranche_delete(
        actor=fw.prefecture_admin, tranche=contract.tranches.get(party__funder=fw.region, year=2029)
    )
    problems = {
        "total_amount": [
            "Les parts des cofinanceurs totalisent 250\u00a0000,00\u00a0€, "
            "le total est de 300\u00a0000,00\u00a0€."
        ],
        "tranches": [
            "Les tranches de Région Grand Est totalisent 33\u00a0333,34\u00a0€, "
            "sa part est de 50\u00a0000,00\u00a0€."
        ],
    }
    assert proposal_problems(contract) == problems
    mark = last_entry_id()
    assert refused(lambda: contract_propose(actor=fw.prefecture_admin, contract=contract)) == problems
    assert Contract.objects.get(pk=contract.pk).status == "draft"
    assert entries_after(mark) == []


def test_a_co_funder_without_tranches_and_rules_broken_since_are_problems_too(fw):
    contract = a_contract(fw)
    party_add(
        actor=fw.prefecture_admin, contract=contract, funder=fw.world.other_funder, amount=Decimal("10000")
    )
    # Seven years now: too long for both programmes; the total grows with the Fondation's share.
    contract_update(
        actor=fw.prefecture_admin,
        contract=contract,
        data=data(start_year=2027, end_year=2033, total_amount="310000"),
    )
    assert proposal_problems(contract) == {
        "tranches": [
            "Les tranches de Fondation Lointaine totalisent 0,00\u00a0€, "
            "sa part est de 10\u00a0000,00\u00a0€."
        ],
        "end_year": [
            state_duration(7),
            "Le programme « Territoires en transition Grand Est » finance des contrats de 3 à 6 ans ; "
            "celui-ci en dure 7.",
        ],
    }
    with translation.override("en"):
        assert proposal_problems(contract)["tranches"] == [
            "The tranches of Fondation Lointaine sum to 0.00\u00a0€, its share is 10,000.00\u00a0€."
        ]


def test_the_lead_share_cannot_grow_past_the_cap_by_shrinking_the_total(fw):
    contract = a_contract(fw)
    contract_update(actor=fw.prefecture_admin, contract=contract, data=data(total_amount="240000"))
    assert proposal_problems(contract) == {
        "total_amount": [
            "Les parts des cofinanceurs totalisent 300\u00a0000,00\u00a0€, "
            "le total est de 240\u00a0000,00\u00a0€."
        ],
        # 200 000 € of 240 000 € is more than the State's 80 %; the Région's 100 000 € stays under 50 %.
        "amount": ["Le programme « Fonds vert — ingénierie » finance au plus 80 % d’un contrat."],
    }


# The mandate -----------------------------------------------------------------------------------


def test_the_mandate_splits_in_two_contracts_where_the_user_chooses(fw):
    assert mandate_periods(2029) == [(2026, 2028), (2029, 2032)]
    assert mandate_periods(2027) == [(2026, 2026), (2027, 2032)]
    assert mandate_periods(2032) == [(2026, 2031), (2032, 2032)]
    for year in (2025, 2026, 2033):
        assert refused(lambda year=year: mandate_periods(year)) == {
            "split_year": ["Coupez le mandat en une année comprise entre 2027 et 2032."]
        }
    # Each half is a contract that a programme of 3 to 6 years accepts.
    first, second = mandate_periods(2029)
    for start, end in (first, second):
        contract_create(
            actor=fw.region_admin,
            funder=fw.region,
            territory=fw.territory,
            data=data(start_year=start, end_year=end, title=f"Mandat {start}-{end}"),
            programme=fw.region_programme,
            amount=Decimal("100000"),
        )
    assert list(Contract.objects.order_by("start_year").values_list("start_year", "end_year")) == [
        (2026, 2028),
        (2029, 2032),
    ]
