"""Portfolio sums on known data: a funder's contracts, amounts by year, capacities vs projects (S1),
durations, conditions met, reports late, co-funded share; the alliance-wide view by funder type;
a fixed number of queries whatever the number of contracts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.evaluation.test_diagnostics import SECTIONS, a_diagnostic, complete
from tests.funding.builders import a_contract, a_line, active, build_funding_world
from trajectoires.evaluation.diagnostics import diagnostic_share
from trajectoires.funding.budget import tranche_commit, tranche_pay
from trajectoires.funding.portfolio import YearRow, alliance_portfolio, funder_portfolio

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def known(fw):
    """A: 2027–2029, Préfecture 200 000 € + Région 100 000 €, a human-engineering line of 60 000 € and
    a material line of 20 000 € (locked behind the diagnostic), the first State tranche paid.
    B: 2024–2026, Préfecture alone (outside its programme), 200 000 €. C: a draft, not counted."""
    first = a_contract(fw)
    a_line(fw, first, planned="60000.00")
    a_line(fw, first, category="material_investment", label="Vélos cargos", planned="20000.00")
    first = active(fw, first)
    tranche = first.tranches.get(party__funder=fw.world.partner, year=2027)
    tranche_commit(actor=fw.prefecture_admin, tranche=tranche, on=datetime.date(2026, 12, 1))
    tranche_pay(actor=fw.prefecture_admin, tranche=tranche, on=datetime.date(2026, 12, 3))
    alone = a_contract(
        fw,
        title="Contrat 2024-2026",
        first_year=2024,
        total="200000.00",
        region_share="0",
        with_programme=False,
    )
    active(fw, alone)
    a_contract(fw, title="Brouillon")
    return first, alone


def test_a_funders_portfolio_sums_its_known_contracts(fw, known):
    portfolio = funder_portfolio(fw.world.partner)
    assert [party.contract.title for party in portfolio.contracts] == [
        "Brouillon", "Contrat de transition 2027-2029", "Contrat 2024-2026"]  # fmt: skip
    assert (portfolio.contract_count, portfolio.amount) == (2, D("400000.00"))
    assert (portfolio.co_funded_count, portfolio.co_funded_amount, portfolio.co_funded_share) == (
        1, D("200000.00"), D("50.0"))  # fmt: skip
    assert portfolio.years == [
        YearRow(2024, D("66666.67"), D("0"), D("0")),
        YearRow(2025, D("66666.67"), D("0"), D("0")),
        YearRow(2026, D("66666.66"), D("0"), D("0")),
        YearRow(2027, D("66666.67"), D("66666.67"), D("66666.67")),
        YearRow(2028, D("66666.67"), D("0"), D("0")),
        YearRow(2029, D("66666.66"), D("0"), D("0")),
    ]
    assert (portfolio.capacity_amount, portfolio.project_amount, portfolio.capacity_share) == (
        D("60000.00"), D("20000.00"), D("75.0"))  # fmt: skip
    assert portfolio.durations == [(3, 2)]
    assert (portfolio.conditions_met, portfolio.conditions_total) == (0, 1)
    # Read from 7 December 2026 on: the reports on 2024 and 2025 are past 31 March of the next year.
    assert portfolio.reports_late == 2


def test_the_alliance_view_aggregates_every_signed_contract_by_funder_type(fw, known):
    portfolio = alliance_portfolio()
    assert portfolio.contracts == []  # no contract, territory or funder named
    assert (portfolio.contract_count, portfolio.amount, portfolio.co_funded_share) == (
        2,
        D("500000.00"),
        D("60.0"),
    )
    assert portfolio.by_funder_type == [
        ("État (services déconcentrés, préfecture)", D("400000.00")), ("Région", D("100000.00"))]  # fmt: skip
    assert [(row.year, row.planned) for row in portfolio.years][3:] == [
        (2027, D("100000.00")), (2028, D("100000.00")), (2029, D("100000.00"))]  # fmt: skip


def test_a_diagnostic_shared_with_the_funder_meets_its_condition(fw, known):
    diagnostic = complete(fw.world, a_diagnostic(fw.world, **SECTIONS))
    diagnostic_share(actor=fw.people["admin"], diagnostic=diagnostic, funder=fw.world.partner)
    portfolio = funder_portfolio(fw.world.partner)
    assert (portfolio.conditions_met, portfolio.conditions_total) == (1, 1)


def test_the_portfolio_reads_in_a_fixed_number_of_queries(fw, known):
    def cost(read):
        with CaptureQueriesContext(connection) as queries:
            read()
        return len(queries)

    before = (cost(lambda: funder_portfolio(fw.world.partner)), cost(alliance_portfolio))
    for index in range(3):
        contract = a_contract(fw, title=f"Contrat {index}")
        a_line(fw, contract)
        active(fw, contract)
    assert (cost(lambda: funder_portfolio(fw.world.partner)), cost(alliance_portfolio)) == before
