"""The pages of the indicators (S4): the indicators with their target and actual value for each
period, as a table and as a small chart; one indicator with its values period by period; and the
writes — define, change, delete an indicator; give, change, delete its values for a period.

- Figures are read beside the stories and the systemic effects, never alone: the pages say so and
  lead to them.
- Every page reads through the services' selectors; an indicator the viewer may not read, a period
  of another territory, and a write page the viewer may not use, answer 404 like a missing one.
- Each chart is drawn by `static/js/charts.js` from options built here; the table of the same
  figures stands beside it as its text alternative.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .effects import (
    indicator_delete,
    indicator_save,
    indicator_value_delete,
    indicator_value_save,
    readable_indicators,
)
from .indicator_forms import IndicatorForm, ValueForm
from .models import Indicator, IndicatorValue, ReportingPeriod
from .stories import territory_periods

# The page gives each chart its own label; the target and the actual value are told apart by their
# shape (a dashed line with diamonds, hatched bars) as well as by colour (Okabe & Ito's palette).
PAGE_ARIA = {"enabled": True, "label": {"enabled": False}, "decal": {"show": False}}
TARGET_COLOUR, ACTUAL_COLOUR = "#0072B2", "#E69F00"
HATCHED = {
    "symbol": "rect",
    "dashArrayX": [1, 0],
    "dashArrayY": [3, 5],
    "rotation": -0.785,
    "color": "#00000066",
}


@dataclass(frozen=True)
class IndicatorCard:
    indicator: Indicator
    values: list[IndicatorValue]
    chart_id: str
    chart: dict | None


def _figures(values: list[IndicatorValue], name: str) -> list[float | None]:
    return [float(getattr(value, name)) if getattr(value, name) is not None else None for value in values]


def indicator_chart(indicator: Indicator, values: list[IndicatorValue]) -> dict:
    """ECharts options of one indicator: the actual value as bars, the target as a dashed line, one
    point per period (oldest first), in the indicator's unit."""
    return {
        "aria": PAGE_ARIA,
        "grid": {"left": 8, "right": 16, "top": 48, "bottom": 8, "containLabel": True},
        "legend": {"top": 0},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "category", "data": [value.period.label for value in values]},
        "yAxis": {"type": "value", "name": indicator.unit_label},
        "series": [
            {
                "type": "bar",
                "name": _("Actual value"),
                "data": _figures(values, "actual"),
                "itemStyle": {"color": ACTUAL_COLOUR, "decal": HATCHED},
                "label": {"show": True, "position": "top", "color": "#000000"},
            },
            {
                "type": "line",
                "name": _("Target"),
                "data": _figures(values, "target"),
                "symbol": "diamond",
                "symbolSize": 12,
                "connectNulls": True,
                "itemStyle": {"color": TARGET_COLOUR},
                "lineStyle": {"type": "dashed", "width": 3},
            },
        ],
    }


def indicator_card(indicator: Indicator) -> IndicatorCard:
    values = list(indicator.values.all())  # prefetched, oldest period first
    chart = indicator_chart(indicator, values) if values else None
    return IndicatorCard(indicator, values, f"indicator-chart-{indicator.pk}", chart)


def readable_indicator(request, slug: str, pk: int):
    """The territory and the indicator `request.user` may read, or a 404."""
    territory = territory_get(slug)
    indicator = readable_indicators(request.user, territory).filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return territory, indicator


def editable_indicator(request, slug: str, pk: int):
    territory, indicator = readable_indicator(request, slug, pk)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory, indicator


def saved_and_back(request, indicator: Indicator, message: str):
    messages.success(request, message)
    return redirect("indicators:detail", slug=indicator.territory.slug, pk=indicator.pk)


# The indicators ----------------------------------------------------------------------------------


def indicators_page(request, slug: str):
    territory = territory_get(slug)
    cards = [indicator_card(indicator) for indicator in readable_indicators(request.user, territory)]
    context = {
        "territory": territory,
        "cards": cards,
        "has_charts": any(card.chart for card in cards),
        "can_write": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/indicators.html", context)


@dataclass(frozen=True)
class PeriodRow:
    period: ReportingPeriod
    value: IndicatorValue | None


def indicator_detail(request, slug: str, pk: int):
    territory, indicator = readable_indicator(request, slug, pk)
    card = indicator_card(indicator)
    by_period = {value.period_id: value for value in card.values}
    context = {
        "territory": territory,
        "indicator": indicator,
        "card": card,
        "periods": [PeriodRow(period, by_period.get(period.pk)) for period in territory_periods(territory)],
        "can_write": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/indicator.html", context)


# Define, change, delete an indicator -------------------------------------------------------------


@login_required
def indicator_new(request, slug: str):
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    form = IndicatorForm(request.POST or None)

    def save():
        return indicator_save(actor=request.user, territory=territory, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        return saved_and_back(request, saved, _("The indicator was defined."))
    context = {"territory": territory, "form": form, "indicator": None}
    return render(request, "evaluation/indicator_form.html", context)


@login_required
def indicator_edit(request, slug: str, pk: int):
    territory, indicator = editable_indicator(request, slug, pk)
    form = IndicatorForm.for_indicator(indicator, request.POST or None)

    def save():
        return indicator_save(
            actor=request.user, territory=territory, indicator=indicator, **form.cleaned_data
        )

    if saved_through(request, form, save):
        return saved_and_back(request, indicator, _("The indicator was saved."))
    context = {"territory": territory, "form": form, "indicator": indicator}
    return render(request, "evaluation/indicator_form.html", context)


@login_required
def indicator_remove(request, slug: str, pk: int):
    territory, indicator = editable_indicator(request, slug, pk)
    if request.method == "POST":
        indicator_delete(actor=request.user, indicator=indicator)
        messages.success(request, _("The indicator was deleted."))
        return redirect("indicators:index", slug=territory.slug)
    context = {"territory": territory, "indicator": indicator, "values": len(indicator.values.all())}
    return render(request, "evaluation/indicator_delete.html", context)


# The values of a period --------------------------------------------------------------------------


def _period_of(territory, period: int) -> ReportingPeriod:
    found = territory_periods(territory).filter(pk=period).first()
    if found is None:
        raise Http404
    return found


@login_required
def value_form(request, slug: str, pk: int, period: int):
    territory, indicator = editable_indicator(request, slug, pk)
    chosen = _period_of(territory, period)
    value = next((value for value in indicator.values.all() if value.period_id == chosen.pk), None)
    form = ValueForm(request.POST or None, indicator=indicator, value=value)

    def save():
        return indicator_value_save(
            actor=request.user, indicator=indicator, period=chosen, **form.cleaned_data
        )

    if saved_through(request, form, save):
        return saved_and_back(request, indicator, _("The values were recorded."))
    context = {"territory": territory, "indicator": indicator, "period": chosen, "form": form, "value": value}
    return render(request, "evaluation/indicator_value_form.html", context)


@login_required
def value_remove(request, slug: str, pk: int, period: int):
    territory, indicator = editable_indicator(request, slug, pk)
    chosen = _period_of(territory, period)
    value = next((value for value in indicator.values.all() if value.period_id == chosen.pk), None)
    if value is None:
        raise Http404
    if request.method == "POST":
        indicator_value_delete(actor=request.user, value=value)
        return saved_and_back(request, indicator, _("The values were deleted."))
    context = {"territory": territory, "indicator": indicator, "period": chosen, "value": value}
    return render(request, "evaluation/indicator_value_delete.html", context)
