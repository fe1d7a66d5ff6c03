import datetime

from django.urls import reverse

from trajectoires.evaluation.reports import report_request
from trajectoires.evaluation.stories import period_save

from . import RecordCase


def _report(territory, visibility, author):
    """A report of a period for `visibility` as its audience, asked for by the territory admin (it
    stays « being generated »: its page, its record in the API and its history are the same)."""
    period = period_save(
        actor=author,
        territory=territory,
        label=f"Printemps 2026 ({visibility})",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    return report_request(actor=author, territory=territory, period=period, audience=visibility)


CASES = [
    RecordCase(
        name="evaluation report",
        create=_report,
        read_url=lambda report: reverse("evaluation:report", args=[report.territory.slug, report.pk]),
        # Asking again for the report of its period: the writers' page.
        write_url=lambda report: (
            reverse("evaluation:report_new", args=[report.territory.slug]) + f"?periode={report.period_id}"
        ),
        api_url=lambda report: f"/api/v1/territories/{report.territory.slug}/evaluation-reports/{report.pk}",
        title=lambda report: f"Évaluation de {report.territory.name} — {report.period.label}",
    ),
]
