"""Governance with people (K4, K7; stop S2): the participation spaces where the territory decides
with others, its decisions and the participation level each reached, and the team's capacity to act
(trainings, the DGS and the transverse expertise pole)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.core.models import TimeStampedModel, author_field
from trajectoires.core.visibility import visibility_field
from trajectoires.territories.models import Territory


class SpaceKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    CITIZEN_ASSEMBLY = "citizen_assembly", _("Citizen assembly")
    WORKSHOP = "workshop", _("Workshop")
    COMMITTEE = "committee", _("Committee")
    DEVELOPMENT_COUNCIL = "development_council", _("Development council")
    OTHER = "other", _("Other")


class ParticipationSpace(TimeStampedModel):
    """A place where the territory governs with people (K4): a council, a citizen assembly, a
    workshop, a committee, a conseil de développement… Its members come from the actor map, so the
    page can show whether the « 4 Fantastiques » sit there together."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="participation_spaces")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    members = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("members"), blank=True, related_name="participation_spaces"
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("participation space")
        verbose_name_plural = _("participation spaces")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A meeting of a space: date, agenda, who attended (members only) and the minutes. It reads as
    its space."""

    space = models.ForeignKey(ParticipationSpace, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("attendees"), blank=True, related_name="meetings_attended"
    )
    recorded_by = author_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.space} {self.held_on:%Y-%m-%d}"


class Decision(TimeStampedModel):
    """A decision or a project, and how far people took part in it: the level reached on the
    référentiel's participation ladder (inform → co-decide), in which space, and when in the mandate
    co-construction started (S2: how much was decided top-down)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    decided_on = models.DateField(_("decided on"))
    participation_level = models.ForeignKey(
        "referential.Item",
        verbose_name=_("participation level"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "participation_level"},
    )
    space = models.ForeignKey(
        ParticipationSpace,
        verbose_name=_("participation space"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    co_construction_started_on = models.DateField(_("co-construction started on"), null=True, blank=True)
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title


class Training(TimeStampedModel):
    """A training or training-action of the team (K7): who took part, by actor category, and
    whether it is about change management (its coverage among élus and agents is followed)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    organisation = models.CharField(_("organised by"), max_length=200, blank=True)
    is_training_action = models.BooleanField(_("training-action (learning by doing)"), default=False)
    change_management = models.BooleanField(_("about change management"), default=False)
    participants = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("participants"), blank=True, related_name="trainings"
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


class TeamStructure(TimeStampedModel):
    """How the team is organised to act across silos (K7): its DGS and its transverse expertise
    pole — members, missions, and the services it links. One per territory."""

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="team_structure")
    dgs = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("director general of services (DGS)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dgs_role = models.TextField(_("the DGS's strategic role"), blank=True)
    pole_name = models.CharField(_("name of the transverse expertise pole"), max_length=200, blank=True)
    pole_missions = models.TextField(_("missions of the pole"), blank=True)
    pole_services = models.TextField(_("services the pole links (one per line)"), blank=True)
    pole_members = models.ManyToManyField(
        "cooperation.Actor", verbose_name=_("members of the pole"), blank=True, related_name="+"
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        verbose_name = _("team structure")

    def __str__(self) -> str:
        return str(self.territory)


# Controversies (K6, C3) --------------------------------------------------------------------------


class ControversyStage(models.TextChoices):
    """The life cycle of a controversy; `controversy_lifecycle.TRANSITIONS` says which moves are allowed."""

    REPORTED = "reported", _("Reported")
    INSTRUCTING = "instructing", _("Being instructed")
    DELIBERATING = "deliberating", _("In deliberation")
    DECIDED = "decided", _("Decided")
    FOLLOWED_UP = "followed_up", _("Followed up")


class Controversy(TimeStampedModel):
    """A conflict worked through instead of avoided (K6, C3): reported, instructed in a forum with
    every party's position and the expertise gathered, deliberated, decided — saying how the
    decision used the instruction — and followed up; reopened when it must be."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="controversies")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    forum = models.ForeignKey(
        ParticipationSpace,
        verbose_name=_("forum where it is instructed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="controversies",
    )
    subject_areas = models.ManyToManyField(
        "referential.Item",
        verbose_name=_("subject areas"),
        blank=True,
        related_name="+",
        limit_choices_to={"grid__code": "essential_need"},
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=ControversyStage.choices, default=ControversyStage.REPORTED
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    instruction_use = models.TextField(_("how the decision used the instruction"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    related_decisions = models.ManyToManyField(
        Decision, verbose_name=_("related decisions"), blank=True, related_name="controversies"
    )
    visibility = visibility_field()
    author = author_field()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["territory", "stage"], name="controversy_territory_stage")]
        verbose_name = _("controversy")
        verbose_name_plural = _("controversies")

    def __str__(self) -> str:
        return self.subject


class StageTransition(models.Model):
    """One step of a controversy's life cycle: from which stage to which, who, when and why. The
    first one (from no stage) is its reporting."""

    controversy = models.ForeignKey(Controversy, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=16, choices=ControversyStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=ControversyStage.choices)
    reason = models.TextField(_("why"))
    by = author_field()
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


class Party(TimeStampedModel):
    """A party to a controversy — an actor of the map, or a group of inhabitants — and its
    position: summary, arguments, sources and declared interests. The contact address of a group
    (for the stage notifications) is read by the territory team only, like an actor's."""

    controversy = models.ForeignKey(Controversy, on_delete=models.CASCADE, related_name="parties")
    actor = models.ForeignKey(
        "cooperation.Actor",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="controversy_parties",
    )
    group_name = models.CharField(_("group of inhabitants"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail of the group"), blank=True)
    position = models.TextField(_("position"))
    arguments = models.TextField(_("arguments"), blank=True)
    sources = models.TextField(_("sources (one per line)"), blank=True)
    declared_interests = models.TextField(_("declared interests"), blank=True)
    author = author_field()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["controversy", "actor"],
                condition=models.Q(actor__isnull=False),
                name="party_unique_actor",
            ),
            models.UniqueConstraint(
                fields=["controversy", "group_name"],
                condition=~models.Q(group_name=""),
                name="party_unique_group",
            ),
        ]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.group_name or str(self.actor or "")


class ExpertiseKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    HEARING = "hearing", _("Hearing")


class Expertise(models.Model):
    """What the instruction gathered: a document (study, report, opinion) or a hearing (who was
    heard, what they said)."""

    controversy = models.ForeignKey(Controversy, on_delete=models.CASCADE, related_name="expertise")
    kind = models.CharField(_("kind"), max_length=10, choices=ExpertiseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    dated = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    source = models.CharField(_("source or link"), max_length=500, blank=True)
    recorded_by = author_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["dated", "id"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self) -> str:
        return self.title


class StateOfControversy(models.Model):
    """A version of the « état de la controverse »: what the instruction established, co-signed by
    the parties who agree with it, with room for a minority view. Versions are never rewritten: a
    new understanding is a new version."""

    controversy = models.ForeignKey(Controversy, on_delete=models.CASCADE, related_name="states")
    number = models.PositiveIntegerField(_("version"))
    statement = models.TextField(_("statement"))
    minority_view = models.TextField(_("minority view"), blank=True)
    signatories = models.ManyToManyField(Party, verbose_name=_("co-signed by"), blank=True, related_name="+")
    written_by = author_field()
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["controversy", "number"], name="controversy_state_unique_number")
        ]
        verbose_name = _("state of the controversy")
        verbose_name_plural = _("states of the controversy")

    def __str__(self) -> str:
        return f"{self.controversy} v{self.number}"


class FollowUp(models.Model):
    """An action that carries out the decision, with its due date and, once done, the date it was."""

    controversy = models.ForeignKey(Controversy, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    recorded_by = author_field()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.action
