"""What each co-funder requires of a contract (F6, C5): reporting dates and formats, indicators
with their definitions, budget-line categories required or excluded, and its share of the
contract — recorded so that contradictions and duplicate burdens between funders are found."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder

from .contracts import Contract
from .programmes import BUDGET_LINE_GRID


class RequirementKind(models.TextChoices):
    REPORT = "report", _("Annual report (date and format)")
    INDICATOR = "indicator", _("Indicator asked")
    CATEGORY_REQUIRED = "category_required", _("Budget-line category required")
    CATEGORY_EXCLUDED = "category_excluded", _("Budget-line category excluded")
    MIN_SHARE = "min_share", _("Minimum share of the contract")
    MAX_SHARE = "max_share", _("Co-financing cap (maximum share)")


class ReportFormat(models.TextChoices):
    PLATFORM = "platform", _("The shared report on the platform")
    PDF = "pdf", _("A PDF document")
    SPREADSHEET = "spreadsheet", _("A spreadsheet")
    OWN_FORM = "own_form", _("The funder’s own form")


class Requirement(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="requirements")
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices)
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    report_format = models.CharField(_("format"), max_length=12, choices=ReportFormat.choices, blank=True)
    indicator = models.SlugField(_("indicator code"), max_length=80, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    category = models.ForeignKey(
        "referential.Item",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": BUDGET_LINE_GRID},
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "funder__name", "id"]
        verbose_name = _("co-funder requirement")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.funder_id})"
