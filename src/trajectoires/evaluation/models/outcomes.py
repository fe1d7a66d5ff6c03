"""Outcome harvesting: who changed what, and the territory's contribution, substantiated by
independent people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class ChangeKind(models.TextChoices):
    BEHAVIOUR = "behaviour", _("Behaviour")
    RELATIONSHIP = "relationship", _("Relationship")
    ACTION = "action", _("Action")
    POLICY = "policy", _("Policy")
    PRACTICE = "practice", _("Practice")


class Valence(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class Outcome(TimeStampedModel):
    """Who changed what, when and where; why it matters; how the territory's work contributed —
    intended or not, positive or negative. Its author is the harvester."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="outcomes")
    who = models.CharField(_("who changed"), max_length=200)
    actor = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("actor of the map who changed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    change_kind = models.CharField(_("kind of change"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("what changed"))
    observed_on = models.DateField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    significance = models.TextField(_("why it is significant"))
    contribution = models.TextField(_("how the territory's work contributed"))
    intended = models.BooleanField(_("intended"), default=True)
    valence = models.CharField(_("positive or negative"), max_length=8, choices=Valence.choices)
    actions = models.ManyToManyField(
        "planning.Action", verbose_name=_("actions of the trajectory"), blank=True, related_name="outcomes"
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.who} — {self.description[:60]}"


class Agreement(models.TextChoices):
    AGREES = "agrees", _("Agrees")
    PARTLY = "partly", _("Partly agrees")
    DISAGREES = "disagrees", _("Disagrees")


class Substantiation(models.Model):
    """An independent person's view of an outcome: an actor of the map (not the harvester) who
    agrees, partly agrees or disagrees with it, and says why. It reads as its outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="substantiations")
    substantiator = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("independent person"),
        null=True,
        on_delete=models.SET_NULL,  # the view stays when the actor leaves the map
        related_name="substantiations",
    )
    agreement = models.CharField(_("agreement"), max_length=10, choices=Agreement.choices)
    comment = models.TextField(_("comment"))
    given_on = models.DateField(_("given on"))
    recorded_by = author_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "substantiator"],
                condition=models.Q(substantiator__isnull=False),
                name="substantiation_unique_person",
            )
        ]
        verbose_name = _("substantiation")
        verbose_name_plural = _("substantiations")

    def __str__(self) -> str:
        return f"{self.substantiator} — {self.get_agreement_display()}"
