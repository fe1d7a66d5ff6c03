"""The forms of the systemic effects: the HTTP input boundary of their pages. They check the shape of
the input; the rules — evidence of the territory, at least one piece of it, the cooperation network
for the cooperation effect only, one assessment per effect and period — are the services'
(`effects`), whose refusals land next to the field they name.

- The period shown is chosen by its id, in the address (`?period=`), so that a period's page can be
  shared; without one, the latest period is shown.
- A choice offers only what the viewer may read: the stories of the period, the outcomes, the rounds
  of the cooperation network. Evidence the editor may not read stays linked (the service keeps it).
"""

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import SurveyRound
from trajectoires.cooperation.network_selectors import survey_rounds
from trajectoires.governance.participation_forms import visibility_field

from .effects import NETWORK_EFFECT
from .models import ChangeStory, EffectAssessment, EffectLevel, Outcome, ReportingPeriod
from .outcomes import readable_outcomes
from .stories import readable_stories


class PeriodField(forms.ModelChoiceField):
    def label_from_instance(self, period: ReportingPeriod) -> str:
        return period.label


class PeriodChoiceForm(forms.Form):
    """The period whose effects are shown."""

    period = PeriodField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class StoriesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, story: ChangeStory) -> str:
        return story.title


class OutcomesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, outcome: Outcome) -> str:
        return f"{outcome.who} — {outcome.description[:80]}"


class RoundField(forms.ModelChoiceField):
    def label_from_instance(self, survey_round: SurveyRound) -> str:
        return f"{survey_round.title} ({formats.date_format(survey_round.held_on, 'DATE_FORMAT')})"


class EffectForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How the effect moved over the period"), choices=EffectLevel.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        help_text=_("Why this level: what the evidence shows, and what it does not."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    stories = StoriesField(
        label=_("Stories of change of the period"),
        queryset=ChangeStory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcomes = OutcomesField(
        label=_("Observed outcomes"),
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    network_round = RoundField(
        label=_("Round of the cooperation network"),
        queryset=SurveyRound.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Its density and its share of ties across categories back the assessment."),
    )
    visibility = visibility_field()

    def __init__(
        self, *args, viewer=None, territory=None, period=None, effect=None, assessment=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        linked = assessment.stories.values("pk") if assessment else []
        stories = readable_stories(viewer, territory).filter(Q(period=period) | Q(pk__in=linked))
        self.fields["stories"].queryset = stories.order_by("title", "id")
        self.fields["outcomes"].queryset = readable_outcomes(viewer, territory).order_by(
            "-observed_on", "who"
        )
        if effect.code == NETWORK_EFFECT:
            self.fields["network_round"].queryset = survey_rounds(viewer, territory)
        else:
            del self.fields["network_round"]
        self.evidence_errors: list[str] = []

    @classmethod
    def for_assessment(cls, assessment: EffectAssessment, data=None, *, viewer=None) -> "EffectForm":
        initial = {
            "level": assessment.level,
            "reasoning": assessment.reasoning,
            "visibility": assessment.visibility,
            "stories": [story.pk for story in assessment.stories.all()],
            "outcomes": [outcome.pk for outcome in assessment.outcomes.all()],
            "network_round": assessment.network_round_id,
        }
        return cls(
            data,
            initial=initial,
            viewer=viewer,
            territory=assessment.territory,
            period=assessment.period,
            effect=assessment.effect,
            assessment=assessment,
        )

    def evidence_fields(self):
        return [self[name] for name in ("stories", "outcomes", "network_round") if name in self.fields]

    def service_values(self) -> dict:
        """The cleaned values under the names `effect_save` takes."""
        values = dict(self.cleaned_data)
        values.setdefault("network_round", None)
        return values
