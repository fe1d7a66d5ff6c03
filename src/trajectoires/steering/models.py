from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class JournalEntry(TimeStampedModel):
    """Continuous documentation (K10): what happened, dated, tagged by key action."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="journal_entries")
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"))
    body = models.TextField(_("what happened"), blank=True)
    key_actions = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("key actions"),
        blank=True,
        related_name="+",
        limit_choices_to={"grid__code": "key_action"},
    )
    visibility = visibility_field()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["territory", "-occurred_on"], name="journal_territory_date_idx")]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("steering:journal_entry", kwargs={"slug": self.territory.slug, "pk": self.pk})


class Vision(TimeStampedModel):
    """The territory's cap (K1, K3): where it wants to be in 10 to 20 years, and why.

    `version` counts the saves; each save also writes a `VisionVersion` with the whole text, so the
    history can be read and compared, and two people editing at once cannot overwrite each other.
    """

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="vision")
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"))
    statement = models.TextField(_("vision"))
    attachments = models.TextField(_("attachments (heritage, landscapes, identities)"), blank=True)
    stakes_to_lose = models.TextField(_("what is at stake to lose"), blank=True)
    stakes_to_gain = models.TextField(_("what is at stake to gain"), blank=True)
    visibility = visibility_field()
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("vision")

    def __str__(self) -> str:
        return f"{self.territory} — {self.horizon_year}"


class Orientation(models.Model):
    """An orientation of the vision, anchored in one or more essential needs (K3)."""

    vision = models.ForeignKey(Vision, on_delete=models.CASCADE, related_name="orientations")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    needs = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("essential needs"),
        related_name="+",
        limit_choices_to={"grid__code": "essential_need"},
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("orientation")

    def __str__(self) -> str:
        return self.title


class VisionVersion(models.Model):
    """One save of a vision: the whole text as it was, who saved it and why."""

    vision = models.ForeignKey(Vision, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason for the change"), max_length=300)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["vision", "number"], name="vision_version_unique")]
        verbose_name = _("vision version")

    def __str__(self) -> str:
        return f"{self.vision_id} v{self.number}"
