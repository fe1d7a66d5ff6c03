"""Apache ECharts options for the planning charts, built here as plain JSON so that
`static/js/charts.js` only draws them (no script in the page). Each chart has a table with the
same data beside it, its text alternative.

Tooltips are drawn inside the canvas (`renderMode: richText`): ECharts' HTML tooltips carry
inline styles, which the Content Security Policy refuses.
"""

from django.utils.translation import gettext as _

from .coherence import LABELS, NOT_ASSESSED, SYMBOLS, CoherenceMatrix
from .models import Coherence

# Okabe & Ito's colours, readable by colour-blind people; each cell also shows its symbol.
COLOURS = {
    Coherence.COHERENT: "#009E73",
    Coherence.NEUTRAL: "#F0E442",
    Coherence.CONTRADICTORY: "#D55E00",
    NOT_ASSESSED: "#DDDDDD",
}
# Heat-map values, one per piece of the visual map.
CODES = {NOT_ASSESSED: 0, Coherence.CONTRADICTORY: 1, Coherence.NEUTRAL: 2, Coherence.COHERENT: 3}
AXIS_LABEL_WIDTH = 160  # pixels; longer titles are cut in the chart, whole in the table
HEIGHT_CLASSES = ((6, "chart"), (10, "chart chart-tall"))


def coherence_heatmap(matrix: CoherenceMatrix) -> dict:
    """One square per cell: orientations across, documents down, coloured by value and marked
    with the value's symbol (its words in the legend and the tooltip)."""
    data = [
        {
            "name": f"{cell.document.title} × {cell.orientation.title} — {cell.symbol} {cell.label}",
            "value": [column, row, CODES[cell.value]],
            "label": {"formatter": cell.symbol},
        }
        for row, matrix_row in enumerate(matrix.rows)
        for column, cell in enumerate(matrix_row.cells)
    ]
    axis_label = {"interval": 0, "width": AXIS_LABEL_WIDTH, "overflow": "truncate"}
    return {
        "tooltip": {"renderMode": "richText", "formatter": "{b}", "confine": True},
        "grid": {"left": 8, "right": 16, "top": 56, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "position": "top",
            "data": [orientation.title for orientation in matrix.orientations],
            "axisLabel": axis_label | {"rotate": 20},
            "splitArea": {"show": True},
        },
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [document.title for document in matrix.documents],
            "axisLabel": axis_label,
            "splitArea": {"show": True},
        },
        "visualMap": {
            "type": "piecewise",
            "orient": "horizontal",
            "left": 0,
            "top": 0,
            "itemWidth": 10,
            "itemGap": 4,
            "textGap": 4,
            "textStyle": {"fontSize": 10},
            "dimension": 2,
            "inverse": True,  # "coherent" first, as in the table
            "pieces": [
                {"value": code, "label": f"{SYMBOLS[value]} {LABELS[value]}", "color": COLOURS[value]}
                for value, code in sorted(CODES.items(), key=lambda item: item[1])
            ],
        },
        "series": [
            {
                "type": "heatmap",
                "name": _("Coherence"),
                "data": data,
                "label": {"show": True, "color": "#000000", "fontSize": 16},
                "itemStyle": {"borderColor": "#FFFFFF", "borderWidth": 2},
            }
        ],
    }


def heatmap_size(matrix: CoherenceMatrix) -> str:
    """The chart's CSS classes: taller as documents are added (no inline style under the CSP)."""
    for rows, classes in HEIGHT_CLASSES:
        if len(matrix.documents) <= rows:
            return classes
    return "chart chart-coherence-large"
