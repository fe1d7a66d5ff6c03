from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def author_field() -> models.ForeignKey:
    """Who wrote a record: kept as null when their account is erased."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One write, as it happened: who, when, what, and the fields before and after.

    Append-only: the database refuses any UPDATE or DELETE of these rows (migration
    core/0002). The actor is kept as a pseudonymous key (a user's primary key, or "system"),
    not as a foreign key, so erasing an account never rewrites the trail.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    scope = models.CharField(
        _("scope"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Whose log this entry belongs to, e.g. territory:12 or funder:3."),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
