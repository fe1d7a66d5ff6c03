from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder
from trajectoires.core.models import TimeStampedModel
from trajectoires.geo.models import Area

from .enums import TerritoryKind, TerritoryRole


class Territory(TimeStampedModel):
    """A territory in transition: one area, or a custom perimeter of several (PETR, pays, PNR…)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TerritoryKind.choices)
    description = models.TextField(_("description"), blank=True)
    alliance_joined_on = models.DateField(_("member of the alliance since"))
    areas = models.ManyToManyField(
        Area, through="TerritoryArea", related_name="territories", verbose_name=_("perimeter")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"slug": self.slug})


class TerritoryArea(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="perimeter")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["territory", "area"], name="territory_area_unique")]

    def __str__(self) -> str:
        return f"{self.territory_id} → {self.area_id}"


class TerritoryMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_memberships"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=TerritoryRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="territory_membership_unique")
        ]
        verbose_name = _("territory membership")

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.territory_id}"


class TerritoryPartnership(models.Model):
    """A funder that works with a territory: its members are partners of the territory.
    (Engagement contracts will be the other way of becoming one.)"""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="partnerships")
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="partnerships")
    since = models.DateField(_("since"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["territory", "funder"], name="territory_partnership_unique")
        ]
        verbose_name = _("partnership")

    def __str__(self) -> str:
        return f"{self.funder_id} ↔ {self.territory_id}"


class Invitation(models.Model):
    """An invitation by e-mail to join a territory or a funder with a role. The link carries a
    token of which only the digest is stored; it works once and expires."""

    email = models.EmailField(_("e-mail address"))
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    funder = models.ForeignKey(
        Funder, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(territory__isnull=False, funder__isnull=True)
                | models.Q(territory__isnull=True, funder__isnull=False),
                name="invitation_one_target",
            )
        ]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} → {self.territory_id or self.funder_id} ({self.role})"
