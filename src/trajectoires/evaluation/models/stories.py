"""Stories of change (Most Significant Change): domains, periods, stories, selection rounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory

# Stories of change (Most Significant Change) -----------------------------------------------------


class ChangeDomain(models.Model):
    """A domain in which the territory looks for change (« coopération entre communes », « vie
    quotidienne »…): stories are collected and selected per domain."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="change_domains")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="change_domain_unique_name")
        ]
        verbose_name = _("domain of change")
        verbose_name_plural = _("domains of change")

    def __str__(self) -> str:
        return self.name


class ReportingPeriod(models.Model):
    """A period over which stories are collected, then selected."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="reporting_periods")
    label = models.CharField(_("label"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "label"], name="reporting_period_unique_label")
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.label


class ChangeStory(TimeStampedModel):
    """A story of change told by someone who lived it: what happened and why it matters to them.
    The teller consents to it being told and chooses to be named or anonymous; the collector writes
    it down; the team may verify it and gives the teller feedback once stories are selected."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="change_stories")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="stories"
    )
    domain = models.ForeignKey(
        ChangeDomain, verbose_name=_("domain of change"), on_delete=models.PROTECT, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=200)
    teller_name = models.CharField(_("teller"), max_length=200, blank=True)
    teller = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("teller on the map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymous = models.BooleanField(_("the teller stays anonymous"), default=True)
    consent_given = models.BooleanField(_("the teller consents to the story being told"), default=False)
    collector = models.CharField(_("collected by"), max_length=200)
    collected_on = models.DateField(_("collected on"))
    what_happened = models.TextField(_("what happened"))
    why_significant = models.TextField(_("why it is significant to the teller"))
    actors = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("actors involved"), blank=True, related_name="change_stories"
    )
    actions = models.ManyToManyField(
        "planning.Action",
        verbose_name=_("actions of the trajectory"),
        blank=True,
        related_name="change_stories",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification = models.TextField(_("how it was verified"), blank=True)
    feedback = models.TextField(_("feedback given to the teller"), blank=True)
    feedback_given_on = models.DateField(_("feedback given on"), null=True, blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-collected_on", "-id"]
        verbose_name = _("story of change")
        verbose_name_plural = _("stories of change")

    def __str__(self) -> str:
        return self.title


class SelectionRound(TimeStampedModel):
    """A panel reads the stories of a period (and domain) and selects the most significant one,
    writing down why — and the dissent, when members disagreed."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="selection_rounds")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="rounds"
    )
    domain = models.ForeignKey(
        ChangeDomain,
        verbose_name=_("domain of change"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    panel = models.TextField(_("panel members"))
    panel_actors = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("panel members on the map"), blank=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    considered = models.ManyToManyField(
        ChangeStory, verbose_name=_("stories considered"), related_name="considered_in"
    )
    selected = models.ForeignKey(
        ChangeStory,
        verbose_name=_("story selected"),
        on_delete=models.PROTECT,
        related_name="selected_in",
    )
    reasons = models.TextField(_("why this story"))
    dissent = models.TextField(_("dissent"), blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self) -> str:
        return f"{self.period} — {self.held_on}"
