from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel
from trajectoires.geo.models import Area

from .enums import TerritoryKind


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
