"""The forms of the stories of change: the HTTP input boundary of their pages. They check the shape
of the input; the rules — a period and a domain of the territory, a story told beyond the team only
with its teller's consent, a teller named unless anonymous, dates never in the future — are the
services' (`stories`), whose refusals land next to the field they name.

- The filters of the stories name a period and a domain by their id, in the address, so that a
  filtered list can be shared and its pages keep the filter.
- A choice offers only what the viewer may read: persons of the map, actions of the trajectory. A
  teller of the map the editor may not read is not offered and stays as it is; actors and actions
  they may not read stay linked (the service keeps them).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.governance.participation_forms import DATE_WIDGET, visibility_field
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action

from .models import ChangeDomain, ChangeStory, ReportingPeriod
from .stories import territory_domains, territory_periods


def text_field(label, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class PeriodField(forms.ModelChoiceField):
    def label_from_instance(self, period: ReportingPeriod) -> str:
        return period.label


class DomainField(forms.ModelChoiceField):
    def label_from_instance(self, domain: ChangeDomain) -> str:
        return domain.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class ActionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, action: Action) -> str:
        return action.title


# The filters -------------------------------------------------------------------------------------


class StoryFilterForm(forms.Form):
    period = PeriodField(
        label=_("Reporting period"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("All periods"),
    )
    domain = DomainField(
        label=_("Domain of change"),
        queryset=ChangeDomain.objects.none(),
        required=False,
        empty_label=_("All domains"),
    )

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = territory_periods(territory)
        self.fields["domain"].queryset = territory_domains(territory)

    def chosen(self) -> dict:
        """The filters under the names `story_list` takes; an unknown choice is ignored."""
        if not self.is_bound:
            return {}
        chosen = {}
        for name in ("period", "domain"):
            field = self[name]
            try:
                value = self.fields[name].clean(field.data)
            except forms.ValidationError:
                continue
            if value is not None:
                chosen[name] = value
        return chosen


# A story -----------------------------------------------------------------------------------------


class StoryForm(forms.Form):
    period = PeriodField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )
    domain = DomainField(label=_("Domain of change"), queryset=ChangeDomain.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words that say what changed, as the teller would say it."),
    )
    teller_name = forms.CharField(
        label=_("Teller’s name"),
        max_length=200,
        required=False,
        help_text=_("As the teller wishes to be named; leave it empty when they are a person of the map."),
    )
    teller = PersonField(
        label=_("Person of the map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("Not on the map"),
        help_text=_("If the teller is on the territory’s map of actors."),
    )
    anonymous = forms.BooleanField(
        label=_("The teller stays anonymous"),
        required=False,
        initial=True,
        help_text=_("An anonymous teller is named to the territory’s team only."),
    )
    consent_given = forms.BooleanField(
        label=_("The teller consents to the story being told"),
        required=False,
        help_text=_("Without consent, the story stays private to the team."),
    )
    collector = forms.CharField(label=_("Collected by"), max_length=200)
    collected_on = forms.DateField(label=_("Collected on"), initial=timezone.localdate, widget=DATE_WIDGET)
    what_happened = text_field(_("What happened"), rows=6, help_text=_("The story, as the teller told it."))
    why_significant = text_field(
        _("Why it is significant"), help_text=_("Why this change matters to the teller, in their words.")
    )
    actors = PeopleField(
        label=_("Actors involved"),
        queryset=Actor.objects.none(),
        required=False,
        help_text=_("The actors of the map the story tells of."),
        widget=forms.CheckboxSelectMultiple,
    )
    actions = ActionsField(
        label=_("Actions of the trajectory"),
        queryset=Action.objects.none(),
        required=False,
        help_text=_("The actions the story relates to."),
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, story: ChangeStory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = territory_periods(territory)
        self.fields["domain"].queryset = territory_domains(territory)
        self.fields["teller"].queryset = nameable_actors(viewer, territory)
        self.fields["actors"].queryset = nameable_actors(viewer, territory)
        self.fields["actions"].queryset = readable_actions(viewer, territory).order_by("title", "id")
        self.fields["visibility"].help_text = _("Beyond the team only with the teller’s consent.")
        if story is None and getattr(viewer, "full_name", ""):
            self.fields["collector"].initial = viewer.full_name
        teller_id = story.teller_id if story is not None else None
        if teller_id and not self.fields["teller"].queryset.filter(pk=teller_id).exists():
            del self.fields["teller"]  # a teller the editor cannot read stays as they are

    @classmethod
    def for_story(cls, story: ChangeStory, data=None, *, viewer=None) -> "StoryForm":
        fields = (
            "title",
            "teller_name",
            "anonymous",
            "consent_given",
            "collector",
            "collected_on",
            "what_happened",
            "why_significant",
            "visibility",
        )
        initial = {field: getattr(story, field) for field in fields}
        initial |= {"period": story.period_id, "domain": story.domain_id, "teller": story.teller_id}
        initial["actors"] = [actor.pk for actor in story.actors.all()]
        initial["actions"] = [action.pk for action in story.actions.all()]
        return cls(data, initial=initial, viewer=viewer, territory=story.territory, story=story)

    def service_values(self) -> dict:
        """The cleaned values under the names the story services take."""
        values = dict(self.cleaned_data)
        values["actors"] = list(values["actors"])
        values["actions"] = list(values["actions"])
        return values


class VerificationForm(forms.Form):
    verified_on = forms.DateField(label=_("Verified on"), initial=timezone.localdate, widget=DATE_WIDGET)
    verification = text_field(
        _("How it was verified"),
        help_text=_("A visit, a second witness, a document: what confirms the story."),
    )

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class FeedbackForm(forms.Form):
    feedback = text_field(
        _("Feedback given to the teller"),
        help_text=_("What the teller was told back: was their story selected, and what the panel said."),
    )
    feedback_given_on = forms.DateField(
        label=_("Feedback given on"), initial=timezone.localdate, widget=DATE_WIDGET
    )

    def service_values(self) -> dict:
        return {"feedback": self.cleaned_data["feedback"], "given_on": self.cleaned_data["feedback_given_on"]}


# The frame: domains and periods ------------------------------------------------------------------


class DomainForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example: cooperation between communes, daily life."),
    )
    description = text_field(_("Description"), rows=3, required=False)


class PeriodForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=120, help_text=_("For example: Spring 2026, first year of the mandate.")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_WIDGET)
