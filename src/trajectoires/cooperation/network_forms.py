from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.core.visibility import Visibility

from .models import SurveyRound, Tie, TieFrequency, TieType

SCORE_CHOICES = [(value, str(value)) for value in range(1, 5)]
TRUST_SCORES = ("openness", "reliability", "shared_mission")
VALUE_SCORES = ("influence", "involvement", "resources")


class SurveyRoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(
        label=_("Date of the survey"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_round(cls, survey_round: SurveyRound, data=None) -> "SurveyRoundForm":
        initial = {name: getattr(survey_round, name) for name in ("title", "held_on", "notes", "visibility")}
        return cls(data, initial=initial)


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, actor) -> str:
        return f"{actor.name} — {actor.category.label}"


def _score_field(label, *, required: bool = False) -> forms.TypedChoiceField:
    # A required score starts empty too, so that no value is chosen for the person without them.
    empty = [("", "—")] if required else [("", _("Not answered"))]
    return forms.TypedChoiceField(
        label=label,
        choices=empty + SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
    )


class TieForm(forms.Form):
    """A tie of a round: the actor choices are the territory's actors the writer may read."""

    source = ActorChoiceField(label=_("First actor"), queryset=None)
    target = ActorChoiceField(label=_("Second actor"), queryset=None)
    tie_type = forms.ChoiceField(label=_("Type of tie"), choices=TieType.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=TieFrequency.choices)
    quality = _score_field(_("Quality (1 to 4)"), required=True)
    openness = _score_field(_("Openness"))
    reliability = _score_field(_("Reliability"))
    shared_mission = _score_field(_("Shared mission"))
    influence = _score_field(_("Influence"))
    involvement = _score_field(_("Involvement"))
    resources = _score_field(_("Resources contributed"))

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = actors
        self.fields["target"].queryset = actors

    @classmethod
    def for_tie(cls, tie: Tie, data=None, *, actors) -> "TieForm":
        initial = {name: getattr(tie, name) for name in cls.base_fields}
        return cls(data, initial=initial, actors=actors)

    def trust_fields(self):
        return [self[name] for name in TRUST_SCORES]

    def value_fields(self):
        return [self[name] for name in VALUE_SCORES]


class TieImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of ties"),
        help_text=_("UTF-8 or Windows-1252, values separated by commas or semicolons; at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    skip_bad_rows = forms.BooleanField(
        label=_("Skip the wrong lines and import the others"),
        help_text=_("Without it, one wrong line and nothing is imported."),
        required=False,
    )
