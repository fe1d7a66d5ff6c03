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
