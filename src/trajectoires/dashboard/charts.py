"""ECharts options for the dashboard's own chart (the network trend is cooperation.charts.trend_chart),
built here so the page script only draws them (static/js/charts.js); each chart has a table with the
same figures beside it. Tooltips are drawn inside the canvas (`renderMode: richText`): ECharts' HTML
tooltips carry inline styles, which the Content Security Policy refuses."""

from django.utils.translation import gettext as _

from trajectoires.steering.vision import Coverage


def coverage_chart(coverage: list[Coverage]) -> dict:
    """One bar per essential need: how many orientations answer it (0: left out)."""
    labels = [str(row.need.label) for row in coverage]
    return {
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1, "name": _("orientations")},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "series": [
            {"type": "bar", "name": _("Orientations"), "data": [len(row.orientations) for row in coverage]}
        ],
    }


def pilots_chart(statuses: list[tuple[str, int]]) -> dict:
    """One bar per pilot status, in the life cycle's order."""
    return {
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1, "name": _("pilots")},
        "yAxis": {"type": "category", "data": [label for label, _count in statuses], "inverse": True},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "series": [{"type": "bar", "name": _("Pilots"), "data": [count for _label, count in statuses]}],
    }
