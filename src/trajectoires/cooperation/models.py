"""Who is on board and how they cooperate (K5, C2): actors, survey rounds of cooperation ties, and
the network metrics computed for each round by a background task."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.core.models import TimeStampedModel
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class Actor(TimeStampedModel):
    """An organisation or a person of the territory, in one référentiel actor category.

    The contact details (e-mail, phone, notes) are read by the territory team only, whatever the
    record's visibility; a person's data can be exported and erased (GDPR) without breaking the
    network: erasure replaces them with a pseudonym and keeps the ties.
    """

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="actors")
    kind = models.CharField(_("kind"), max_length=12, choices=ActorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "referential.Item",
        verbose_name=_("actor category"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "actor_category"},
    )
    organisation = models.ForeignKey(
        "self",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind": ActorKind.ORGANISATION},
    )
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actor_records",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    visibility = visibility_field()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "kind", "name"], name="actor_unique_name"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | ~Q(organisation=F("id")),
                name="actor_not_own_organisation",
            ),
        ]
        verbose_name = pgettext_lazy("actor map", "actor")  # "actor" alone is the author of a change
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.name


class SurveyRound(TimeStampedModel):
    """A dated survey of cooperation: the ties the actors reported at that time."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="survey_rounds")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    visibility = visibility_field()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["territory", "held_on"], name="round_unique_date")]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class TieType(models.TextChoices):
    INFORMATION = "information", _("Information sharing")
    RESOURCES = "resources", _("Resource sharing")
    JOINT_PROJECT = "joint_project", _("Joint project")
    DECISION = "decision", _("Joint decision")


class TieFrequency(models.TextChoices):
    YEARLY = "yearly", _("A few times a year")
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")


def _score(label):
    """A 1–4 score of the PARTNER tool; empty when the respondent did not answer."""
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class Tie(models.Model):
    """A cooperation tie between two actors of the round's territory, as reported in the round.

    Ties are undirected in the metrics; trust (openness, reliability, shared mission) and value
    (influence, involvement, resources) scores follow the PARTNER tool, each from 1 to 4.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey(Actor, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Actor, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+")
    tie_type = models.CharField(_("type"), max_length=16, choices=TieType.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=TieFrequency.choices)
    quality = models.PositiveSmallIntegerField(
        _("quality"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    openness = _score(_("openness"))
    reliability = _score(_("reliability"))
    shared_mission = _score(_("shared mission"))
    influence = _score(_("influence"))
    involvement = _score(_("involvement"))
    resources = _score(_("resources contributed"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="tie_not_to_itself"),
            models.UniqueConstraint(fields=["round", "source", "target", "tie_type"], name="tie_unique"),
            models.CheckConstraint(condition=Q(quality__gte=1, quality__lte=4), name="tie_quality_range"),
        ]
        verbose_name = _("cooperation tie")
        verbose_name_plural = _("cooperation ties")

    def __str__(self) -> str:
        return f"{self.source} — {self.target} ({self.get_tie_type_display()})"


class RoundMetrics(models.Model):
    """The network metrics of a round, computed by a background task after the round changes.

    `status` says whether they are up to date: pages show stored figures only, never compute them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being computed")
        READY = "ready", _("Up to date")
        FAILED = "failed", _("Computation failed")

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="metrics")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    actor_count = models.PositiveIntegerField(_("actors"), default=0)
    tie_count = models.PositiveIntegerField(_("ties"), default=0)
    density = models.FloatField(_("density"), default=0)
    cross_category_share = models.FloatField(_("share of ties across categories"), default=0)
    fantastic_four_complete = models.BooleanField(_("« 4 Fantastiques » complete"), default=False)
    # {"category code": {"category code": tie count}}, both halves filled.
    category_matrix = models.JSONField(_("category × category ties"), default=dict)
    # {"actor id": {"degree": float, "betweenness": float}}
    centrality = models.JSONField(_("centrality"), default=dict)
    # {"tie type": {"tie_count": int, "density": float}}
    by_tie_type = models.JSONField(_("by tie type"), default=dict)

    class Meta:
        verbose_name = _("network metrics")

    def __str__(self) -> str:
        return f"{self.round} — {self.get_status_display()}"
