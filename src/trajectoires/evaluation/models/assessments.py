"""Self-assessment on the key actions and the stop / start checklist."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory

# Self-assessment (K1–K10 and the stop / start checklist) -----------------------------------------


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentCampaign(TimeStampedModel):
    """A round of self-assessment opened by the territory admin, answered by several respondents,
    then closed. Its questions and scales come from the référentiel version current when it opened,
    which it keeps whatever is published later."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="assessment_campaigns")
    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        "referential.ReferentialVersion",
        verbose_name=_("référentiel version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("planned closing date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=6, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("self-assessment campaign")
        verbose_name_plural = _("self-assessment campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class AssessmentResponse(models.Model):
    """One respondent's answers: their group (a category of actors: élus, agents…) and role, and
    the person of the map when they are on it. It reads as its campaign; who answered what is read
    by the territory team only."""

    campaign = models.ForeignKey(AssessmentCampaign, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("respondent on the map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the answers stay when the person leaves the map
        related_name="assessment_responses",
    )
    category = models.ForeignKey(
        "referential.Item",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "actor_category"},
    )
    role = models.CharField(_("role"), max_length=200)
    recorded_by = author_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="assessment_response_unique_person",
            )
        ]
        verbose_name = _("self-assessment response")
        verbose_name_plural = _("self-assessment responses")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.role}"


class AssessmentAnswer(models.Model):
    """One question answered: a key action on the maturity scale, or a practice of the stop / start
    checklist on the progress scale — both items of the campaign's référentiel version — with the
    evidence behind it."""

    response = models.ForeignKey(AssessmentResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "referential.Item", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "referential.Item", verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("evidence"), blank=True)
    journal_entries = models.ManyToManyField(
        "steering.JournalEntry", verbose_name=_("journal entries"), blank=True, related_name="+"
    )
    documents = models.ManyToManyField(
        "planning.PlanningDocument", verbose_name=_("documents"), blank=True, related_name="+"
    )
    outcomes = models.ManyToManyField(
        "evaluation.Outcome", verbose_name=_("outcomes"), blank=True, related_name="+"
    )
    stories = models.ManyToManyField(
        "evaluation.ChangeStory", verbose_name=_("stories of change"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["question__grid__position", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="assessment_answer_unique_question")
        ]
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")

    def __str__(self) -> str:
        return f"{self.question.code}: {self.level.code}"
