"""A funder's portfolio (its members only) and the alliance-wide view of funding (every signed-in
member; figures only, no contract, territory or funder named)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from trajectoires.territories.team_selectors import funder_get

from .permissions import is_funder_member
from .portfolio import alliance_portfolio, funder_portfolio
from .portfolio_charts import capacity_chart, durations_chart, years_chart


def _charts(portfolio) -> dict:
    return {
        "years_chart": years_chart(portfolio),
        "capacity_chart": capacity_chart(portfolio),
        "durations_chart": durations_chart(portfolio),
    }


@login_required
def funder_portfolio_page(request, slug: str):
    funder = funder_get(slug)
    if not is_funder_member(request.user, funder):
        raise Http404
    portfolio = funder_portfolio(funder)
    context = {"funder": funder, "portfolio": portfolio, **_charts(portfolio)}
    return render(request, "funding/portfolio.html", context)


@login_required
def alliance_portfolio_page(request):
    portfolio = alliance_portfolio()
    return render(
        request, "funding/portfolio.html", {"funder": None, "portfolio": portfolio, **_charts(portfolio)}
    )
