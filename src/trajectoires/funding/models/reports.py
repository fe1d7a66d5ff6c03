"""One annual report per contract and year, for every co-funder (« un rapport, tous les
financeurs »): qualitative first — the territory's own words, then the stories of change, systemic
effects, journal highlights and celebrations it picks — then the objectives, the budget executed and
the indicators. Submitted once, received by every co-funder, who comments and accepts it or asks for
changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.accounts.models import Funder

from .contracts import Contract


class ContractReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Being written")
    SUBMITTED = "submitted", pgettext_lazy("report", "Submitted to the co-funders")
    CHANGES = "changes", pgettext_lazy("report", "Changes asked")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted by every co-funder")


class ContractReport(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year reported on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ContractReportStatus.choices, default=ContractReportStatus.DRAFT
    )
    narrative = models.TextField(_("what changed this year, in the territory’s words"), blank=True)
    stories = models.ManyToManyField(
        "evaluation.ChangeStory", verbose_name=_("stories of change"), related_name="+", blank=True
    )
    effects = models.ManyToManyField(
        "evaluation.EffectAssessment", verbose_name=_("systemic effects"), related_name="+", blank=True
    )
    journal_entries = models.ManyToManyField(
        "steering.JournalEntry", verbose_name=_("journal highlights"), related_name="+", blank=True
    )
    celebrations = models.ManyToManyField(
        "steering.Celebration", verbose_name=_("celebrations"), related_name="+", blank=True
    )
    objectives_progress = models.TextField(_("progress on the objectives"), blank=True)
    budget_comment = models.TextField(_("comment on the budget executed"), blank=True)
    indicators = models.ManyToManyField(
        "evaluation.Indicator", verbose_name=_("indicators"), related_name="+", blank=True
    )
    submission = models.PositiveSmallIntegerField(_("submission"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="contract_report_year_unique")
        ]
        verbose_name = _("annual report")

    def __str__(self) -> str:
        return f"{self.contract} — {self.year}"


class ReviewDecision(models.TextChoices):
    COMMENT = "comment", _("Comment")
    ACCEPT = "accept", _("Accept the report")
    CHANGES = "changes", _("Ask for changes")


class ReportReview(models.Model):
    """A co-funder's reading of one submission: a comment, an acceptance or a request for changes."""

    report = models.ForeignKey(ContractReport, on_delete=models.CASCADE, related_name="reviews")
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    submission = models.PositiveSmallIntegerField(_("submission"))
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("review of a report")

    def __str__(self) -> str:
        return f"{self.funder_id} {self.decision} {self.report_id}"
