"""The forms of outcome harvesting: the HTTP input boundary of its pages. They check the shape of the
input; the rules — an outcome observed, never in the future; an independent person who is not the
harvester and gives one view, after the outcome — are the services' (`outcomes`), whose refusals land
next to the field they name.

- A choice offers only what the viewer may read: actors of the map, actions of the trajectory. An
  actor of the map the editor may not read is not offered and stays as it is; actions they may not
  read stay linked (the service keeps them).
- The independent person is chosen among every actor the viewer may read, the harvester's own
  record included: the service says why it is refused, in its own words.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.governance.participation_forms import DATE_WIDGET, visibility_field
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action

from .models import Agreement, ChangeKind, Outcome, Valence

EVERYTHING = ("", _("All"))
INTENDED, UNINTENDED = "yes", "no"
INTENDED_CHOICES = [(INTENDED, _("Intended")), (UNINTENDED, _("Not intended"))]


def _text(label, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _intended(value: str) -> bool:
    return value == INTENDED


class OutcomeFilterForm(forms.Form):
    change_kind = forms.ChoiceField(
        label=_("Kind of change"), required=False, choices=[EVERYTHING, *ChangeKind.choices]
    )
    valence = forms.ChoiceField(
        label=_("Positive or negative"), required=False, choices=[EVERYTHING, *Valence.choices]
    )
    intended = forms.ChoiceField(
        label=_("Intended or not"), required=False, choices=[EVERYTHING, *INTENDED_CHOICES]
    )

    def chosen(self) -> dict:
        """The filters under the names `outcome_list` takes; an unknown choice is ignored."""
        if not self.is_valid():
            return {}
        chosen = {name: value for name, value in self.cleaned_data.items() if value}
        if "intended" in chosen:
            chosen["intended"] = _intended(chosen["intended"])
        return chosen


class ActorField(forms.ModelChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, action: Action) -> str:
        return action.title


class OutcomeForm(forms.Form):
    who = forms.CharField(
        label=_("Who changed"),
        max_length=200,
        help_text=_("A person, a group or an organisation other than the territory's team."),
    )
    actor = ActorField(
        label=_("Actor of the map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("If who changed is on the territory's map of actors."),
    )
    change_kind = forms.ChoiceField(
        label=_("Kind of change"), choices=ChangeKind.choices, widget=forms.RadioSelect
    )
    description = _text(_("What changed"), rows=5, help_text=_("What they do, or do differently, now."))
    observed_on = forms.DateField(
        label=_("When"), initial=timezone.localdate, help_text=_("When it was observed."), widget=DATE_WIDGET
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    significance = _text(_("Why it is significant"), help_text=_("What it changes for the transition."))
    contribution = _text(
        _("How the territory's work contributed"),
        help_text=_("What the territory did that helped it happen, directly or not."),
    )
    intended = forms.TypedChoiceField(
        label=_("Intended or not"),
        choices=INTENDED_CHOICES,
        coerce=_intended,
        initial=INTENDED,
        widget=forms.RadioSelect,
    )
    valence = forms.ChoiceField(
        label=_("Positive or negative"), choices=Valence.choices, widget=forms.RadioSelect
    )
    actions = ActionChoiceField(
        label=_("Actions of the trajectory"),
        queryset=Action.objects.none(),
        required=False,
        help_text=_("The actions it relates to."),
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, outcome: Outcome | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = nameable_actors(viewer, territory)
        self.fields["actions"].queryset = readable_actions(viewer, territory).order_by("title", "id")
        if outcome is not None and outcome.actor_id and not self._offers(outcome.actor_id):
            del self.fields["actor"]  # an actor the editor cannot read stays as it is

    def _offers(self, actor_id: int) -> bool:
        return self.fields["actor"].queryset.filter(pk=actor_id).exists()

    @classmethod
    def for_outcome(cls, outcome: Outcome, data=None, *, viewer=None) -> "OutcomeForm":
        fields = ("who", "change_kind", "description", "observed_on", "place", "significance")
        initial = {
            field: getattr(outcome, field) for field in (*fields, "contribution", "valence", "visibility")
        }
        initial["actor"] = outcome.actor_id
        initial["intended"] = INTENDED if outcome.intended else UNINTENDED
        initial["actions"] = [action.pk for action in outcome.actions.all()]
        return cls(data, initial=initial, viewer=viewer, territory=outcome.territory, outcome=outcome)

    def service_values(self) -> dict:
        """The cleaned values under the names the outcome services take."""
        values = dict(self.cleaned_data)
        if "actor" in values:
            values["actor_record"] = values.pop("actor")
        return values


class SubstantiationForm(forms.Form):
    substantiator = ActorField(
        label=_("Independent person"),
        queryset=Actor.objects.none(),
        help_text=_("An actor of the map who knows the change and did not harvest it."),
    )
    agreement = forms.ChoiceField(
        label=_("Do they agree?"), choices=Agreement.choices, widget=forms.RadioSelect
    )
    comment = _text(_("Comment"), help_text=_("What they say of the outcome, in their words."))
    given_on = forms.DateField(label=_("Given on"), initial=timezone.localdate, widget=DATE_WIDGET)

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substantiator"].queryset = nameable_actors(viewer, territory)
