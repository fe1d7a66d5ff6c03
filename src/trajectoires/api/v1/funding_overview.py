"""Funding seen from above: a funder's portfolio (its members), the alliance-wide figures (every
signed-in member; no contract, territory or funder named) and the public grants in the 360Giving
Data Standard (anyone: open data)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from trajectoires.funding.giving360 import package
from trajectoires.funding.permissions import is_funder_member
from trajectoires.funding.portfolio import Portfolio, alliance_portfolio, funder_portfolio
from trajectoires.territories.team_selectors import funder_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses

router = Router(tags=["funding overview"])
funders_router = Router(tags=["funding overview"])


class PortfolioYearOut(Schema):
    year: int
    planned: str
    committed: str
    paid: str


class PortfolioContractOut(Schema):
    id: int
    territory: str
    title: str
    status: str
    start_year: int
    end_year: int
    share: str
    co_funders: int


class PortfolioOut(Schema):
    contract_count: int
    amount: str
    capacity_amount: str
    project_amount: str
    capacity_share: str
    co_funded_count: int
    co_funded_share: str
    years: list[PortfolioYearOut]
    durations: dict[str, int]
    conditions_met: int
    conditions_total: int
    reports_late: int
    by_funder_type: dict[str, str]
    contracts: list[PortfolioContractOut]


def _portfolio_out(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "contract_count": portfolio.contract_count,
        "amount": f"{portfolio.amount:.2f}",
        "capacity_amount": f"{portfolio.capacity_amount:.2f}",
        "project_amount": f"{portfolio.project_amount:.2f}",
        "capacity_share": f"{portfolio.capacity_share:.1f}",
        "co_funded_count": portfolio.co_funded_count,
        "co_funded_share": f"{portfolio.co_funded_share:.1f}",
        "years": [
            {
                "year": r.year,
                "planned": f"{r.planned:.2f}",
                "committed": f"{r.committed:.2f}",
                "paid": f"{r.paid:.2f}",
            }
            for r in portfolio.years
        ],
        "durations": {str(years): count for years, count in portfolio.durations},
        "conditions_met": portfolio.conditions_met,
        "conditions_total": portfolio.conditions_total,
        "reports_late": portfolio.reports_late,
        "by_funder_type": {label: f"{amount:.2f}" for label, amount in portfolio.by_funder_type},
        "contracts": [
            {
                "id": party.contract.pk,
                "territory": party.contract.territory.slug,
                "title": party.contract.title,
                "status": party.contract.status,
                "start_year": party.contract.start_year,
                "end_year": party.contract.end_year,
                "share": f"{party.amount:.2f}",
                "co_funders": party.party_count,
            }
            for party in portfolio.contracts
        ],
    }


@funders_router.get(
    "/{slug:slug}/portfolio",
    auth=SIGNED_IN,
    response={200: PortfolioOut, **error_responses(401, 404)},
    summary="Read a funder's portfolio (its members)",
)
def read_funder_portfolio(request: HttpRequest, slug: str):
    """Amounts as decimal strings in euros, shares in %; figures count the contracts once signed."""
    funder = funder_get(slug)
    if not is_funder_member(request.user, funder):
        raise Http404
    return _portfolio_out(funder_portfolio(funder))


@router.get(
    "/alliance",
    auth=SIGNED_IN,
    response={200: PortfolioOut, **error_responses(401)},
    summary="Read the funding figures of the whole alliance",
)
def read_alliance_portfolio(request: HttpRequest):
    return _portfolio_out(alliance_portfolio())


@router.get(
    "/360giving",
    response={200: dict, **error_responses(404)},
    summary="Export the public grants in the 360Giving Data Standard (JSON package)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_360giving(request: HttpRequest):
    """One grant per co-funder's share of each public, signed contract, linked with the other
    shares (`relatedActivity`), tranches as transactions, locations by INSEE code."""
    return package(f"{request.scheme}://{request.get_host()}")
