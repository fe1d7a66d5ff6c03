"""The diagnostic sensible and its interviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory

# Diagnostic sensible (C1, F2) --------------------------------------------------------------------


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("diagnostic", "Draft")
    IN_PROGRESS = "in_progress", pgettext_lazy("diagnostic", "In progress")
    COMPLETED = "completed", pgettext_lazy("diagnostic", "Completed")
    VALIDATED = "validated", pgettext_lazy("diagnostic", "Validated by the team")


# The sections of the diagnostic, in the order it is read.
DIAGNOSTIC_SECTIONS = (
    ("context_history", _("Context and history")),
    ("actors_relations", _("Actors and their relations")),
    ("perceptions", _("Perceptions")),
    ("blockages", _("Blockages")),
    ("narratives", _("Narratives at work")),
    ("dynamics_levers", _("Dynamics and levers")),
)


class Diagnostic(TimeStampedModel):
    """A structured qualitative diagnostic of the territory, written from interviews with the people
    who live and act there. Interview notes are personal data: read only by the people the territory
    admin allows (`note_readers`, the admin always), pseudonymised in every export."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="diagnostics")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=DiagnosticStatus.choices, default=DiagnosticStatus.DRAFT
    )
    context_history = models.TextField(_("context and history"), blank=True)
    actors_relations = models.TextField(_("actors and their relations"), blank=True)
    perceptions = models.TextField(_("perceptions"), blank=True)
    blockages = models.TextField(_("blockages"), blank=True)
    narratives = models.TextField(_("narratives at work"), blank=True)
    dynamics_levers = models.TextField(_("dynamics and levers"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note_readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who may read the interview notes"),
        blank=True,
        related_name="+",
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("diagnostic sensible")
        verbose_name_plural = _("diagnostics sensibles")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        """Completed or validated: it can be shared with a funder."""
        return self.status in (DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED)


class DiagnosticShare(models.Model):
    """A finished diagnostic handed to a funder of the territory: its members read it (sections and
    pseudonymised interviews, never the notes)."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="shares")
    funder = models.ForeignKey(
        "accounts.Funder", verbose_name=_("funder"), on_delete=models.CASCADE, related_name="+"
    )
    shared_on = models.DateField(_("shared on"))
    shared_by = author_field()

    class Meta:
        ordering = ["shared_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "funder"], name="diagnostic_share_unique")
        ]
        verbose_name = _("diagnostic shared with a funder")

    def __str__(self) -> str:
        return f"{self.diagnostic} → {self.funder}"


class ConsentScope(models.TextChoices):
    TEAM_ONLY = "team_only", _("Notes used by the diagnostic team only")
    QUOTABLE = "quotable", _("May be quoted anonymously in the diagnostic")


class Interview(models.Model):
    """One interview of the diagnostic: who (a person of the map, or an anonymous profile), when, by
    whom, the consent given and its scope, the notes. Exports name it by its number only
    (« Entretien n° 3 »). Erased on request, it keeps its number and date and loses the rest."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="interviews")
    number = models.PositiveSmallIntegerField(_("number"))
    interviewee = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("person of the map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    profile = models.CharField(_("anonymous profile"), max_length=200, blank=True)
    interviewed_on = models.DateField(_("interviewed on"))
    interviewer = models.CharField(_("interviewed by"), max_length=200)
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_scope = models.CharField(
        _("scope of the consent"), max_length=10, choices=ConsentScope.choices, blank=True
    )
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    publishable = models.BooleanField(_("may be quoted"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    erased_on = models.DateField(_("erased on"), null=True, blank=True)
    recorded_by = author_field()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "number"], name="interview_unique_number")
        ]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.diagnostic} — {self.number}"
