"""Engagement contracts (F1): one territory, one or several co-funders each with its share, yearly
tranches, typed budget lines (F3–F9) and the conditions precedent that lock them (F2)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.accounts.models import Funder
from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory

from .programmes import BUDGET_LINE_GRID, Programme


def money_field(verbose_name, **options) -> models.DecimalField:
    """Euros, exactly: never a float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)


def signer_field() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract", "Draft")
    PROPOSED = "proposed", pgettext_lazy("contract", "Proposed for signature")
    SIGNED = "signed", pgettext_lazy("contract", "Signed by every party")
    ACTIVE = "active", pgettext_lazy("contract", "Active")
    REVIEWED = "reviewed", pgettext_lazy("contract", "Mid-term reviewed")
    CLOSED = "closed", pgettext_lazy("contract", "Closed")


class Contract(TimeStampedModel):
    """A multi-year engagement contract funding a territory's capacities."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="contracts")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    total_amount = money_field(_("total amount (€)"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        db_index=True,
    )
    visibility = visibility_field()
    author = author_field()
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    territory_signed_at = models.DateTimeField(_("signed by the territory at"), null=True, blank=True)
    territory_signed_by = signer_field()
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    mid_term_review = models.TextField(_("mid-term review"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("engagement contract")
        verbose_name_plural = _("engagement contracts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"slug": self.territory.slug, "pk": self.pk})

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def duration_years(self) -> int:
        return self.end_year - self.start_year + 1


class ContractParty(models.Model):
    """A co-funder of a contract, its share and its signature. The lead funder drafted it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = money_field(_("share (€)"))
    is_lead = models.BooleanField(_("lead funder"), default=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = signer_field()

    class Meta:
        ordering = ["-is_lead", "funder__name"]
        constraints = [models.UniqueConstraint(fields=["contract", "funder"], name="contract_party_unique")]
        verbose_name = _("co-funder")

    def __str__(self) -> str:
        return f"{self.funder_id} @ {self.contract_id}"

    def share_of(self, total: Decimal) -> Decimal:
        return (self.amount * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)


class ConditionKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("A finished diagnostic sensible, shared with the funder")
    PARTNERSHIP = "partnership", _("A signed partnership between the funder and the territory")
    REPORT = "report", _("The annual report on a year, delivered")


class Condition(models.Model):
    """A condition precedent: what must be true before a tranche is paid or a line is spent."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("kind"), max_length=12, choices=ConditionKind.choices)
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    report_year = models.PositiveSmallIntegerField(_("year of the report"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "report_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "funder"],
                condition=models.Q(report_year__isnull=True),
                name="condition_unique",
            ),
            models.UniqueConstraint(
                fields=["contract", "kind", "funder", "report_year"],
                condition=models.Q(report_year__isnull=False),
                name="condition_report_unique",
            ),
        ]
        verbose_name = _("condition precedent")

    def __str__(self) -> str:
        return f"{self.kind} ({self.funder_id})"


class Tranche(models.Model):
    """One funder's yearly tranche: committed, then paid — unless its condition is not met."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tranches")
    party = models.ForeignKey(
        ContractParty, verbose_name=_("funder"), on_delete=models.CASCADE, related_name="tranches"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount (€)"))
    condition = models.ForeignKey(
        Condition,
        verbose_name=_("condition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tranches",
    )
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["year", "party__funder__name"]
        constraints = [models.UniqueConstraint(fields=["party", "year"], name="tranche_party_year_unique")]
        verbose_name = _("tranche")

    def __str__(self) -> str:
        return f"{self.year} · {self.amount} €"


class BudgetLine(models.Model):
    """A typed budget line for one year, paid by one co-funder: planned, then spent."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="budget_lines")
    party = models.ForeignKey(
        ContractParty, verbose_name=_("funder"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(
        "referential.Item",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": BUDGET_LINE_GRID},
    )
    label = models.CharField(_("label"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    planned = money_field(_("planned (€)"))
    spent = money_field(_("spent (€)"), default=Decimal("0.00"))
    condition = models.ForeignKey(
        Condition,
        verbose_name=_("condition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )

    class Meta:
        ordering = ["year", "category__position", "label"]
        verbose_name = _("budget line")

    def __str__(self) -> str:
        return self.label
