"""The demo systemic effects and indicators: for each of its two reporting periods, every demo
territory assesses cooperation, posture and resilience a month after the period ended — a level,
the reasoning, and the evidence: the period's stories of change, the outcomes harvested by then,
and for cooperation the latest survey of its cooperation network —, and records the target and
actual value of its three or four indicators. The levels, reasoning and figures are in
demo_effects.toml; all are public.

Written through the services — effect_save, indicator_save, indicator_value_save — so every write
is validated and audited; then the records' timestamps are dated back to the day of the assessment
(the audit trail keeps the moment the demo recorded them). Loaded after demo_stories.py, whose
periods and stories it reads; a territory that already has an indicator is left as it is.

Then one territory (REPORTED) asks for the public report of its latest period, as its admin would:
report_request enqueues its generation, which the task worker runs (inline in the tests).
"""

import datetime
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from trajectoires.cooperation.models import SurveyRound
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.effects import EFFECT_GRID, effect_save, indicator_save, indicator_value_save
from trajectoires.evaluation.models import EffectAssessment, Indicator, Outcome, ReportingPeriod
from trajectoires.evaluation.reports import report_request
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .demo_stories import PERIODS, stories_file
from .demo_workspace import PLACES

EFFECTS_FILE = Path(__file__).with_name("demo_effects.toml")
EFFECTS = ("cooperation", "posture", "resilience")  # the order of `levels` in the TOML file
# The kinds of change (demo_evaluation.toml) that bear on each effect.
OUTCOME_KINDS = {
    "cooperation": ("relationship",),
    "posture": ("policy", "practice"),
    "resilience": ("action", "behaviour"),
}
ASSESSED_AFTER = datetime.timedelta(days=30)  # after the period ended
REPORTED = "Ungersheim"  # the demo territory that made the public report of its latest period


@cache
def effects_file() -> dict[str, Any]:
    return tomllib.loads(EFFECTS_FILE.read_text(encoding="utf-8"))


def effects_load() -> list[str]:
    """Assess the effects and record the indicators of each demo territory that has none yet."""
    created = []
    effects = {item.code: item for item in referential_items(EFFECT_GRID)}
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.indicators.exists() or territory.effect_assessments.exists():
            continue
        admin = get_user_model().objects.get(email=place.admin)
        plan = effects_file()["territories"][place.territory]
        periods = dict(zip(PERIODS, territory.reporting_periods.order_by("starts_on"), strict=True))
        for key, period in periods.items():
            for code, level in zip(EFFECTS, plan["levels"][key], strict=True):
                _assess(admin, territory, period, effects[code], level)
        for spec in plan["indicators"]:
            _indicator(admin, territory, periods, spec)
        created.append(f"systemic effects and indicators of {place.territory}")
    return created


def _assess(admin, territory: Territory, period: ReportingPeriod, effect, level: str) -> EffectAssessment:
    assessed_on = period.ends_on + ASSESSED_AFTER
    network = (
        SurveyRound.objects.filter(territory=territory, held_on__lte=period.ends_on)
        .order_by("-held_on")
        .first()
        if effect.code == "cooperation"
        else None
    )
    reasoning = effects_file()["reasoning"][effect.code][level]
    assessment = effect_save(
        actor=admin,
        territory=territory,
        period=period,
        effect=effect,
        level=level,
        reasoning=reasoning.format(round=network.title if network else ""),
        stories=_stories(period, effect.code),
        outcomes=_outcomes(territory, effect.code, level, period.starts_on, assessed_on),
        network_round=network,
        visibility=Visibility.PUBLIC,
    )
    moment = _at(assessed_on, datetime.time(17))
    EffectAssessment.objects.filter(pk=assessment.pk).update(created_at=moment, updated_at=moment)
    return assessment


def _stories(period: ReportingPeriod, effect: str) -> list:
    """The period's stories that bear on `effect`, as demo_stories.toml says (private ones too: the
    team reads them as evidence, others do not)."""
    bearing = {spec["title"] for spec in stories_file()["stories"].values() if effect in spec["effects"]}
    return [story for story in period.stories.order_by("collected_on", "pk") if story.title in bearing]


def _outcomes(
    territory: Territory, effect: str, level: str, since: datetime.date, until: datetime.date
) -> QuerySet[Outcome]:
    """The public outcomes of the kinds that bear on `effect`, observed over the period or the month
    after: the negative ones when the effect recedes, the positive ones otherwise."""
    return Outcome.objects.filter(
        territory=territory,
        visibility=Visibility.PUBLIC,
        change_kind__in=OUTCOME_KINDS[effect],
        valence="negative" if level == "receding" else "positive",
        observed_on__gte=since,
        observed_on__lte=until,
    ).order_by("observed_on", "pk")


def _indicator(admin, territory: Territory, periods: dict[str, ReportingPeriod], spec: dict) -> Indicator:
    indicator = indicator_save(
        actor=admin,
        territory=territory,
        name=spec["name"],
        unit=spec["unit"],
        custom_unit=spec.get("custom_unit", ""),
        description=spec["description"],
        visibility=Visibility.PUBLIC,
    )
    for key, period in periods.items():
        figures = spec[key]
        indicator_value_save(
            actor=admin,
            indicator=indicator,
            period=period,
            unit=indicator.unit,
            target=Decimal(str(figures["target"])),
            actual=Decimal(str(figures["actual"])),
            comment=figures["comment"],
        )
    first, last = periods[PERIODS[0]], periods[PERIODS[-1]]
    Indicator.objects.filter(pk=indicator.pk).update(
        created_at=_at(first.ends_on + ASSESSED_AFTER, datetime.time(10)),
        updated_at=_at(last.ends_on + ASSESSED_AFTER, datetime.time(10)),
    )
    return indicator


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def report_load() -> list[str]:
    """Ask for the public report of REPORTED's latest period, unless it has a report already."""
    place = next(place for place in PLACES if place.territory == REPORTED)
    territory = Territory.objects.get(name=REPORTED)
    latest = territory.reporting_periods.order_by("-starts_on").first()
    if latest is None or territory.evaluation_reports.exists():
        return []
    admin = get_user_model().objects.get(email=place.admin)
    report_request(actor=admin, territory=territory, period=latest, audience=Visibility.PUBLIC)
    return [f"evaluation report of {REPORTED}"]
