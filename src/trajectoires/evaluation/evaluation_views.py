"""The evaluation page of a reporting period and its PDF reports.

- The page tells the period in the order of `evaluation_story` (S4): the stories selected first,
  then the systemic effects, the outcomes observed, the self-assessment and its history, the
  indicators — beside the story, never alone — and the celebrations. It reads everything as its
  viewer may; each section leads to its own pages (those that exist: `SECTION_PAGES`).
- Periods hold no private content: every reader sees them, and chooses one (`?periode=<id>`, the
  latest by default). A territory without periods gets an empty state that says where they are
  defined — with the stories of change.
- The writers (admin, editor) ask for a report of the period for an audience; it is generated in
  the background and listed, with its status, to those who may read it. A report is downloaded only
  when it is ready; one the viewer may not read answers 404 like a missing one.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from trajectoires.core.form_pages import saved_through
from trajectoires.core.uploads import file_download
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .assessment_results import DISAGREEMENT, radar_options
from .evaluation_story import evaluation_story, territory_periods_readable
from .models import EvaluationReport, ReportingPeriod, ReportStatus
from .reports import access_report, readable_reports, report_file_name, report_request

# The index page of each section, by the name the template gives it. Only those that resolve are
# linked: a section whose pages do not exist shows no link.
SECTION_PAGES = {
    "stories": "stories:index",
    "effects": "effects:index",
    "outcomes": "outcomes:index",
    "assessments": "assessments:index",
    "indicators": "indicators:index",
    "celebrations": "celebrations:list",
}
REPORT_STATUS = {
    ReportStatus.PENDING: pgettext_lazy("evaluation report", "Being generated"),
    ReportStatus.READY: pgettext_lazy("evaluation report", "Ready"),
    ReportStatus.FAILED: pgettext_lazy("evaluation report", "Failed"),
}
PDF = "application/pdf"


@dataclass(frozen=True)
class ReportRow:
    report: EvaluationReport
    status: str

    @property
    def is_ready(self) -> bool:
        return self.report.status == ReportStatus.READY


def report_rows(reports) -> list[ReportRow]:
    return [ReportRow(report, str(REPORT_STATUS[report.status])) for report in reports]


def section_links(slug: str) -> dict[str, str]:
    links = {}
    for section, name in SECTION_PAGES.items():
        try:
            links[section] = reverse(name, args=[slug])
        except NoReverseMatch:
            continue
    return links


def chosen_period(territory: Territory, given: str | None) -> ReportingPeriod | None:
    """The period asked for (a 404 when it is not one of the territory's), else the latest."""
    periods = territory_periods_readable(territory)
    if not given:
        return periods.first()
    if not given.isdigit() or len(given) > 12:
        raise Http404
    period = periods.filter(pk=int(given)).first()
    if period is None:
        raise Http404
    return period


def evaluation_url(territory: Territory, period_id: int) -> str:
    url = reverse("evaluation:index", args=[territory.slug])
    return f"{url}?periode={period_id}"


# The form of a report ----------------------------------------------------------------------------


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, period: ReportingPeriod) -> str:
        return period.label


class ReportForm(forms.Form):
    period = PeriodChoice(
        label=gettext_lazy("Reporting period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )
    # Named as the service names it in its refusals: the report's visibility is its audience.
    visibility = forms.ChoiceField(
        label=gettext_lazy("Audience"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        help_text=gettext_lazy(
            "The report holds what its audience may read: a public report holds public records only, "
            "a report for the team holds everything."
        ),
    )

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = territory_periods_readable(territory)


# The pages ---------------------------------------------------------------------------------------


def evaluation_page(request, slug: str):
    territory = territory_get(slug)
    period = chosen_period(territory, request.GET.get("periode"))
    user = request.user
    can_request = can_write_in_territory(user, territory)
    context = {
        "territory": territory,
        "period": period,
        "periods": list(territory_periods_readable(territory)),
        "links": section_links(territory.slug),
        "can_request": can_request,
        "can_frame": can_request,
    }
    if period is not None:
        story = evaluation_story(user, territory, period)
        results = story.assessment
        answered = results is not None and results.respondents > 0
        context |= {
            "story": story,
            "radar_chart": radar_options(results, name=story.campaign.title) if answered else None,
            "key_action_rows": results.table if answered else [],
            "disagreement": DISAGREEMENT,
            "history": story.history if story.history.campaigns else None,
            "report_form": ReportForm(territory=territory, initial={"period": period.pk}),
            "reports": report_rows(readable_reports(user, territory)),
        }
    return render(request, "evaluation/evaluation.html", context)


@login_required
def report_new(request, slug: str):
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    given = request.GET.get("periode")
    period = chosen_period(territory, given) if given else None
    initial = {"period": period.pk} if period else {}
    form = ReportForm(request.POST or None, territory=territory, initial=initial)

    def save():
        values = form.cleaned_data
        return report_request(
            actor=request.user, territory=territory, period=values["period"], audience=values["visibility"]
        )

    if saved := saved_through(request, form, save):
        messages.success(
            request, _("The report was requested: it is being generated and will be ready in a moment.")
        )
        return redirect(evaluation_url(territory, saved.period_id) + "#reports-title")
    has_periods = form.fields["period"].queryset.exists()
    context = {"territory": territory, "form": form, "period": period, "has_periods": has_periods}
    return render(request, "evaluation/report_form.html", context)


def report_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    report = readable_reports(request.user, territory).filter(pk=pk).first()
    if report is None:
        raise Http404
    context = {
        "territory": territory,
        "row": report_rows([report])[0],
        "report": report,
        "evaluation_url": evaluation_url(territory, report.period_id),
    }
    return render(request, "evaluation/report.html", context)


def report_download(request, slug: str, pk: int):
    report = access_report(request.user, territory_get(slug), pk)
    return file_download(report.file, name=report_file_name(report), content_type=PDF)
