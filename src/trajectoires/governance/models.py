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
