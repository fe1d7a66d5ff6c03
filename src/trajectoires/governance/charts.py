"""Apache ECharts options for the governance charts, built here as plain JSON so that
`static/js/charts.js` only draws them (no script in the page). Each chart has a table with the same
figures beside it, its text alternative.

Tooltips are drawn inside the canvas (`renderMode: richText`): ECharts' HTML tooltips carry inline
styles, which the Content Security Policy refuses. Series are told apart by a pattern (ECharts'
decals) as well as by colour; the chart's own ARIA label is left off, the page gives its own.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from trajectoires.referential.models import Item

from .decisions import LevelDistribution

# From warm (decided top-down) to cool (decided with people), Okabe & Ito's colour-blind-safe palette.
LEVEL_COLOURS = {
    "inform": "#D55E00",
    "consult": "#E69F00",
    "concert": "#999999",
    "co_construct": "#56B4E9",
    "co_decide": "#0072B2",
}


def level_chart(distribution: LevelDistribution, levels: Sequence[Item]) -> dict:
    """Decisions per year, one stacked bar per year, one segment per participation level."""
    labels = {item.code: item.label for item in levels}
    return {
        "aria": {"enabled": True, "label": {"enabled": False}, "decal": {"show": True}},
        "grid": {"left": 8, "right": 16, "top": 56, "bottom": 8, "containLabel": True},
        "legend": {"top": 0, "type": "scroll"},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "category", "data": [str(row.year) for row in distribution.years]},
        "yAxis": {"type": "value", "minInterval": 1, "name": _("Decisions")},
        "series": [
            {
                "type": "bar",
                "name": labels.get(code, code),
                "stack": "levels",
                "itemStyle": {"color": LEVEL_COLOURS.get(code, "#000000")},
                "data": [row.counts[code] for row in distribution.years],
            }
            for code in distribution.levels
        ],
    }
