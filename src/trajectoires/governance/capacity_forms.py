"""The forms of the team's capacity: the HTTP input boundary (the API validates its payloads with the
same forms). The rules — hours and dates within bounds, actors of the territory, a DGS who is an
agent, a named pole — are the services' (`governance.capacity`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility

from .capacity import MAX_TRAINING_HOURS, territory_actors
from .models import TeamStructure, Training

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TRAINING_FIELDS = (
    "title",
    "held_on",
    "hours",
    "organisation",
    "is_training_action",
    "change_management",
    "visibility",
)
STRUCTURE_FIELDS = ("dgs", "dgs_role", "pole_name", "pole_missions", "pole_services", "visibility")


class ActorChoiceLabel:
    def label_from_instance(self, actor) -> str:
        return f"{actor.name} · {actor.category.label}"


class ActorChoiceField(ActorChoiceLabel, forms.ModelChoiceField):
    pass


class ActorsChoiceField(ActorChoiceLabel, forms.ModelMultipleChoiceField):
    pass


def visibility_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=6,
        decimal_places=1,
        help_text=_("The length of the training, up to %(hours)s hours (in steps of 0.1).")
        % {"hours": MAX_TRAINING_HOURS},
        localize=True,  # "7,5" in French
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    organisation = forms.CharField(label=_("Organised by"), max_length=200, required=False)
    is_training_action = forms.BooleanField(
        label=_("Training-action"),
        required=False,
        help_text=_("Learning by doing, on a real project of the territory."),
    )
    change_management = forms.BooleanField(label=_("About change management"), required=False)
    participants = ActorsChoiceField(
        label=_("Participants"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = territory_actors(viewer, territory)

    @classmethod
    def for_training(cls, training: Training, data=None, *, viewer=None) -> "TrainingForm":
        initial = {field: getattr(training, field) for field in TRAINING_FIELDS}
        initial["participants"] = list(training.participants.all())
        return cls(data, initial=initial, viewer=viewer, territory=training.territory)


class TeamStructureForm(forms.Form):
    dgs = ActorChoiceField(
        label=_("Director general of services (DGS)"),
        queryset=Actor.objects.none(),
        required=False,
        help_text=_("A person of the actor map, in the category of the local authority's staff."),
    )
    dgs_role = forms.CharField(
        label=_("The DGS's strategic role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    pole_name = forms.CharField(
        label=_("Name of the transverse expertise pole"), max_length=200, required=False
    )
    pole_missions = forms.CharField(
        label=_("Missions of the pole"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    pole_services = forms.CharField(
        label=_("Services the pole links"),
        required=False,
        help_text=_("One per line: the pole links them, it does not add a new silo."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    pole_members = ActorsChoiceField(
        label=_("Members of the pole"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dgs"].queryset = territory_actors(viewer, territory)
        self.fields["pole_members"].queryset = territory_actors(viewer, territory)

    @classmethod
    def for_structure(
        cls, structure: TeamStructure | None, data=None, *, viewer=None, territory=None
    ) -> "TeamStructureForm":
        initial = {}
        if structure is not None:
            initial = {field: getattr(structure, field) for field in STRUCTURE_FIELDS}
            initial["pole_members"] = list(structure.pole_members.all())
        return cls(data, initial=initial, viewer=viewer, territory=territory)
