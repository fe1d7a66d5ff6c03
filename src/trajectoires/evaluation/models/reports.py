"""Evaluation reports: the territory's evaluation for a period, told in one document (PDF) for an
audience — generated in the background, kept, and read as its audience."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


def _report_path(report: "EvaluationReport", filename: str) -> str:
    return f"reports/{report.territory_id}/{filename}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class EvaluationReport(models.Model):
    """A PDF of the evaluation of one period. Its `visibility` is its audience: it holds what a
    reader of that level may read, and only such readers read it."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="evaluation_reports")
    period = models.ForeignKey(
        "evaluation.ReportingPeriod",
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    visibility = visibility_field()
    language = models.CharField(_("language"), max_length=8, default="fr")
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to=_report_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    requested_by = author_field()
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    generation_seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")

    def __str__(self) -> str:
        return f"{self.territory} — {self.period}"
