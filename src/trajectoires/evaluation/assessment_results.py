"""What a self-assessment says: the mean level of each question, overall and per posture (the
radar), the spread between respondent groups (where élus and agents disagree), and the history
across closed campaigns.

Levels are scored by their scale (maturity 1–5, checklist progress 0–3, in the référentiel's
`extra.score`). Groups and questions are compared by code, so campaigns answered on different
versions of the référentiel meet in one history. Every figure is computed in Python from a constant
number of queries, whatever the number of responses.
"""

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items

from .assessments import Questionnaire, questionnaire
from .models import AssessmentAnswer, AssessmentCampaign, CampaignStatus

# The page gives each chart its own label (ECharts' would be in another language); series are told
# apart by a pattern as well as by colour.
PAGE_ARIA = {"enabled": True, "label": {"enabled": False}, "decal": {"show": True}}
# Group means this far apart (in levels) mark a disagreement worth talking about.
DISAGREEMENT = 1.5
MATURITY_MAX = 5


def _rounded(values: list[int]) -> float | None:
    return round(mean(values), 2) if values else None


@dataclass(frozen=True)
class QuestionResult:
    question: Item
    mean: float | None  # None when nobody answered it
    answered: int
    distribution: list[tuple[Item, int]]  # each level of the scale and how many chose it


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    respondents: int


@dataclass(frozen=True)
class SpreadRow:
    question: Item
    means: list[float | None]  # one per group, in the order of `CampaignResults.groups`
    spread: float | None  # highest minus lowest group mean; None under two groups

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


@dataclass(frozen=True)
class PostureResult:
    posture: Item
    key_actions: list[QuestionResult]

    @property
    def mean(self) -> float | None:
        return _rounded_means([result.mean for result in self.key_actions])


def _rounded_means(values: list[float | None]) -> float | None:
    given = [value for value in values if value is not None]
    return round(mean(given), 2) if given else None


@dataclass(frozen=True)
class CampaignResults:
    campaign: AssessmentCampaign
    respondents: int
    groups: list[Group]
    key_actions: list[QuestionResult]
    checklist: list[QuestionResult]
    spread: list[SpreadRow]

    @property
    def overall(self) -> float | None:
        return _rounded_means([result.mean for result in self.key_actions])

    @property
    def postures(self) -> list[PostureResult]:
        grouped: dict[int, list[QuestionResult]] = defaultdict(list)
        postures: dict[int, Item] = {}
        for result in self.key_actions:
            posture = result.question.parent
            postures[posture.pk] = posture
            grouped[posture.pk].append(result)
        return [PostureResult(postures[pk], results) for pk, results in grouped.items()]

    @property
    def table(self) -> list[tuple[QuestionResult, SpreadRow]]:
        """Each key action's overall result beside its row of group means."""
        return list(zip(self.key_actions, self.spread, strict=True))

    @property
    def disagreements(self) -> list[SpreadRow]:
        return [row for row in self.spread if row.disagreement]


def _answers(campaigns: list[int]) -> QuerySet:
    return AssessmentAnswer.objects.filter(response__campaign__in=campaigns).values_list(
        "response__campaign_id", "response_id", "response__category__code", "question__code", "level__extra"
    )


def _question_result(question: Item, form: Questionnaire, chosen: list[int]) -> QuestionResult:
    scale = form.scale_for(question)
    counts = {score: chosen.count(score) for score in set(chosen)}
    return QuestionResult(
        question=question,
        mean=_rounded(chosen),
        answered=len(chosen),
        distribution=[(level, counts.get(level.extra["score"], 0)) for level in scale],
    )


def _groups(rows, group_labels: dict[str, str]) -> list[Group]:
    respondents: dict[str, set[int]] = defaultdict(set)
    for _campaign, response, group, _question, _level in rows:
        respondents[group].add(response)
    order = list(group_labels)
    return [
        Group(code, group_labels.get(code, code), len(respondents[code]))
        for code in sorted(respondents, key=lambda code: order.index(code) if code in order else len(order))
    ]


def campaign_results(campaign: AssessmentCampaign) -> CampaignResults:
    """The campaign's results in five queries (questions, scales, groups, answers, nothing more)."""
    form = questionnaire(campaign.version)
    group_labels = {
        item.code: item.label
        for item in Item.objects.filter(version=campaign.version, grid__code="actor_category")
    }
    rows = list(_answers([campaign.pk]))
    scores: dict[str, list[int]] = defaultdict(list)
    by_group: dict[tuple[str, str], list[int]] = defaultdict(list)
    for _campaign, _response, group, question, level in rows:
        scores[question].append(level["score"])
        by_group[group, question].append(level["score"])
    groups = _groups(rows, group_labels)
    key_actions = [_question_result(q, form, scores[q.code]) for q in form.of_grid("key_action")]
    spread = []
    for result in key_actions:
        means = [_rounded(by_group[group.code, result.question.code]) for group in groups]
        given = [value for value in means if value is not None]
        spread.append(
            SpreadRow(result.question, means, round(max(given) - min(given), 2) if len(given) >= 2 else None)
        )
    return CampaignResults(
        campaign=campaign,
        respondents=len({response for _c, response, *_rest in rows}),
        groups=groups,
        key_actions=key_actions,
        checklist=[
            _question_result(q, form, scores[q.code])
            for grid in ("stop", "start")
            for q in form.of_grid(grid)
        ],
        spread=spread,
    )


@dataclass(frozen=True)
class HistoryRow:
    code: str
    label: str
    means: list[float | None]  # one per campaign of `History.campaigns`


@dataclass(frozen=True)
class History:
    campaigns: list[AssessmentCampaign]
    key_actions: list[HistoryRow]
    overall: list[float | None]


def assessment_history(campaigns: QuerySet[AssessmentCampaign]) -> History:
    """The mean level of each key action in each closed campaign of `campaigns`, oldest first,
    compared by code across référentiel versions; labels are the current ones."""
    closed = list(campaigns.filter(status=CampaignStatus.CLOSED).order_by("opened_on", "id"))
    scores: dict[tuple[int, str], list[int]] = defaultdict(list)
    for campaign, _response, _group, question, level in _answers([campaign.pk for campaign in closed]):
        if question.startswith("K"):
            scores[campaign, question].append(level["score"])
    rows = [
        HistoryRow(item.code, item.label, [_rounded(scores[campaign.pk, item.code]) for campaign in closed])
        for item in referential_items("key_action")
    ]
    overall = [_rounded_means([row.means[index] for row in rows]) for index in range(len(closed))]
    return History(closed, rows, overall)


def radar_options(results: CampaignResults, *, name: str) -> dict:
    """ECharts options of the radar: one axis per key action (levels 1 to 5), the overall mean and
    one line per respondent group."""
    indicators = [{"name": r.question.code, "max": MATURITY_MAX, "min": 0} for r in results.key_actions]
    series = [{"name": _("All respondents"), "value": [r.mean or 0 for r in results.key_actions]}]
    for index, group in enumerate(results.groups):
        series.append({"name": group.label, "value": [row.means[index] or 0 for row in results.spread]})
    return {
        "aria": PAGE_ARIA,
        "legend": {"bottom": 0, "type": "scroll"},
        "tooltip": {"renderMode": "richText"},
        "radar": {"indicator": indicators, "radius": "62%"},
        "series": [{"name": name, "type": "radar", "data": series}],
    }


def posture_radar_options(results: CampaignResults) -> list[tuple[Item, dict]]:
    """One small radar per posture: its key actions, the overall mean."""
    charts = []
    for posture in results.postures:
        indicators = [{"name": r.question.code, "max": MATURITY_MAX, "min": 0} for r in posture.key_actions]
        values = [r.mean or 0 for r in posture.key_actions]
        data = [{"name": _("All respondents"), "value": values}]
        charts.append(
            (
                posture.posture,
                {
                    "aria": PAGE_ARIA,
                    "tooltip": {"renderMode": "richText"},
                    "radar": {"indicator": indicators, "radius": "60%"},
                    "series": [{"name": posture.posture.label, "type": "radar", "data": data}],
                },
            )
        )
    return charts


def history_options(history: History) -> dict:
    """ECharts options of the history: the overall mean and each key action, campaign after campaign."""
    labels = [campaign.title for campaign in history.campaigns]
    series = [{"name": _("Overall"), "type": "line", "data": history.overall, "lineStyle": {"width": 4}}]
    series += [{"name": row.code, "type": "line", "data": row.means} for row in history.key_actions]
    return {
        "aria": PAGE_ARIA,
        "legend": {"bottom": 0, "type": "scroll"},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "min": 0, "max": MATURITY_MAX, "interval": 1},
        "series": series,
    }


# Okabe & Ito's colour-blind-safe palette, from not started (warm) to achieved (cool).
PROGRESS_COLOURS = ["#D55E00", "#E69F00", "#56B4E9", "#0072B2"]


def checklist_options(results: CampaignResults) -> dict:
    """ECharts options of the stop / start checklist: one stacked bar per practice, one segment per
    level of progress, the number of respondents who chose it."""
    checklist = results.checklist
    levels = [level for level, _count in checklist[0].distribution] if checklist else []
    series = [
        {
            "type": "bar",
            "stack": "answers",
            "name": level.label,
            "itemStyle": {"color": PROGRESS_COLOURS[index % len(PROGRESS_COLOURS)]},
            "data": [result.distribution[index][1] for result in checklist],
        }
        for index, level in enumerate(levels)
    ]
    return {
        "aria": PAGE_ARIA,
        "grid": {"left": 8, "right": 16, "top": 56, "bottom": 8, "containLabel": True},
        "legend": {"top": 0, "type": "scroll"},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "value", "minInterval": 1, "name": _("Answers")},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [result.question.code for result in checklist],
        },
        "series": series,
    }
