"""The form of a selection round: the HTTP input boundary of its pages. It checks the shape of the
input; the rules — a period and a domain of the territory, stories of that period and domain, a
story selected among those considered, a round held after its period started and never in the
future — are the services' (`selection_rounds`), whose refusals land next to the field they name
(a story selected that the panel did not consider: on « Story selected »).

- The stories offered, as checkboxes (considered) and as radio buttons (selected), are those the
  writer may read of one period: the period sent, else the one in the address (`?period=<id>`),
  else the round's, else the latest.
- Panel members of the map are offered among the actors the writer may read.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.governance.participation_forms import DATE_WIDGET, visibility_field

from .models import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound
from .stories import readable_stories, territory_domains, territory_periods
from .story_forms import DomainField, PeopleField, PeriodField, text_field


class StoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, story: ChangeStory) -> str:
        return f"{story.title} ({story.domain.name})"


class StoryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, story: ChangeStory) -> str:
        return f"{story.title} ({story.domain.name})"


def listed_period(territory, *candidates) -> ReportingPeriod | None:
    """The first of `candidates` (ids as sent, or periods) that is a period of the territory, else
    the territory's latest period."""
    periods = territory_periods(territory)
    for candidate in candidates:
        if isinstance(candidate, ReportingPeriod):
            return candidate
        if isinstance(candidate, str) and candidate.isdigit() and len(candidate) < 12:
            found = periods.filter(pk=int(candidate)).first()
            if found is not None:
                return found
    return periods.first()


class RoundForm(forms.Form):
    period = PeriodField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )
    domain = DomainField(
        label=_("Domain of change"),
        queryset=ChangeDomain.objects.none(),
        required=False,
        empty_label=_("All domains"),
        help_text=_("A round may read the stories of one domain, or of every domain."),
    )
    panel = text_field(
        _("Panel members"), rows=2, help_text=_("Who read the stories and chose: names, roles or groups.")
    )
    panel_actors = PeopleField(
        label=_("Panel members on the map"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    held_on = forms.DateField(label=_("Held on"), initial=timezone.localdate, widget=DATE_WIDGET)
    considered = StoryChoices(
        label=_("Stories considered"),
        queryset=ChangeStory.objects.none(),
        help_text=_("The stories the panel read."),
        widget=forms.CheckboxSelectMultiple,
    )
    selected = StoryChoice(
        label=_("Story selected"),
        queryset=ChangeStory.objects.none(),
        empty_label=None,
        help_text=_("The one the panel found the most significant, among those it considered."),
        widget=forms.RadioSelect,
    )
    reasons = text_field(_("Why this story"), help_text=_("What the panel saw in it, in its own words."))
    dissent = text_field(
        _("Dissent"),
        required=False,
        help_text=_("When members disagreed: which story they preferred, and why."),
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, period: ReportingPeriod | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.listed = period
        self.fields["period"].queryset = territory_periods(territory)
        self.fields["domain"].queryset = territory_domains(territory)
        self.fields["panel_actors"].queryset = nameable_actors(viewer, territory)
        stories = readable_stories(viewer, territory).filter(period=period).select_related("domain")
        stories = stories.order_by("title", "id")
        self.fields["considered"].queryset = stories
        self.fields["selected"].queryset = stories
        if period is not None and "period" not in self.initial:
            self.initial["period"] = period.pk

    @classmethod
    def for_round(cls, selection: SelectionRound, data=None, *, viewer=None, period=None) -> "RoundForm":
        fields = ("panel", "held_on", "reasons", "dissent", "visibility")
        initial = {field: getattr(selection, field) for field in fields}
        initial |= {
            "period": selection.period_id,
            "domain": selection.domain_id,
            "selected": selection.selected_id,
            "considered": [story.pk for story in selection.considered.all()],
            "panel_actors": [actor.pk for actor in selection.panel_actors.all()],
        }
        return cls(data, initial=initial, viewer=viewer, territory=selection.territory, period=period)

    @property
    def has_stories(self) -> bool:
        return self.fields["considered"].queryset.exists()

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["considered"] = list(values["considered"])
        values["panel_actors"] = list(values["panel_actors"])
        return values
