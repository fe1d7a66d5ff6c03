"""Tranches, typed budget lines and conditions precedent, through `funding/budget.py`: planned on a
draft within the contract's years, committed by their funder once signed, paid while the contract
runs and never while locked; a condition locks until the territory meets it (a finished diagnostic
sensible shared with the funder, a partnership) and unlocks as soon as it does; lines of a category
the programme excludes are refused, those it keeps for after the diagnostic are locked on their own."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.evaluation.test_diagnostics import SECTIONS, a_diagnostic, complete
from tests.funding.builders import a_contract, a_line, active, build_funding_world, signed
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import diagnostic_move, diagnostic_share, diagnostic_unshare
from trajectoires.funding.budget import (
    LineInput,
    condition_add,
    condition_remove,
    condition_states,
    line_delete,
    line_save,
    line_spend,
    tranche_commit,
    tranche_delete,
    tranche_pay,
    tranche_save,
)
from trajectoires.funding.contracts import (
    contract_activate,
    contract_close,
    contract_propose,
    contract_review,
    contract_sign,
)
from trajectoires.funding.models import BudgetLine, Condition, Contract, Tranche
from trajectoires.referential.selectors import referential_item
from trajectoires.territories.models import TerritoryPartnership

pytestmark = pytest.mark.django_db

COMMITTED = datetime.date(2027, 1, 15)
PAID = datetime.date(2027, 3, 1)
LOCKED_BY_DIAGNOSTIC = "Terminez le diagnostic sensible et partagez-le avec Préfecture du Haut-Rhin."


@pytest.fixture
def fw():
    return build_funding_world()


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def last_entry_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def entries_after(mark: int) -> list[tuple[str, dict]]:
    return list(AuditEntry.objects.filter(id__gt=mark).order_by("id").values_list("action", "changes"))


def tranche(contract, funder, year) -> Tranche:
    return Tranche.objects.select_related("party__funder", "contract").get(
        contract=contract, party__funder=funder, year=year
    )


def line_input(fw, contract, *, funder=None, category="human_engineering", **values) -> LineInput:
    return LineInput(
        **{
            "party": contract.parties.get(funder=funder or fw.world.partner),
            "category": referential_item("budget_line_category", category),
            "label": "Chargée de mission transition",
            "year": 2027,
            "planned": Decimal("60000.00"),
        }
        | values
    )


# Tranches: planning ----------------------------------------------------------------------------


def test_a_tranche_is_planned_for_one_year_of_the_contract_and_audited(fw):
    contract = a_contract(fw, region_share="0")
    party = contract.parties.get()
    Tranche.objects.filter(contract=contract).delete()
    mark = last_entry_id()
    planned = tranche_save(actor=fw.people["partner_funder"], party=party, year=2028, amount="70000.5")
    assert (planned.contract, planned.party, planned.year, planned.amount, planned.condition) == (
        contract,
        party,
        2028,
        Decimal("70000.50"),
        None,
    )
    tranche_save(actor=fw.people["admin"], party=party, year=2029, amount=Decimal("80000"), tranche=planned)
    planned.refresh_from_db()
    assert (planned.year, planned.amount) == (2029, Decimal("80000.00"))
    tranche_delete(actor=fw.prefecture_admin, tranche=planned)
    assert not Tranche.objects.filter(contract=contract).exists()
    assert entries_after(mark) == [
        (
            "contract.tranche_create",
            {"amount": [None, "70000.50"], "funder": [None, "prefecture-68"], "year": [None, 2028]},
        ),
        ("contract.tranche_update", {"amount": ["70000.50", "80000.00"], "year": [2028, 2029]}),
        (
            "contract.tranche_delete",
            {"amount": ["80000.00", None], "funder": ["prefecture-68", None], "year": [2029, None]},
        ),
    ]


@pytest.mark.parametrize("year", [2026, 2030, 1999])
def test_a_tranche_outside_the_contracts_years_is_refused(fw, year):
    contract = a_contract(fw)
    party = contract.parties.get(funder=fw.region)
    mark = last_entry_id()
    assert refused(
        lambda: tranche_save(actor=fw.prefecture_admin, party=party, year=year, amount="1000")
    ) == {"year": ["Choisissez une année du contrat, de 2027 à 2029."]}
    assert list(party.tranches.order_by("year").values_list("year", flat=True)) == [2027, 2028, 2029]
    assert entries_after(mark) == []


def test_a_funder_has_one_tranche_a_year(fw):
    contract = a_contract(fw)
    prefecture = contract.parties.get(funder=fw.world.partner)
    first = tranche(contract, fw.world.partner, 2027)
    mark = last_entry_id()
    assert refused(
        lambda: tranche_save(actor=fw.prefecture_admin, party=prefecture, year=2027, amount="1")
    ) == {"year": ["Préfecture du Haut-Rhin a déjà une tranche en 2027."]}
    # Nor may an existing tranche move onto another year's.
    assert refused(
        lambda: tranche_save(
            actor=fw.prefecture_admin, party=prefecture, year=2028, amount="1", tranche=first
        )
    ) == {"year": ["Préfecture du Haut-Rhin a déjà une tranche en 2028."]}
    assert entries_after(mark) == []
    # The same year for another co-funder is its own tranche; the same tranche keeps its year.
    assert tranche(contract, fw.region, 2027).amount == Decimal("33333.33")
    tranche_save(actor=fw.prefecture_admin, party=prefecture, year=2027, amount="66666.67", tranche=first)
    assert [action for action, _changes in entries_after(mark)] == ["contract.tranche_update"]
    assert entries_after(mark)[0][1] == {}  # nothing changed, nothing to tell


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "Un montant ne peut pas être négatif."),
        ("1000.005", "Un montant a au plus deux décimales (les centimes)."),
        ("mille", "Saisissez un montant en euros, par exemple 12500,50."),
    ],
)
def test_a_bad_tranche_amount_is_refused(fw, amount, message):
    contract = a_contract(fw, region_share="0")
    Tranche.objects.filter(contract=contract, year=2029).delete()
    mark = last_entry_id()
    assert refused(
        lambda: tranche_save(
            actor=fw.prefecture_admin, party=contract.parties.get(), year=2029, amount=amount
        )
    ) == {"amount": [message]}
    assert not Tranche.objects.filter(contract=contract, year=2029).exists()
    assert entries_after(mark) == []


def test_tranches_are_planned_by_their_funder_or_whoever_prepares_the_draft_and_only_on_a_draft(fw):
    contract = a_contract(fw)
    region = contract.parties.get(funder=fw.region)
    prefecture = contract.parties.get(funder=fw.world.partner)
    region_2027 = tranche(contract, fw.region, 2027)
    # The Région's officer re-plans the Région's tranche, not the Préfecture's.
    tranche_save(actor=fw.region_officer, party=region, year=2027, amount="33333.33", tranche=region_2027)
    for actor in (fw.region_officer, fw.people["editor"], fw.people["other_funder"], None):
        with pytest.raises(PermissionDenied):
            tranche_save(
                actor=actor,
                party=prefecture,
                year=2027,
                amount="1",
                tranche=tranche(contract, fw.world.partner, 2027),
            )
        with pytest.raises(PermissionDenied):
            tranche_delete(actor=actor, tranche=tranche(contract, fw.world.partner, 2027))
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    region_2027 = tranche(contract, fw.region, 2027)  # read again, as a new request would
    region = region_2027.party
    mark = last_entry_id()
    assert refused(
        lambda: tranche_save(
            actor=fw.region_officer, party=region, year=2027, amount="1", tranche=region_2027
        )
    ) == {"status": ["C’est impossible sur un contrat à l’état « Proposé à la signature »."]}
    assert refused(lambda: tranche_delete(actor=fw.prefecture_admin, tranche=region_2027)) == {
        "status": ["C’est impossible sur un contrat à l’état « Proposé à la signature »."]
    }
    assert tranche(contract, fw.region, 2027).amount == Decimal("33333.33")
    assert entries_after(mark) == []


# Tranches: commitment and payment --------------------------------------------------------------


def test_a_tranche_is_committed_by_its_funders_members_once_the_contract_is_signed(fw):
    contract = a_contract(fw)
    region_2027 = tranche(contract, fw.region, 2027)
    mark = last_entry_id()
    assert refused(lambda: tranche_commit(actor=fw.region_officer, tranche=region_2027)) == {
        "status": ["C’est impossible sur un contrat à l’état « Brouillon »."]
    }
    assert entries_after(mark) == []
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    region_2027 = tranche(contract, fw.region, 2027)
    mark = last_entry_id()
    assert refused(lambda: tranche_commit(actor=fw.region_officer, tranche=region_2027)) == {
        "status": ["C’est impossible sur un contrat à l’état « Proposé à la signature »."]
    }
    assert entries_after(mark) == []
    contract_sign(actor=fw.people["admin"], contract=contract)
    contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner)
    contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)
    assert Contract.objects.get(pk=contract.pk).status == "signed"
    region_2027 = tranche(contract, fw.region, 2027)
    mark = last_entry_id()
    for outsider in (
        fw.people["partner_funder"],
        fw.prefecture_admin,
        fw.people["admin"],
        fw.people["staff"],
    ):
        with pytest.raises(PermissionDenied):
            tranche_commit(actor=outsider, tranche=region_2027)
    assert entries_after(mark) == []
    tranche_commit(actor=fw.region_officer, tranche=region_2027, on=COMMITTED)
    region_2027.refresh_from_db()
    assert (region_2027.committed_on, region_2027.paid_on) == (COMMITTED, None)
    assert refused(lambda: tranche_commit(actor=fw.region_admin, tranche=region_2027)) == {
        "committed_on": ["Cette tranche est déjà engagée."]
    }
    assert entries_after(mark) == [("contract.tranche_commit", {"committed_on": [None, "2027-01-15"]})]
    # Committed today when no date is given; a closed contract commits nothing more.
    today_tranche = tranche(contract, fw.world.partner, 2028)
    tranche_commit(actor=fw.people["partner_funder"], tranche=today_tranche)
    today_tranche.refresh_from_db()
    assert today_tranche.committed_on == timezone.localdate()
    contract = active(fw, a_contract(fw, title="Autre contrat"))
    contract_close(actor=fw.prefecture_admin, contract=contract, note="Fin.")
    assert refused(
        lambda: tranche_commit(actor=fw.region_officer, tranche=tranche(contract, fw.region, 2029))
    ) == {"status": ["C’est impossible sur un contrat à l’état « Clos »."]}


def test_a_tranche_is_paid_once_committed_while_the_contract_runs(fw):
    contract = signed(fw, a_contract(fw))
    region_2027 = tranche(contract, fw.region, 2027)
    tranche_commit(actor=fw.region_officer, tranche=region_2027, on=COMMITTED)
    region_2027 = tranche(contract, fw.region, 2027)
    mark = last_entry_id()
    assert refused(lambda: tranche_pay(actor=fw.region_officer, tranche=region_2027, on=PAID)) == {
        "status": ["C’est impossible sur un contrat à l’état « Signé par toutes les parties »."]
    }
    contract_activate(actor=fw.prefecture_admin, contract=contract)
    region_2028 = tranche(contract, fw.region, 2028)
    assert refused(lambda: tranche_pay(actor=fw.region_officer, tranche=region_2028, on=PAID)) == {
        "paid_on": ["Engagez la tranche avant de la verser."]
    }
    region_2027 = tranche(contract, fw.region, 2027)
    assert refused(
        lambda: tranche_pay(actor=fw.region_officer, tranche=region_2027, on=datetime.date(2027, 1, 14))
    ) == {"paid_on": ["Une tranche est versée après avoir été engagée."]}
    for outsider in (fw.people["partner_funder"], fw.people["admin"], fw.people["other_funder"]):
        with pytest.raises(PermissionDenied):
            tranche_pay(actor=outsider, tranche=region_2027, on=PAID)
    assert [action for action, _changes in entries_after(mark)] == ["contract.status"]  # the activation
    mark = last_entry_id()
    tranche_pay(actor=fw.region_admin, tranche=region_2027, on=PAID)
    region_2027.refresh_from_db()
    assert (region_2027.committed_on, region_2027.paid_on) == (COMMITTED, PAID)
    assert refused(lambda: tranche_pay(actor=fw.region_admin, tranche=region_2027, on=PAID)) == {
        "paid_on": ["Cette tranche est déjà versée."]
    }
    assert entries_after(mark) == [("contract.tranche_pay", {"paid_on": [None, "2027-03-01"]})]
    # Paid during the mid-term review too.
    contract_review(actor=fw.prefecture_admin, contract=contract, review="À mi-chemin.")
    region_2028 = tranche(contract, fw.region, 2028)
    tranche_commit(actor=fw.region_officer, tranche=region_2028, on=COMMITTED)
    tranche_pay(actor=fw.region_officer, tranche=tranche(contract, fw.region, 2028), on=COMMITTED)
    assert tranche(contract, fw.region, 2028).paid_on == COMMITTED


# Conditions: locking and unlocking --------------------------------------------------------------


def test_a_tranche_waiting_for_the_diagnostic_is_locked_until_the_territory_shares_it(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner
    )
    assert (
        condition_add(actor=fw.people["admin"], contract=contract, kind="diagnostic", funder=fw.world.partner)
        == condition
    )  # the same condition, not a second one
    prefecture_2028 = tranche(contract, fw.world.partner, 2028)
    tranche_save(
        actor=fw.prefecture_admin,
        party=prefecture_2028.party,
        year=2028,
        amount=prefecture_2028.amount,
        condition=condition,
        tranche=prefecture_2028,
    )
    assert entries_after(mark) == [
        ("contract.condition_add", {"kind": [None, "diagnostic"], "funder": [None, "prefecture-68"]}),
        ("contract.tranche_update", {"condition": [None, condition.pk]}),
    ]
    active(fw, contract)
    tranche_commit(
        actor=fw.people["partner_funder"], tranche=tranche(contract, fw.world.partner, 2028), on=COMMITTED
    )
    locked = {"paid_on": [f"Cette tranche est verrouillée : {LOCKED_BY_DIAGNOSTIC}"]}

    def pay():
        return tranche_pay(
            actor=fw.people["partner_funder"], tranche=tranche(contract, fw.world.partner, 2028), on=PAID
        )

    def state():
        current = condition_states(Contract.objects.get(pk=contract.pk))[condition.pk]
        return current.met, current.unlock

    assert state() == (False, LOCKED_BY_DIAGNOSTIC)
    mark = last_entry_id()
    assert refused(pay) == locked
    # A diagnostic being written does not unlock, nor a finished one kept to the territory,
    # nor one shared with another co-funder.
    diagnostic = a_diagnostic(fw.world, **SECTIONS)
    assert refused(pay) == locked
    complete(fw.world, diagnostic)
    assert refused(pay) == locked
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.region)
    assert refused(pay) == locked
    assert tranche(contract, fw.world.partner, 2028).paid_on is None
    assert [action for action, _changes in entries_after(mark) if action.startswith("contract.")] == []
    # Shared with the Préfecture: the tranche unlocks.
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.world.partner)
    assert state() == (True, LOCKED_BY_DIAGNOSTIC)
    pay()
    assert tranche(contract, fw.world.partner, 2028).paid_on == PAID
    assert entries_after(mark)[-1] == ("contract.tranche_pay", {"paid_on": [None, "2027-03-01"]})
    # Unshared, the condition is unmet again: the next tranche it locks waits.
    diagnostic_unshare(actor=fw.people["admin"], share=diagnostic.shares.get(funder=fw.world.partner))
    assert state() == (False, LOCKED_BY_DIAGNOSTIC)
    # A tranche without a condition was never locked.
    prefecture_2027 = tranche(contract, fw.world.partner, 2027)
    tranche_commit(actor=fw.people["partner_funder"], tranche=prefecture_2027, on=COMMITTED)
    tranche_pay(actor=fw.people["partner_funder"], tranche=tranche(contract, fw.world.partner, 2027), on=PAID)


def test_a_validated_diagnostic_also_meets_the_condition(fw):
    contract = a_contract(fw)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner
    )
    diagnostic = complete(fw.world, a_diagnostic(fw.world, **SECTIONS))
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.world.partner)
    diagnostic_move(actor=fw.people["admin"], diagnostic=diagnostic, to="validated")
    assert condition_states(contract)[condition.pk].met is True
    # Reopened for writing, it no longer does.
    diagnostic_move(actor=fw.people["admin"], diagnostic=diagnostic, to="in_progress")
    assert condition_states(contract)[condition.pk].met is False


def test_a_partnership_condition_is_met_by_a_partnership_with_the_territory(fw):
    contract = a_contract(fw)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.region
    )
    region_2027 = tranche(contract, fw.region, 2027)
    tranche_save(
        actor=fw.region_officer,
        party=region_2027.party,
        year=2027,
        amount=region_2027.amount,
        condition=condition,
        tranche=region_2027,
    )
    state = condition_states(contract)[condition.pk]
    assert (state.met, state.unlock) == (False, "Signez un partenariat avec Région Grand Est.")
    # The Préfecture is a partner already: the same condition for it is met from the start.
    prefecture = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.world.partner
    )
    assert condition_states(contract)[prefecture.pk].met is True
    # Signing the contract makes the Région a partner, which meets the condition.
    active(fw, contract)
    assert TerritoryPartnership.objects.filter(territory=fw.territory, funder=fw.region).exists()
    assert condition_states(contract)[condition.pk].met is True
    tranche_commit(actor=fw.region_officer, tranche=tranche(contract, fw.region, 2027), on=COMMITTED)
    tranche_pay(actor=fw.region_officer, tranche=tranche(contract, fw.region, 2027), on=PAID)
    assert tranche(contract, fw.region, 2027).paid_on == PAID


def test_a_partnership_signed_outside_any_contract_meets_it_too(fw):
    contract = a_contract(fw)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.region
    )
    assert condition_states(contract)[condition.pk].met is False
    TerritoryPartnership.objects.create(
        territory=fw.territory, funder=fw.region, since=datetime.date(2026, 5, 1)
    )
    assert condition_states(contract)[condition.pk].met is True
    # A partnership with another territory does not count.
    TerritoryPartnership.objects.filter(funder=fw.region).delete()
    TerritoryPartnership.objects.create(
        territory=fw.world.elsewhere, funder=fw.region, since=datetime.date(2026, 5, 1)
    )
    assert condition_states(contract)[condition.pk].met is False


def test_conditions_are_kept_on_a_draft_only_and_of_a_known_kind(fw):
    contract = a_contract(fw)
    other = a_contract(fw, title="Autre contrat")
    foreign = condition_add(
        actor=fw.prefecture_admin, contract=other, kind="diagnostic", funder=fw.world.partner
    )
    mark = last_entry_id()
    assert refused(
        lambda: condition_add(actor=fw.prefecture_admin, contract=contract, kind="wish", funder=fw.region)
    ) == {"kind": ["Choisissez un type de condition."]}
    region_2027 = tranche(contract, fw.region, 2027)
    assert refused(
        lambda: tranche_save(
            actor=fw.prefecture_admin,
            party=region_2027.party,
            year=2027,
            amount="1",
            condition=foreign,
            tranche=region_2027,
        )
    ) == {"condition": ["Choisissez une condition de ce contrat."]}
    for outsider in (fw.region_admin, fw.people["editor"]):
        with pytest.raises(PermissionDenied):
            condition_add(actor=outsider, contract=contract, kind="diagnostic", funder=fw.region)
    assert not Condition.objects.filter(contract=contract).exists()
    assert entries_after(mark) == []
    active(fw, contract)
    assert refused(
        lambda: condition_add(
            actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.region
        )
    ) == {"status": ["C’est impossible sur un contrat à l’état « Actif »."]}


def test_removing_a_condition_frees_its_tranches_unless_a_line_needs_it(fw):
    contract = a_contract(fw)
    condition = condition_add(
        actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner
    )
    prefecture_2027 = tranche(contract, fw.world.partner, 2027)
    tranche_save(
        actor=fw.prefecture_admin,
        party=prefecture_2027.party,
        year=2027,
        amount=prefecture_2027.amount,
        condition=condition,
        tranche=prefecture_2027,
    )
    line = a_line(fw, contract, category="material_investment", planned="20000")
    assert line.condition == condition
    mark = last_entry_id()
    assert refused(lambda: condition_remove(actor=fw.prefecture_admin, condition=condition)) == {
        "condition": [
            "Une ligne budgétaire d’une catégorie que le programme réserve à l’après-diagnostic "
            "a besoin de cette condition."
        ]
    }
    assert entries_after(mark) == []
    line_delete(actor=fw.prefecture_admin, line=line)
    mark = last_entry_id()
    condition_remove(actor=fw.prefecture_admin, condition=condition)
    assert not Condition.objects.filter(contract=contract).exists()
    assert tranche(contract, fw.world.partner, 2027).condition is None
    assert entries_after(mark) == [("contract.condition_remove", {"kind": ["diagnostic", None]})]


def test_reading_the_conditions_takes_the_same_queries_whatever_their_number(fw, django_assert_num_queries):
    contract = a_contract(fw)
    condition_add(actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.world.partner)

    def read(expected: int):
        fresh = Contract.objects.get(pk=contract.pk)
        with django_assert_num_queries(3):  # the conditions, the shares, the partnerships
            states = condition_states(fresh)
        assert len(states) == expected
        # From a contract whose conditions and their funders are prefetched: two queries, unlock texts
        # included.
        prefetched = Contract.objects.prefetch_related("conditions__funder").get(pk=contract.pk)
        with django_assert_num_queries(2):
            texts = sorted((state.met, state.unlock) for state in condition_states(prefetched).values())
        return texts

    assert read(1) == [(False, LOCKED_BY_DIAGNOSTIC)]
    condition_add(actor=fw.prefecture_admin, contract=contract, kind="diagnostic", funder=fw.region)
    condition_add(actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.region)
    condition_add(actor=fw.prefecture_admin, contract=contract, kind="partnership", funder=fw.world.partner)
    assert read(4) == [
        (False, "Signez un partenariat avec Région Grand Est."),
        (False, LOCKED_BY_DIAGNOSTIC),
        (False, "Terminez le diagnostic sensible et partagez-le avec Région Grand Est."),
        (True, "Signez un partenariat avec Préfecture du Haut-Rhin."),
    ]


# Budget lines -----------------------------------------------------------------------------------


def test_a_line_of_a_category_the_programme_excludes_is_refused(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    assert refused(lambda: a_line(fw, contract, category="material_investment", funder=fw.region)) == {
        "category": [
            "Le programme « Territoires en transition Grand Est » ne finance pas « Investissement matériel »."
        ]
    }
    assert not BudgetLine.objects.exists()
    assert entries_after(mark) == []


def test_a_category_kept_for_after_the_diagnostic_gets_that_condition_on_its_own(fw):
    contract = a_contract(fw)
    mark = last_entry_id()
    engineering = a_line(fw, contract)
    investment = a_line(fw, contract, category="material_investment", label="Serre partagée", planned="20000")
    condition = Condition.objects.get(contract=contract)
    assert (condition.kind, condition.funder) == ("diagnostic", fw.world.partner)
    assert (engineering.condition, investment.condition) == (None, condition)
    assert entries_after(mark) == [
        (
            "contract.line_create",
            {
                "category": [None, "human_engineering"],
                "funder": [None, "prefecture-68"],
                "label": [None, "Chargée de mission transition"],
                "planned": [None, "60000.00"],
                "spent": [None, "0.00"],
                "year": [None, 2027],
            },
        ),
        (
            "contract.line_create",
            {
                "category": [None, "material_investment"],
                "condition": [None, condition.pk],
                "funder": [None, "prefecture-68"],
                "label": [None, "Serre partagée"],
                "planned": [None, "20000.00"],
                "spent": [None, "0.00"],
                "year": [None, 2027],
            },
        ),
    ]
    # Re-typed as human engineering, the line needs no diagnostic any more.
    mark = last_entry_id()
    line_save(
        actor=fw.people["admin"],
        contract=contract,
        data=line_input(fw, contract, label="Serre partagée", planned=Decimal("20000")),
        line=investment,
    )
    investment.refresh_from_db()
    assert investment.condition is None
    assert entries_after(mark) == [
        (
            "contract.line_update",
            {"category": ["material_investment", "human_engineering"], "condition": [condition.pk, None]},
        )
    ]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"year": 2030}, {"year": ["Choisissez une année du contrat, de 2027 à 2029."]}),
        ({"year": 2026}, {"year": ["Choisissez une année du contrat, de 2027 à 2029."]}),
        ({"label": "  "}, {"label": ["Une ligne budgétaire a un libellé."]}),
        ({"planned": Decimal("-10")}, {"planned": ["Un montant ne peut pas être négatif."]}),
        ({"planned": "10.999"}, {"planned": ["Un montant a au plus deux décimales (les centimes)."]}),
    ],
    ids=["after", "before", "no-label", "negative", "three-decimals"],
)
def test_a_bad_line_is_refused_naming_the_field(fw, values, errors):
    contract = a_contract(fw)
    mark = last_entry_id()
    assert (
        refused(
            lambda: line_save(
                actor=fw.prefecture_admin, contract=contract, data=line_input(fw, contract, **values)
            )
        )
        == errors
    )
    assert not BudgetLine.objects.exists()
    assert entries_after(mark) == []


def test_a_line_is_paid_by_a_co_funder_of_this_contract_from_a_category_of_the_grid(fw):
    contract = a_contract(fw)
    other = a_contract(fw, title="Autre contrat")
    mark = last_entry_id()
    assert refused(
        lambda: line_save(
            actor=fw.prefecture_admin,
            contract=contract,
            data=LineInput(
                party=other.parties.get(funder=fw.world.partner),
                category=referential_item("budget_line_category", "human_engineering"),
                label="Poste",
                year=2027,
                planned=Decimal(1),
            ),
        )
    ) == {"party": ["Choisissez un cofinanceur de ce contrat."]}
    assert refused(
        lambda: line_save(
            actor=fw.prefecture_admin,
            contract=contract,
            data=LineInput(
                party=contract.parties.get(funder=fw.world.partner),
                category=referential_item("key_action", "K1"),
                label="Poste",
                year=2027,
                planned=Decimal(1),
            ),
        )
    ) == {"category": ["Choisissez une catégorie de ligne budgétaire du référentiel."]}
    for outsider in (fw.region_admin, fw.people["editor"], fw.people["other_funder"]):
        with pytest.raises(PermissionDenied):
            line_save(actor=outsider, contract=contract, data=line_input(fw, contract))
    assert not BudgetLine.objects.exists()
    assert entries_after(mark) == []
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    assert refused(
        lambda: line_save(actor=fw.prefecture_admin, contract=contract, data=line_input(fw, contract))
    ) == {"status": ["C’est impossible sur un contrat à l’état « Proposé à la signature »."]}


def test_what_a_line_spent_is_recorded_while_the_contract_runs(fw):
    contract = a_contract(fw)
    line = a_line(fw, contract, funder=fw.region, category="training_action", label="Formation des élus")
    assert refused(lambda: line_spend(actor=fw.people["editor"], line=line, spent="100")) == {
        "status": ["C’est impossible sur un contrat à l’état « Brouillon »."]
    }
    signed(fw, contract)
    line.refresh_from_db()
    assert refused(lambda: line_spend(actor=fw.people["editor"], line=line, spent="100")) == {
        "status": ["C’est impossible sur un contrat à l’état « Signé par toutes les parties »."]
    }
    contract_activate(actor=fw.prefecture_admin, contract=contract)
    line = BudgetLine.objects.select_related("contract", "party__funder").get(pk=line.pk)
    mark = last_entry_id()
    for outsider in (
        fw.people["viewer"],
        fw.people["contributor"],
        fw.region_admin,
        fw.people["other_funder"],
    ):
        with pytest.raises(PermissionDenied):
            line_spend(actor=outsider, line=line, spent="100")
    assert refused(lambda: line_spend(actor=fw.people["editor"], line=line, spent="-100")) == {
        "spent": ["Un montant ne peut pas être négatif."]
    }
    assert entries_after(mark) == []
    line_spend(actor=fw.people["editor"], line=line, spent="12000,50")
    line_spend(actor=fw.people["partner_funder"], line=line, spent=Decimal("15000"))
    line.refresh_from_db()
    assert line.spent == Decimal("15000.00")
    assert entries_after(mark) == [
        ("contract.line_spend", {"spent": ["0.00", "12000.50"]}),
        ("contract.line_spend", {"spent": ["12000.50", "15000.00"]}),
    ]
    contract_review(actor=fw.prefecture_admin, contract=contract, review="À mi-chemin.")
    line_spend(actor=fw.people["admin"], line=line, spent="20000")
    assert BudgetLine.objects.get(pk=line.pk).spent == Decimal("20000.00")


def test_nothing_is_spent_on_a_locked_line_until_the_diagnostic_is_shared(fw):
    contract = a_contract(fw)
    line = a_line(fw, contract, category="material_investment", label="Serre partagée", planned="20000")
    active(fw, contract)
    line = BudgetLine.objects.select_related("contract").get(pk=line.pk)
    mark = last_entry_id()
    assert refused(lambda: line_spend(actor=fw.people["editor"], line=line, spent="5000")) == {
        "spent": [f"Cette ligne est verrouillée : {LOCKED_BY_DIAGNOSTIC}"]
    }
    assert BudgetLine.objects.get(pk=line.pk).spent == Decimal("0.00")
    assert entries_after(mark) == []
    diagnostic = complete(fw.world, a_diagnostic(fw.world, **SECTIONS))
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.world.partner)
    line_spend(actor=fw.people["editor"], line=line, spent="5000")
    assert BudgetLine.objects.get(pk=line.pk).spent == Decimal("5000.00")


def test_lines_are_deleted_on_a_draft_only(fw):
    contract = a_contract(fw)
    line = a_line(fw, contract)
    kept = a_line(fw, contract, label="Animation", year=2028)
    mark = last_entry_id()
    with pytest.raises(PermissionDenied):
        line_delete(actor=fw.people["editor"], line=line)
    line_delete(actor=fw.people["admin"], line=line)
    assert list(BudgetLine.objects.values_list("label", flat=True)) == ["Animation"]
    assert entries_after(mark) == [
        (
            "contract.line_delete",
            {
                "category": ["human_engineering", None],
                "funder": ["prefecture-68", None],
                "label": ["Chargée de mission transition", None],
                "planned": ["60000.00", None],
                "spent": ["0.00", None],
                "year": [2027, None],
            },
        )
    ]
    active(fw, contract)
    kept = BudgetLine.objects.select_related("contract").get(pk=kept.pk)
    assert refused(lambda: line_delete(actor=fw.prefecture_admin, line=kept)) == {
        "status": ["C’est impossible sur un contrat à l’état « Actif »."]
    }
    assert BudgetLine.objects.filter(pk=kept.pk).exists()
