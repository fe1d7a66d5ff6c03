"""A territory's evaluation of a reporting period, and its PDF reports, with the same rights and
rules as the pages.

- The evaluation of a period is told in the order of the page (S4): the stories selected, with the
  panel's reasons; the systemic effects with their evidence; the outcomes observed; the
  self-assessment closed by the end of the period and the history of campaigns; the indicators of
  the period; the celebrations. Each part holds only what the caller may read: a teller is named as
  the pages name them (an anonymous teller to the team only), evidence is listed by the ids of the
  records the caller reads.
- The writers (admin, editor) ask for a report of a period for an audience — its visibility: a
  public report holds public records only. It is generated in the background (`status` « pending »,
  then « ready » or « failed »); its PDF is downloaded once it is ready.
- A forbidden record or write answers exactly like a missing one (404); a report not yet ready has
  no PDF (404).
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.uploads import file_download
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.evaluation_story import (
    EvaluationStory,
    evaluation_story,
    territory_periods_readable,
)
from trajectoires.evaluation.models import (
    ChangeKind,
    EffectLevel,
    EvaluationReport,
    ReportStatus,
    Valence,
)
from trajectoires.evaluation.reports import access_report, readable_reports, report_file_name, report_request
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .assessments import CampaignHistoryOut, history_out
from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .change_frame import ReportingPeriodOut
from .errors import error_responses, service_call
from .journal import FILE_RESPONSE
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["evaluation"])
EVALUATION = "/{slug:slug}/reporting-periods/{int:pk}/evaluation"
REPORTS = "/{slug:slug}/evaluation-reports/"
REPORT = REPORTS + "{int:pk}"
ID = {"ge": 1, "le": 2**63 - 1}


# Answers -----------------------------------------------------------------------------------------


class EvaluationRoundOut(Schema):
    id: int
    held_on: datetime.date
    reasons: str = Field(description="Why the panel selected the story.")
    dissent: str


class EvaluationSelectedStoryOut(Schema):
    id: int
    title: str
    teller: str = Field(
        description="Who told it, as the caller may know: an anonymous teller is named to the team only."
    )
    domain: str = Field(description="The name of its domain of change.")
    collected_on: datetime.date
    what_happened: str
    why_significant: str
    rounds: list[EvaluationRoundOut] = Field(description="The rounds of the period that selected it.")


class EvaluationStoryRef(Schema):
    id: int
    title: str
    domain: str = Field(description="The name of its domain of change.")


class EvaluationEffectOut(Schema):
    code: str = Field(description="cooperation, posture or resilience.")
    label: str
    level: EffectLevel | None = Field(description="Null when the effect is not assessed for the period.")
    reasoning: str
    stories: list[int] = Field(description="Ids of the stories behind it the caller may read.")
    outcomes: list[int] = Field(description="Ids of the outcomes behind it the caller may read.")
    network_round: int | None = Field(description="The id of the round of the cooperation network, if any.")


class EvaluationOutcomeOut(Schema):
    id: int
    who: str
    change_kind: ChangeKind
    description: str
    observed_on: datetime.date
    significance: str
    contribution: str
    intended: bool
    valence: Valence


class EvaluationKeyActionOut(Schema):
    code: str
    label: str
    mean: float | None = Field(description="The mean level (1 to 5) of all respondents; null when none.")
    disagreement: bool = Field(description="Whether the respondent groups are far apart on it.")


class EvaluationAssessmentOut(Schema):
    campaign: int = Field(description="The id of the last campaign closed by the end of the period.")
    title: str
    closed_on: datetime.date | None
    respondents: int
    overall: float | None = Field(description="The mean of the key actions' means.")
    key_actions: list[EvaluationKeyActionOut]


class EvaluationIndicatorOut(Schema):
    id: int
    name: str
    unit: str = Field(description="The unit as it is written (t CO2e, €, %, or the indicator's own).")
    target: float | None = Field(description="The period's target; null when none.")
    actual: float | None = Field(description="The period's actual value; null when none.")
    comment: str


class EvaluationCelebrationOut(Schema):
    id: int
    title: str
    achieved_on: datetime.date
    achievement: str


class EvaluationOut(Schema):
    territory: str = Field(description="The territory's slug.")
    period: ReportingPeriodOut
    selected: list[EvaluationSelectedStoryOut] = Field(description="The stories of change selected.")
    other_stories: list[EvaluationStoryRef] = Field(description="Collected over the period, not selected.")
    effects: list[EvaluationEffectOut] = Field(description="The three systemic effects.")
    outcomes: list[EvaluationOutcomeOut] = Field(description="Observed during the period, latest first.")
    self_assessment: EvaluationAssessmentOut | None = Field(
        description="Null when no campaign the caller reads was closed by the end of the period."
    )
    history: CampaignHistoryOut
    indicators: list[EvaluationIndicatorOut] = Field(description="Beside the story, never alone.")
    celebrations: list[EvaluationCelebrationOut]


class EvaluationReportOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    period: int = Field(description="The id of its reporting period.")
    visibility: Visibility = Field(
        description="Its audience: it holds what they may read, and only they read it."
    )
    status: ReportStatus
    language: str
    size: int = Field(description="The size of the PDF in bytes; 0 until it is ready.")
    requested_at: datetime.datetime
    generated_at: datetime.datetime | None
    generation_seconds: float | None
    pdf: str | None = Field(description="The address of the PDF once it is ready; null before.")


class EvaluationReportListOut(PageOut):
    results: list[EvaluationReportOut]


class EvaluationReportQuery(Schema):
    period: int | None = Field(None, description="Only the reports of this reporting period (id).", **ID)


class EvaluationReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int = Field(description="The id of a reporting period of the territory.", **ID)
    visibility: Visibility = Field(
        Visibility.PRIVATE,
        description="Who the report is for: a public report holds public records only.",
    )


# Serialising -------------------------------------------------------------------------------------


def _number(value) -> float | None:
    return None if value is None else float(value)


def _assessment_out(story: EvaluationStory) -> dict[str, Any] | None:
    results, campaign = story.assessment, story.campaign
    if results is None or campaign is None:
        return None
    return {
        "campaign": campaign.pk,
        "title": campaign.title,
        "closed_on": campaign.closed_on,
        "respondents": results.respondents,
        "overall": results.overall,
        "key_actions": [
            {
                "code": result.question.code,
                "label": result.question.label,
                "mean": result.mean,
                "disagreement": row.disagreement,
            }
            for result, row in results.table
        ],
    }


def _evaluation_out(story: EvaluationStory) -> dict[str, Any]:
    period, history = story.period, story.history
    return {
        "territory": story.territory.slug,
        "period": {
            "id": period.pk,
            "label": period.label,
            "starts_on": period.starts_on,
            "ends_on": period.ends_on,
        },
        "selected": [
            {
                "id": item.story.pk,
                "title": item.story.title,
                "teller": item.teller,
                "domain": item.story.domain.name,
                "collected_on": item.story.collected_on,
                "what_happened": item.story.what_happened,
                "why_significant": item.story.why_significant,
                "rounds": [
                    {
                        "id": selection.pk,
                        "held_on": selection.held_on,
                        "reasons": selection.reasons,
                        "dissent": selection.dissent,
                    }
                    for selection in item.rounds
                ],
            }
            for item in story.selected
        ],
        "other_stories": [
            {"id": other.pk, "title": other.title, "domain": other.domain.name}
            for other in story.other_stories
        ],
        "effects": [
            {
                "code": row.effect.code,
                "label": row.effect.label,
                "level": row.assessment.level if row.assessment else None,
                "reasoning": row.assessment.reasoning if row.assessment else "",
                "stories": [evidence.pk for evidence in row.stories],
                "outcomes": [outcome.pk for outcome in row.outcomes],
                "network_round": row.network_round.pk if row.network_round else None,
            }
            for row in story.effects
        ],
        "outcomes": [
            {
                "id": outcome.pk,
                "who": outcome.who,
                "change_kind": outcome.change_kind,
                "description": outcome.description,
                "observed_on": outcome.observed_on,
                "significance": outcome.significance,
                "contribution": outcome.contribution,
                "intended": outcome.intended,
                "valence": outcome.valence,
            }
            for outcome in story.outcomes
        ],
        "self_assessment": _assessment_out(story),
        "history": history_out(history),
        "indicators": [
            {
                "id": row.indicator.pk,
                "name": row.indicator.name,
                "unit": row.indicator.unit_label,
                "target": _number(row.value.target) if row.value else None,
                "actual": _number(row.value.actual) if row.value else None,
                "comment": row.value.comment if row.value else "",
            }
            for row in story.indicators
        ],
        "celebrations": [
            {
                "id": celebration.pk,
                "title": celebration.title,
                "achieved_on": celebration.achieved_on,
                "achievement": celebration.achievement,
            }
            for celebration in story.celebrations
        ],
    }


def report_title(report: EvaluationReport) -> str:
    return _("Evaluation of %(territory)s — %(period)s") % {
        "territory": report.territory.name,
        "period": report.period.label,
    }


def _report_out(request: HttpRequest, report: EvaluationReport) -> dict[str, Any]:
    ready = report.status == ReportStatus.READY
    path = reverse(
        "api-v1:download_evaluation_report", kwargs={"slug": report.territory.slug, "pk": report.pk}
    )
    return {
        "id": report.pk,
        "territory": report.territory.slug,
        "title": report_title(report),
        "period": report.period_id,
        "visibility": report.visibility,
        "status": report.status,
        "language": report.language,
        "size": report.size,
        "requested_at": report.requested_at,
        "generated_at": report.generated_at,
        "generation_seconds": report.generation_seconds,
        "pdf": request.build_absolute_uri(path) if ready else None,
    }


def _reports(viewer, territory: Territory):
    return readable_reports(viewer, territory).select_related("territory")


# The evaluation ----------------------------------------------------------------------------------


@router.get(
    EVALUATION,
    response={200: EvaluationOut, **error_responses(401, 404)},
    summary="Read the evaluation of a reporting period",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_evaluation(request: HttpRequest, slug: str, pk: int):
    """The period's evaluation, as the caller may read it, in the order the page tells it."""
    territory = territory_get(slug)
    period = territory_periods_readable(territory).filter(pk=pk).first()
    if period is None:
        raise Http404
    return _evaluation_out(evaluation_story(request.user, territory, period))


# Reports -----------------------------------------------------------------------------------------


@router.get(
    REPORTS,
    response={200: EvaluationReportListOut, **error_responses(401, 404, 422)},
    summary="List a territory's evaluation reports",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_reports(
    request: HttpRequest, slug: str, pages: Query[PageQuery], filters: Query[EvaluationReportQuery]
):
    """The reports the caller may read, latest requested first, whatever their status."""
    reports = _reports(request.user, territory_get(slug))
    if filters.period is not None:
        reports = reports.filter(period_id=filters.period)
    return paginate(request, reports, pages, lambda report: _report_out(request, report))


@router.get(
    REPORT,
    response={200: EvaluationReportOut, **error_responses(401, 404)},
    summary="Read an evaluation report: its period, audience and status",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_report(request: HttpRequest, slug: str, pk: int):
    report = _reports(request.user, territory_get(slug)).filter(pk=pk).first()
    if report is None:
        raise Http404
    return _report_out(request, report)


@router.get(
    REPORT + "/pdf",
    response={**error_responses(401, 404)},
    summary="Download an evaluation report's PDF, once it is ready",
    openapi_extra=ANONYMOUS_ALLOWED | FILE_RESPONSE,
    url_name="download_evaluation_report",
)
def download_report(request: HttpRequest, slug: str, pk: int):
    report = access_report(request.user, territory_get(slug), pk)
    return file_download(report.file, name=report_file_name(report), content_type="application/pdf")


@router.post(
    REPORTS,
    auth=SIGNED_IN,
    response={201: EvaluationReportOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Ask for the PDF report of a period, for an audience (admins, editors)",
)
def request_report(request: HttpRequest, slug: str, payload: EvaluationReportIn):
    """The report is generated in the background: it answers « pending », and is « ready » in a
    moment (read it again, or list the reports)."""
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    period = territory_periods_readable(territory).filter(pk=payload.period).first()
    report = service_call(
        lambda: report_request(
            actor=request.user, territory=territory, period=period, audience=payload.visibility
        )
    )
    stored = _reports(request.user, territory).filter(pk=report.pk).first()
    return Status(201, _report_out(request, stored or report))
