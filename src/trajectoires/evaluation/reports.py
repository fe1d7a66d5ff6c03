"""The evaluation report: the evaluation of one period as a PDF, for one audience.

The writers ask for it; it is generated in the background (`generate_report`, once the request's
transaction commits) from the same `evaluation_story` as the page, read as its audience reads — a
public report holds public records only — with its charts drawn as SVG, and WeasyPrint lays it
out. Its visibility is its audience: only readers of that level read it.
"""

import logging
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import audience_viewer, can_write_in_territory, visible_to
from trajectoires.territories.services import territory_scope

from .assessment_results import MATURITY_MAX
from .evaluation_story import EvaluationStory, evaluation_story
from .models import EvaluationReport, ReportingPeriod, ReportStatus
from .svg_charts import lines_svg, radar_svg

logger = logging.getLogger(__name__)


def readable_reports(viewer, territory: Territory) -> QuerySet[EvaluationReport]:
    return visible_to(EvaluationReport.objects.filter(territory=territory), viewer).select_related("period")


def access_report(viewer, territory: Territory, pk: int) -> EvaluationReport:
    report = readable_reports(viewer, territory).filter(pk=pk, status=ReportStatus.READY).first()
    if report is None:
        raise Http404
    return report


def report_request(
    *, actor: Any, territory: Territory, period: ReportingPeriod, audience: str = Visibility.PRIVATE
) -> EvaluationReport:
    """Ask for the report of `period` for `audience`; it is generated after the commit."""
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if period is None or period.territory_id != territory.pk:
        errors["period"] = [_("Choose a reporting period of this territory.")]
    if audience not in Visibility.values:
        errors["visibility"] = [_("Choose who the report is for.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = EvaluationReport.objects.create(
            territory=territory,
            period=period,
            visibility=audience,
            language=translation.get_language() or "fr",
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="evaluation_report.request",
            obj=report,
            scope=territory_scope(territory),
            changes={"period": [None, period.pk], "visibility": [None, audience]},
        )
        transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


def report_charts(story: EvaluationStory) -> dict[str, str]:
    """The SVG charts of the report: the radar of the last campaign, the history of campaigns."""
    charts: dict[str, str] = {}
    results = story.assessment
    if results is not None:
        series = [(_("All respondents"), [r.mean for r in results.key_actions])]
        series += [
            (group.label, [row.means[i] for row in results.spread]) for i, group in enumerate(results.groups)
        ]
        axes = [result.question.code for result in results.key_actions]
        charts["radar"] = radar_svg(axes, series, maximum=MATURITY_MAX, title=_("Self-assessment radar"))
    history = story.history
    if len(history.campaigns) > 1:
        series = [(_("Overall"), history.overall)] + [(row.code, row.means) for row in history.key_actions]
        labels = [campaign.title for campaign in history.campaigns]
        charts["history"] = lines_svg(
            labels, series, maximum=MATURITY_MAX, title=_("Self-assessment history")
        )
    return charts


def render_report_html(report: EvaluationReport) -> str:
    viewer = audience_viewer(report.territory, report.visibility)
    story = evaluation_story(viewer, report.territory, report.period)
    context = {
        "story": story,
        "report": report,
        "charts": report_charts(story),
        "generated_on": timezone.localdate(),
    }
    return render_to_string("evaluation/report_pdf.html", context)


def report_pdf(report: EvaluationReport) -> bytes:
    from weasyprint import HTML  # imported when a report is made: it loads Pango and its fonts

    with translation.override(report.language):
        html = render_report_html(report)
    return HTML(string=html).write_pdf()


@task
def generate_report(report_id: int) -> str:
    report = EvaluationReport.objects.select_related("territory", "period").filter(pk=report_id).first()
    if report is None:
        return "gone"
    started = time.perf_counter()
    try:
        pdf = report_pdf(report)
    except Exception:
        logger.exception("The evaluation report %s could not be generated", report_id)
        EvaluationReport.objects.filter(pk=report_id).update(status=ReportStatus.FAILED)
        return "failed"
    name = f"evaluation-{slugify(report.territory.name)}-{slugify(report.period.label)}-{report.pk}.pdf"
    report.file.save(name, ContentFile(pdf), save=False)
    report.size, report.status = len(pdf), ReportStatus.READY
    report.generated_at = timezone.now()
    report.generation_seconds = round(time.perf_counter() - started, 3)
    report.save(update_fields=["file", "size", "status", "generated_at", "generation_seconds"])
    return "ready"


def report_file_name(report: EvaluationReport) -> str:
    return f"evaluation-{slugify(report.territory.name)}-{slugify(report.period.label)}.pdf"
