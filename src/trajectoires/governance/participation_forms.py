"""The forms of participation spaces, meetings and decisions: the HTTP input boundary (the API
validates its payloads with the same forms). The rules across fields and rows — members and
attendees of the territory, attendees among the members, dates in order, the space of the
territory — are the services' (`spaces`, `decisions`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items

from .decisions import LEVEL_GRID
from .models import Decision, ParticipationSpace, SpaceKind
from .spaces import readable_spaces

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def visibility_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class ActorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SpaceKind.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        help_text=_("What the space is for, and what it decides or advises on."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    members = ActorChoiceField(
        label=_("Members"),
        queryset=Actor.objects.none(),
        required=False,
        help_text=_(
            "Actors of the map. Aim for the « 4 Fantastiques »: élus, agents, État territorial and "
            "socio-economic actors."
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = nameable_actors(viewer, territory)

    @classmethod
    def for_space(cls, space: ParticipationSpace, data=None, *, viewer=None) -> "SpaceForm":
        initial = {field: getattr(space, field) for field in ("name", "kind", "purpose", "visibility")}
        initial["members"] = [actor.pk for actor in space.members.all()]
        return cls(data, initial=initial, viewer=viewer, territory=space.territory)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))
    attendees = ActorChoiceField(
        label=_("Attendees"),
        queryset=Actor.objects.none(),
        required=False,
        help_text=_("Members of the space who took part."),
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        help_text=_("What was said and decided; written once the meeting has taken place."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, viewer=None, space: ParticipationSpace | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        # Any readable actor of the territory is accepted here, so that the service can say which
        # one is not a member; the page offers the members only.
        field.queryset = nameable_actors(viewer, space.territory)
        members = {actor.pk for actor in space.members.all()}
        field.widget.choices = [
            (actor.pk, field.label_from_instance(actor)) for actor in field.queryset if actor.pk in members
        ]


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, level) -> str:
        return level.label


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, space) -> str:
        return space.name


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    decided_on = forms.DateField(label=_("Decided on"), initial=timezone.localdate, widget=DATE_WIDGET)
    participation_level = LevelChoiceField(
        label=_("Participation level reached"),
        queryset=None,
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    space = SpaceChoiceField(label=_("Participation space"), queryset=None, required=False)
    co_construction_started_on = forms.DateField(
        label=_("Co-construction started on"),
        required=False,
        help_text=_("When people were first involved in shaping it; empty if it was not co-constructed."),
        widget=DATE_WIDGET,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("What was decided, and how people took part."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The current version's levels, by code; a decision keeps its own level's row while its code
        # is unchanged, whatever its version (decision 0009).
        self.fields["participation_level"].queryset = referential_items(LEVEL_GRID)
        self.kept_level = decision.participation_level if decision is not None else None
        spaces = readable_spaces(viewer, territory).order_by("name", "id")
        self.fields["space"].queryset = spaces
        if decision is not None and decision.space_id and not getattr(decision, "space_visible", True):
            del self.fields["space"]  # a space the editor cannot read stays as it is

    def clean_participation_level(self):
        chosen, kept = self.cleaned_data["participation_level"], self.kept_level
        return kept if kept is not None and kept.code == chosen.code else chosen

    @classmethod
    def for_decision(cls, decision: Decision, data=None, *, viewer=None) -> "DecisionForm":
        fields = ("title", "decided_on", "co_construction_started_on", "description", "visibility")
        initial = {field: getattr(decision, field) for field in fields}
        initial["participation_level"] = decision.participation_level.code
        initial["space"] = decision.space_id
        return cls(data, initial=initial, viewer=viewer, territory=decision.territory, decision=decision)


class SpaceFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *SpaceKind.choices]

    def chosen_kind(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


class DecisionFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Participation level"), required=False)
    space = forms.TypedChoiceField(
        label=_("Participation space"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, levels=(), spaces=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        self.fields["level"].choices = [everything, *((item.code, item.label) for item in levels)]
        self.fields["space"].choices = [everything, *((space.pk, space.name) for space in spaces)]
        self.fields["year"].choices = [everything, *((year, year) for year in sorted(years, reverse=True))]

    def chosen(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
