"""Steering over time (K8, K9, S5): the planning documents that bind a territory and their coherence
with its vision, the actions of its trajectory, and the pilots it tests and adjusts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.geo.models import Area
from trajectoires.steering.models import Orientation
from trajectoires.territories.models import Territory


class DocumentStatus(models.TextChoices):
    IN_PREPARATION = "in_preparation", _("In preparation")
    ADOPTED = "adopted", _("Adopted")
    UNDER_REVISION = "under_revision", _("Under revision")
    EXPIRED = "expired", _("Expired")


class PlanningDocument(TimeStampedModel):
    """A planning document (SRADDET, SCoT, PLU, PCAET…), written by the body of one area.

    It belongs to its writing area, not to a territory: every territory inside that area sees it
    (a région's SRADDET is shared by all the territories of the région, never copied). `territory`
    is the territory that recorded it; its team keeps it up to date, and its visibility reads as for
    any record of that territory."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="recorded_documents", verbose_name=_("recorded by")
    )
    doc_type = models.ForeignKey(
        "referential.Item",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "planning_document_type"},
    )
    title = models.CharField(_("title"), max_length=200)
    writer = models.ForeignKey(
        Area, verbose_name=_("writing body"), on_delete=models.PROTECT, related_name="planning_documents"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.IN_PREPARATION
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    review_due_on = models.DateField(_("review due on"), null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["doc_type__position", "title", "id"]
        constraints = [
            # One document of a type in force per writing body: the others share it, never copy it.
            models.UniqueConstraint(
                fields=["doc_type", "writer"],
                condition=~Q(status="expired"),
                name="planning_document_in_force_unique",
            )
        ]
        verbose_name = _("planning document")
        verbose_name_plural = _("planning documents")

    def __str__(self) -> str:
        return self.title


class Coherence(models.TextChoices):
    COHERENT = "coherent", _("Coherent")
    NEUTRAL = "neutral", _("Neutral")
    CONTRADICTORY = "contradictory", _("Contradictory")


class CoherenceAssessment(models.Model):
    """One cell of a territory's coherence matrix: does this document pull in the direction of this
    orientation of its vision? A cell without a row is "not assessed". The cell belongs to the
    territory whose vision it judges, and reads as that vision."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="coherence_assessments")
    document = models.ForeignKey(PlanningDocument, on_delete=models.CASCADE, related_name="assessments")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="assessments")
    value = models.CharField(_("coherence"), max_length=14, choices=Coherence.choices)
    reason = models.TextField(_("reason"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "orientation"], name="coherence_cell_unique")
        ]
        verbose_name = _("coherence assessment")

    def __str__(self) -> str:
        return f"{self.document} × {self.orientation}"


class Service(models.Model):
    """A service of the territory's administration (urbanisme, mobilités…), to show which actions
    bring several services together (S5: acting across silos)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="service_name_unique")]
        verbose_name = _("service")

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class Action(TimeStampedModel):
    """An action of the territory's trajectory (S5), linked to the orientations it serves."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_service = models.ForeignKey(
        Service,
        verbose_name=_("owner service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services involved"), blank=True, related_name="actions"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    orientations = models.ManyToManyField(
        Orientation, verbose_name=_("orientations"), blank=True, related_name="actions"
    )
    key_actions = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("key actions"),
        blank=True,
        related_name="+",
        limit_choices_to={"grid__code": "key_action"},
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trajectory:action", kwargs={"slug": self.territory.slug, "pk": self.pk})


class PilotStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    ADJUSTED = "adjusted", _("Adjusted")
    SCALED_UP = "scaled_up", _("Scaled up")
    STOPPED = "stopped", _("Stopped — lessons learnt")


class Pilot(TimeStampedModel):
    """A pilot project (K9): a hypothesis tested on a deliberately modest scope, iterated, adjusted,
    and documented so that others can replicate it. A stopped pilot counts as learning."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="pilots")
    title = models.CharField(_("title"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"))
    scope = models.TextField(_("scope"))
    started_on = models.DateField(_("start"))
    status = models.CharField(
        _("status"), max_length=10, choices=PilotStatus.choices, default=PilotStatus.RUNNING
    )
    actors = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("actors involved"), blank=True, related_name="pilots"
    )
    orientations = models.ManyToManyField(
        Orientation, verbose_name=_("orientations"), blank=True, related_name="pilots"
    )
    lessons = models.TextField(_("lessons"), blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", kwargs={"slug": self.territory.slug, "pk": self.pk})


class IterationDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue as is")
    ADJUST = "adjust", _("Adjust")
    SCALE_UP = "scale_up", _("Scale up")
    STOP = "stop", _("Stop")


class PilotIteration(models.Model):
    """One turn of test and adjust: what was tried, what was observed (with evidence), and the
    decision taken, which sets the pilot's status."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="iterations")
    number = models.PositiveSmallIntegerField(_("iteration"))
    held_on = models.DateField(_("date"))
    tried = models.TextField(_("what was tried"))
    observed = models.TextField(_("what was observed"))
    evidence = models.TextField(_("evidence"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=IterationDecision.choices)
    adjustment = models.TextField(_("the decision taken and why"))
    recorded_by = author_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["pilot", "number"], name="pilot_iteration_unique")]
        verbose_name = _("iteration")

    def __str__(self) -> str:
        return f"{self.pilot} #{self.number}"


class TransferabilitySheet(models.Model):
    """What another territory needs to replicate a pilot. Once published, every signed-in member of
    the alliance reads it (the assembly gathers these sheets), whatever the pilot's visibility."""

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="sheet")
    context = models.TextField(_("context"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    costs = models.TextField(_("costs"), blank=True)
    pitfalls = models.TextField(_("pitfalls"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SECTIONS = ("context", "prerequisites", "costs", "pitfalls", "contacts")

    class Meta:
        verbose_name = _("transferability sheet")

    def __str__(self) -> str:
        return str(self.pilot)
