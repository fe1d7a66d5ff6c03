"""Systemic effects (C4) and indicators (S4): for each reporting period, how cooperation, posture
and resilience moved — on a qualitative scale, backed by evidence and reasoning — and the figures
that sit beside them, never alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class EffectLevel(models.TextChoices):
    """How an effect moved over the period, from worse to better."""

    RECEDING = "receding", _("Receding")
    UNCHANGED = "unchanged", _("Unchanged")
    EMERGING = "emerging", _("Emerging")
    GROWING = "growing", _("Growing")
    TRANSFORMING = "transforming", _("Transforming the territory")


class EffectAssessment(TimeStampedModel):
    """One systemic effect (an item of the référentiel's `systemic_effect` grid) over one period:
    its level, the reasoning written out, and the evidence — stories, outcomes, and for cooperation
    a round of the cooperation network with its measures."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="effect_assessments")
    period = models.ForeignKey(
        "evaluation.ReportingPeriod",
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="effect_assessments",
    )
    effect = models.ForeignKey(
        "referential.Item",
        verbose_name=_("systemic effect"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "systemic_effect"},
    )
    level = models.CharField(_("level"), max_length=12, choices=EffectLevel.choices)
    reasoning = models.TextField(_("reasoning"))
    stories = models.ManyToManyField(
        "evaluation.ChangeStory",
        verbose_name=_("stories of change"),
        blank=True,
        related_name="effect_assessments",
    )
    outcomes = models.ManyToManyField(
        "evaluation.Outcome", verbose_name=_("outcomes"), blank=True, related_name="effect_assessments"
    )
    network_round = models.ForeignKey(
        "cooperation.SurveyRound",
        verbose_name=_("round of the cooperation network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["period", "effect__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "effect"], name="effect_assessment_unique_period_effect"
            )
        ]
        verbose_name = _("systemic effect assessment")
        verbose_name_plural = _("systemic effect assessments")

    def __str__(self) -> str:
        return f"{self.period} — {self.effect.code}"


class IndicatorUnit(models.TextChoices):
    TCO2E = "tco2e", _("tCO2e")
    EURO = "eur", _("€")
    CUBIC_METRE = "m3", _("m³")
    KILOMETRE = "km", _("km")
    PERCENT = "percent", _("%")
    CUSTOM = "custom", _("Other unit")


class Indicator(TimeStampedModel):
    """A quantitative indicator of the territory, always read beside the qualitative evaluation."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=8, choices=IndicatorUnit.choices)
    custom_unit = models.CharField(_("other unit"), max_length=40, blank=True)
    description = models.TextField(_("what it measures and how"), blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="indicator_unique_name")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def unit_label(self) -> str:
        return self.custom_unit if self.unit == IndicatorUnit.CUSTOM else str(self.get_unit_display())


class IndicatorValue(models.Model):
    """The target and the actual value of an indicator over one period, in the indicator's unit."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(
        "evaluation.ReportingPeriod",
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = author_field()

    class Meta:
        ordering = ["period__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="indicator_value_unique_period")
        ]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period}"
