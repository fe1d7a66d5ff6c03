import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class EntryType(models.TextChoices):
    EVENT = "event", _("Event")
    DECISION = "decision", _("Decision")
    MEETING = "meeting", _("Meeting")
    DIFFICULTY = "difficulty", _("Difficulty")
    SUCCESS = "success", _("Success")
    LEARNING = "learning", _("Lesson learnt")
    OTHER = "other", _("Other")


class JournalEntry(TimeStampedModel):
    """Continuous documentation (K10): what happened, dated, typed, tagged by key actions, needs
    and actors. `search_document` holds the French stems of its words, for full-text search."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="journal_entries")
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"))
    entry_type = models.CharField(
        _("type"), max_length=12, choices=EntryType.choices, default=EntryType.EVENT
    )
    body = models.TextField(_("what happened"), blank=True)
    needs = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("essential needs"),
        blank=True,
        related_name="+",
        limit_choices_to={"grid__code": "essential_need"},
    )
    actors = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("actors"), blank=True, related_name="journal_entries"
    )
    search_document = models.TextField(editable=False, blank=True, default="")
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


def _upload_path(instance, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never used as a path.
    return f"territories/{instance.territory_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a journal entry; its type and size were checked on upload, and it is
    served only to those who may read the entry."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="attachments")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.name


class Celebration(TimeStampedModel):
    """An intermediate victory worth celebrating (F9): what was achieved, when, with whom."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="celebrations")
    title = models.CharField(_("title"), max_length=200)
    achieved_on = models.DateField(_("date"))
    achievement = models.TextField(_("what was achieved"))
    participants = models.TextField(_("who took part"), blank=True)
    actors = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("actors"), blank=True, related_name="celebrations"
    )
    journal_entries = models.ManyToManyField(
        JournalEntry, verbose_name=_("journal entries"), blank=True, related_name="celebrations"
    )
    visibility = visibility_field()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-achieved_on", "-id"]
        verbose_name = _("celebration")
        verbose_name_plural = _("celebrations")

    def __str__(self) -> str:
        return f"{self.achieved_on:%Y-%m-%d} {self.title}"


class NarrativeFormat(models.TextChoices):
    TEXT = "text", _("Text")
    EVENT = "event", _("Event")
    VIDEO = "video", _("Video")
    EXHIBITION = "exhibition", _("Exhibition")
    PODCAST = "podcast", _("Podcast")
    PERFORMANCE = "performance", _("Performance")
    OTHER = "other", _("Other")


class Narrative(TimeStampedModel):
    """A narrative of the transition (K2): a story told to an audience, in some format, that carries
    orientations of the vision."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="narratives")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    format = models.CharField(_("format"), max_length=12, choices=NarrativeFormat.choices)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    told_on = models.DateField(_("date"))
    orientations = models.ManyToManyField(
        Orientation, verbose_name=_("orientations"), blank=True, related_name="narratives"
    )
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_content_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    visibility = visibility_field()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-told_on", "-id"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")

    def __str__(self) -> str:
        return self.title
