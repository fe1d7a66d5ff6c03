"""The référentiel: the grids of the source document as versioned data.

A new version adds rows; it never rewrites an older one, so an answer keeps the version it used.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualMixin:
    """Label and description in the language of the request (French unless English is asked)."""

    label_fr: str
    label_en: str
    description_fr: str
    description_en: str

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "").startswith("en") else self.label_fr

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "").startswith("en") else self.description_fr


class ReferentialVersion(models.Model):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    label = models.CharField(_("label"), max_length=200)
    published_on = models.DateField(_("published on"))
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("référentiel version")

    def __str__(self) -> str:
        return self.label


class Grid(BilingualMixin, models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.PROTECT, related_name="grids")
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"))
    label_fr = models.CharField(_("French label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="grid_version_code_unique")]
        verbose_name = _("grid")

    def __str__(self) -> str:
        return self.code


class Item(BilingualMixin, models.Model):
    """One entry of a grid: K1, F3, water, élu, SCoT…; `extra` holds grid-specific attributes."""

    version = models.ForeignKey(ReferentialVersion, on_delete=models.PROTECT, related_name="items")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label_fr = models.CharField(_("French label"), max_length=300)
    label_en = models.CharField(_("English label"), max_length=300)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    source_line = models.PositiveIntegerField(_("source line"), default=0)
    source_excerpt = models.CharField(_("source excerpt"), max_length=300, blank=True)
    extra = models.JSONField(_("attributes"), default=dict, blank=True)

    class Meta:
        ordering = ["grid__position", "position"]
        constraints = [models.UniqueConstraint(fields=["grid", "code"], name="item_grid_code_unique")]
        verbose_name = _("référentiel item")

    def __str__(self) -> str:
        return f"{self.code} {self.label_fr}"

    @property
    def levels(self) -> list[str]:
        """What each maturity level means for this key action (from version 2), in the request's
        language; empty for other items."""
        language = "en" if (get_language() or "").startswith("en") else "fr"
        return self.extra.get(f"levels_{language}", [])
