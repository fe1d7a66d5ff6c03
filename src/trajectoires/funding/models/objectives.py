"""Objectives with versions (F10): a re-adjustment keeps the text before and after, its reason and
what was learnt, and takes effect once every co-funder agrees; « abandoned — lesson learnt » is an
outcome that counts as learning, not as failure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.accounts.models import Funder

from .contracts import Contract


class ObjectiveOutcome(models.TextChoices):
    ACHIEVED = "achieved", pgettext_lazy("objective", "Achieved")
    PARTLY = "partly", pgettext_lazy("objective", "Partly achieved")
    LESSON = "lesson", pgettext_lazy("objective", "Abandoned — lesson learnt")


class Objective(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"))
    orientations = models.ManyToManyField(
        "steering.Orientation", verbose_name=_("orientations"), related_name="+", blank=True
    )
    key_actions = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("key actions"),
        related_name="+",
        blank=True,
        limit_choices_to={"grid__code": "key_action"},
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ObjectiveOutcome.choices, blank=True)
    outcome_note = models.TextField(_("what the outcome teaches"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("objective")

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.position}"


class ObjectiveVersion(models.Model):
    """One wording of an objective. Version 1 is agreed with the contract; a later one is a
    re-adjustment, in force once every co-funder has agreed (`agreed_at`)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    statement = models.TextField(_("objective"))
    target = models.CharField(_("target"), max_length=300, blank=True)
    reason = models.TextField(_("reason for the re-adjustment"), blank=True)
    learning = models.TextField(_("what was learnt"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)

    class Meta:
        ordering = ["objective", "number"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="objective_version_unique")
        ]
        verbose_name = _("objective version")

    def __str__(self) -> str:
        return f"{self.objective_id} v{self.number}"


class ObjectiveAgreement(models.Model):
    """A co-funder's agreement to a re-adjustment."""

    version = models.ForeignKey(ObjectiveVersion, on_delete=models.CASCADE, related_name="agreements")
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "funder"], name="objective_agreement_unique")
        ]
        verbose_name = _("agreement")

    def __str__(self) -> str:
        return f"{self.funder_id} agrees {self.version_id}"
