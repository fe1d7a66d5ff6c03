from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render

from trajectoires.cooperation.charts import trend_chart
from trajectoires.territories.permissions import is_territory_team
from trajectoires.territories.selectors import territory_get

from .board import territory_dashboard
from .charts import coverage_chart, pilots_chart

PUBLIC_PREVIEW = "public"


def dashboard_page(request, slug: str):
    """The territory at a glance. The team can preview it as a visitor sees it (`?vue=public`):
    the same page read by an anonymous viewer, so it shows exactly the public records."""
    territory = territory_get(slug)
    is_team = is_territory_team(request.user, territory)
    preview = is_team and request.GET.get("vue") == PUBLIC_PREVIEW
    viewer = AnonymousUser() if preview else request.user
    board = territory_dashboard(viewer, territory, with_visibility=is_team and not preview)
    context = {
        "territory": territory,
        "board": board,
        "is_team": is_team,
        "preview": preview,
        "coverage_chart": coverage_chart(board.coverage),
        "pilots_chart": pilots_chart(board.pilot_statuses) if any(board.pilots.values()) else None,
        "trend_chart": trend_chart([metrics.round for metrics in board.metrics])
        if len(board.metrics) > 1
        else None,
    }
    return render(request, "dashboard/dashboard.html", context)
