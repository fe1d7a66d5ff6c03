"""A funder's area of competence and its programmes, with their eligibility rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder
from trajectoires.core.models import TimeStampedModel
from trajectoires.geo.models import Area

BUDGET_LINE_GRID = "budget_line_category"


class FunderArea(models.Model):
    """One area of a funder's competence (a Région's région, a Département's département…)."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="competence")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "area"], name="funder_area_unique")]
        verbose_name = _("area of competence")

    def __str__(self) -> str:
        return f"{self.funder_id} → {self.area_id}"


class Programme(TimeStampedModel):
    """A funding programme and its rules. Empty eligibility lists mean « no restriction »."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=220)
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open to new contracts"), default=True)
    territory_kinds = models.JSONField(_("eligible territory kinds"), default=list, blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("eligible areas"), related_name="+", blank=True)
    categories = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("eligible budget-line categories"),
        related_name="+",
        blank=True,
        limit_choices_to={"grid__code": BUDGET_LINE_GRID},
    )
    diagnostic_categories = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("categories that need a finished diagnostic sensible"),
        related_name="+",
        blank=True,
        limit_choices_to={"grid__code": BUDGET_LINE_GRID},
    )
    min_years = models.PositiveSmallIntegerField(_("minimum duration (years)"), default=3)
    max_years = models.PositiveSmallIntegerField(_("maximum duration (years)"), default=5)
    cofinancing_cap = models.DecimalField(
        _("co-financing cap (% of the contract)"), max_digits=5, decimal_places=2, default=100
    )

    class Meta:
        ordering = ["funder__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "slug"], name="programme_funder_slug_unique")
        ]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return self.name
