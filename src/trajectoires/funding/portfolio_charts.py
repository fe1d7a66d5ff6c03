"""ECharts options for the portfolio pages (drawn by static/js/charts.js, each beside a table of the
same figures; tooltips in the canvas, as the Content Security Policy requires)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .portfolio import Portfolio

GRID = {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True}


def years_chart(portfolio: Portfolio) -> dict:
    """Planned, committed and paid, one group of bars per year."""
    series = [
        (pgettext("amount", "Planned"), [float(row.planned) for row in portfolio.years]),
        (_("Committed"), [float(row.committed) for row in portfolio.years]),
        (_("Paid"), [float(row.paid) for row in portfolio.years]),
    ]
    return {
        "grid": GRID,
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [str(row.year) for row in portfolio.years]},
        "yAxis": {"type": "value", "name": "€"},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "series": [{"type": "bar", "name": name, "data": data} for name, data in series],
    }


def capacity_chart(portfolio: Portfolio) -> dict:
    """Capacities against projects (S1), as two bars."""
    return {
        "grid": GRID,
        "xAxis": {"type": "value", "name": "€"},
        "yAxis": {"type": "category", "data": [_("Capacities"), _("Projects")], "inverse": True},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "series": [
            {
                "type": "bar",
                "name": _("Planned budget"),
                "data": [float(portfolio.capacity_amount), float(portfolio.project_amount)],
            }
        ],
    }


def durations_chart(portfolio: Portfolio) -> dict:
    return {
        "grid": GRID,
        "xAxis": {
            "type": "category",
            "data": [str(years) for years, _count in portfolio.durations],
            "name": _("years"),
        },
        "yAxis": {"type": "value", "minInterval": 1, "name": _("contracts")},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "series": [
            {"type": "bar", "name": _("Contracts"), "data": [count for _years, count in portfolio.durations]}
        ],
    }
