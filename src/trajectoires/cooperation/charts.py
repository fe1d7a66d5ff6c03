"""Apache ECharts options for the cooperation charts, built here as plain JSON so that
`static/js/charts.js` only draws them (no script in the page). Each chart has a table with the
same figures beside it, its text alternative.

Tooltips are drawn inside the canvas (`renderMode: richText`): ECharts' HTML tooltips carry
inline styles, which the Content Security Policy refuses.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import SurveyRound
from .network_selectors import RoundNetwork, ready_metrics_of

# One colour per actor category, by its position in the référentiel, so a category keeps its
# colour from one round (or page) to the next; Okabe & Ito's palette, readable by colour-blind people.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MIN_NODE, MAX_NODE = 8, 40  # symbol sizes for degree centralities 0 and 1
LABELS_UP_TO = 40  # above that many actors, names only in tooltips and the table


def category_colour(position: int) -> str:
    return PALETTE[(position - 1) % len(PALETTE)]


def network_chart(network: RoundNetwork) -> dict:
    """The round's graph: one node per actor, coloured by category and sized by degree
    centrality; one link per pair of actors tied (whatever the number of ties)."""
    present = {node.actor.category.code for node in network.nodes}
    categories = [item for code, item in network.categories.items() if code in present]
    category_index = {item.code: index for index, item in enumerate(categories)}
    index_of = {node.actor.id: index for index, node in enumerate(network.nodes)}
    pairs = {
        tuple(sorted((index_of[tie.source.id], index_of[tie.target.id])))
        for tie in network.ties
        if tie.source.id in index_of and tie.target.id in index_of
    }
    return {
        "tooltip": {"renderMode": "richText"},
        "legend": [{"data": [item.label for item in categories], "type": "scroll", "top": 0}],
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "top": 40,
                "force": {"repulsion": 320, "edgeLength": [60, 160], "gravity": 0.06},
                "label": {"show": len(network.nodes) <= LABELS_UP_TO, "position": "right"},
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "source", "opacity": 0.6},
                "categories": [
                    {"name": item.label, "itemStyle": {"color": category_colour(item.position)}}
                    for item in categories
                ],
                "data": [
                    {
                        "id": str(node.actor.id),
                        "name": node.actor.label,
                        "category": category_index[node.actor.category.code],
                        "value": round(node.degree, 3),
                        "symbolSize": round(MIN_NODE + (MAX_NODE - MIN_NODE) * node.degree, 1),
                    }
                    for node in network.nodes
                ],
                "links": [{"source": first, "target": second} for first, second in sorted(pairs)],
            }
        ],
    }


def trend_chart(rounds: list[SurveyRound]) -> dict:
    """Density and share of ties across categories, round after round (oldest first); a round
    whose metrics are not ready leaves a gap."""
    dates = [date_format(survey_round.held_on, "SHORT_DATE_FORMAT") for survey_round in rounds]

    def serie(name: str, attribute: str, symbol: str, line: str) -> dict:
        values = []
        for survey_round in rounds:
            metrics = ready_metrics_of(survey_round)
            values.append(round(getattr(metrics, attribute), 3) if metrics else None)
        return {
            "type": "line",
            "name": name,
            "data": values,
            "connectNulls": False,
            # Told apart by the symbol and the line's pattern, not by colour alone.
            "symbol": symbol,
            "symbolSize": 9,
            "lineStyle": {"type": line},
        }

    return {
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
        "legend": {"top": 0},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "category", "data": dates},
        "yAxis": {"type": "value", "min": 0, "max": 1},
        "series": [
            serie(_("Density"), "density", "circle", "solid"),
            serie(_("Share of ties across categories"), "cross_category_share", "triangle", "dashed"),
        ],
    }
