from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import SCALE_ORDER, AliasKind, AreaKind, EpciType


class Area(models.Model):
    """An administrative area of the Code officiel géographique.

    `code` is the INSEE code (régions, départements, communes) or the SIREN (EPCI, EPT).
    An area that vanished from a newer snapshot is kept and marked obsolete.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=9)
    name = models.CharField(_("name"), max_length=200)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci_type = models.CharField(_("EPCI type"), max_length=5, choices=EpciType.choices, blank=True)
    is_obsolete = models.BooleanField(_("obsolete"), default=False)
    obsolete_since = models.DateField(_("obsolete since"), null=True, blank=True)
    ancestors = models.ManyToManyField(
        "self", through="AreaAncestry", symmetrical=False, related_name="descendants", blank=True
    )

    class Meta:
        ordering = ["name", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="area_kind_code_unique")]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def scale_rank(self) -> int:
        return SCALE_ORDER.index(self.kind)


class AreaAncestry(models.Model):
    """`ancestor` contains `area`, directly or not: every pair is stored, so one query finds all."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="ancestry_links")
    ancestor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="descendant_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "ancestor"], name="area_ancestry_unique"),
            models.CheckConstraint(
                condition=~models.Q(area=models.F("ancestor")), name="area_not_own_ancestor"
            ),
        ]
        indexes = [models.Index(fields=["ancestor", "area"], name="area_ancestry_down_idx")]

    def __str__(self) -> str:
        return f"{self.area_id} ⊂ {self.ancestor_id}"


class AreaAlias(models.Model):
    """Another name a commune is searched by: a delegated or associated commune, a municipal district."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(_("kind"), max_length=16, choices=AliasKind.choices)
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=200)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "code", "name"], name="area_alias_unique")
        ]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PostalCode(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="postal_codes")
    code = models.CharField(_("postal code"), max_length=5, db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="postal_code_unique")]

    def __str__(self) -> str:
        return self.code


class GeoImport(models.Model):
    """One load of a geography snapshot, with what it changed."""

    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    snapshot_sha256 = models.CharField(max_length=64)
    source_package = models.CharField(max_length=100)
    source_version = models.CharField(max_length=20)
    millesime = models.PositiveSmallIntegerField()
    report = models.JSONField(default=dict)
    area_counts = models.JSONField(default=dict, help_text="Current areas per kind after this import.")

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"{self.source_package}@{self.source_version} ({self.imported_at:%Y-%m-%d})"
