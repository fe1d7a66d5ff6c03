"""The territory's evaluation for one reporting period, in the order the source document asks to
tell it (S4): the stories selected first, then the systemic effects with their evidence, the
outcomes observed, the self-assessment and its history, and only then the indicators — always
beside the qualitative evaluation, never alone — and the celebrations of the period.

The evaluation page and the PDF report both read it, as their viewer (or audience) may.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from trajectoires.steering.celebrations import celebrations_of
from trajectoires.steering.models import Celebration
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .assessment_results import CampaignResults, History, assessment_history, campaign_results
from .assessments import readable_campaigns
from .effects import EffectRow, period_effects, readable_indicators
from .models import (
    AssessmentCampaign,
    CampaignStatus,
    ChangeStory,
    Indicator,
    IndicatorValue,
    Outcome,
    ReportingPeriod,
    SelectionRound,
)
from .stories import teller_label


@dataclass(frozen=True)
class SelectedStory:
    story: ChangeStory
    teller: str
    rounds: list[SelectionRound]  # the rounds of the period that selected it


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None  # this period's
    earlier: list[IndicatorValue]  # the periods before, oldest first


@dataclass(frozen=True)
class EvaluationStory:
    territory: Territory
    period: ReportingPeriod
    selected: list[SelectedStory]
    other_stories: list[ChangeStory]  # collected over the period, not selected
    effects: list[EffectRow]
    outcomes: list[Outcome]
    campaign: AssessmentCampaign | None  # the last closed before the period ended
    assessment: CampaignResults | None
    history: History
    indicators: list[IndicatorRow]
    celebrations: list[Celebration]

    @property
    def is_empty(self) -> bool:
        return not (
            self.selected or self.other_stories or self.outcomes or self.campaign or self.indicators
        ) and all(row.assessment is None for row in self.effects)


def territory_periods_readable(territory: Territory) -> QuerySet[ReportingPeriod]:
    """Periods frame the evaluation; they hold no private content, so every reader sees them."""
    return territory.reporting_periods.order_by("-starts_on", "-id")


def _selected(viewer, territory: Territory, period: ReportingPeriod) -> list[SelectedStory]:
    rounds = visible_to(SelectionRound.objects.filter(territory=territory, period=period), viewer)
    stories = visible_to(ChangeStory.objects.filter(territory=territory), viewer).select_related(
        "teller", "domain"
    )
    by_story: dict[int, list[SelectionRound]] = {}
    for selection in rounds.select_related("domain").order_by("held_on", "id"):
        by_story.setdefault(selection.selected_id, []).append(selection)
    chosen = stories.filter(pk__in=list(by_story)).select_related("territory").order_by("title")
    return [SelectedStory(story, teller_label(viewer, story), by_story[story.pk]) for story in chosen]


def _campaign(viewer, territory: Territory, period: ReportingPeriod) -> AssessmentCampaign | None:
    closed = readable_campaigns(viewer, territory).filter(status=CampaignStatus.CLOSED)
    return (
        closed.filter(closed_on__lte=period.ends_on)
        .select_related("version")
        .order_by("-closed_on", "-id")
        .first()
    )


def _indicators(viewer, territory: Territory, period: ReportingPeriod) -> list[IndicatorRow]:
    rows = []
    for indicator in readable_indicators(viewer, territory):
        values = list(indicator.values.all())
        current = next((value for value in values if value.period_id == period.pk), None)
        earlier = [value for value in values if value.period.starts_on < period.starts_on]
        rows.append(IndicatorRow(indicator, current, earlier))
    return rows


def evaluation_story(viewer, territory: Territory, period: ReportingPeriod) -> EvaluationStory:
    campaign = _campaign(viewer, territory, period)
    outcomes = visible_to(Outcome.objects.filter(territory=territory), viewer).filter(
        observed_on__gte=period.starts_on, observed_on__lte=period.ends_on
    )
    selected = _selected(viewer, territory, period)
    chosen = {item.story.pk for item in selected}
    stories = visible_to(ChangeStory.objects.filter(territory=territory, period=period), viewer)
    others = stories.exclude(pk__in=chosen).select_related("domain").order_by("title")
    celebrations = celebrations_of(viewer, territory).filter(
        achieved_on__gte=period.starts_on, achieved_on__lte=period.ends_on
    )
    return EvaluationStory(
        territory=territory,
        period=period,
        selected=selected,
        other_stories=list(others),
        effects=period_effects(viewer, territory, period),
        outcomes=list(outcomes.order_by("-observed_on", "-id")),
        campaign=campaign,
        assessment=campaign_results(campaign) if campaign else None,
        history=assessment_history(readable_campaigns(viewer, territory)),
        indicators=_indicators(viewer, territory, period),
        celebrations=list(celebrations.order_by("achieved_on", "id")),
    )
