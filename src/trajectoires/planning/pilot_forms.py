"""The forms of the pilots, their iterations and their transferability sheets: the HTTP input
boundary (the API validates its payloads with the same forms). The rules across fields and rows —
dates against the pilot's start, a closed pilot, lessons on stopping, complete published sheets —
are the services' (`pilots`, `iterations`, `sheets`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.steering.models import Orientation
from trajectoires.steering.narratives import vision_orientations

from .models import IterationDecision, Pilot, PilotStatus, TransferabilitySheet
from .pilots import territory_actors
from .sheets import SECTION_TITLES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrientationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, orientation) -> str:
        return orientation.title


class PilotForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        help_text=_("What the pilot tests: “if we…, then…”."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scope = forms.CharField(
        label=_("Scope"),
        help_text=_("Deliberately modest: where, with whom, for how long."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_on = forms.DateField(label=_("Start"), initial=timezone.localdate, widget=DATE_WIDGET)
    actors = forms.ModelMultipleChoiceField(
        label=_("Actors involved"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    orientations = OrientationChoiceField(
        label=_("Orientations of the vision it serves"),
        queryset=Orientation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lessons = forms.CharField(
        label=_("Lessons"),
        required=False,
        help_text=_("What the pilot teaches, whatever its outcome."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = territory_actors(viewer, territory)
        self.fields["orientations"].queryset = vision_orientations(viewer, territory)

    @classmethod
    def for_pilot(cls, pilot: Pilot, data=None, *, viewer=None) -> "PilotForm":
        fields = ("title", "hypothesis", "scope", "started_on", "lessons", "visibility")
        initial = {field: getattr(pilot, field) for field in fields}
        initial["actors"] = list(pilot.actors.all())
        initial["orientations"] = list(pilot.orientations.all())
        return cls(data, initial=initial, viewer=viewer, territory=pilot.territory)


class IterationForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET)
    tried = forms.CharField(label=_("What was tried"), widget=forms.Textarea(attrs={"rows": 4}))
    observed = forms.CharField(label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        help_text=_("Figures, testimonies, documents that back the observation."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=IterationDecision.choices, widget=forms.RadioSelect
    )
    adjustment = forms.CharField(
        label=_("The decision taken and why"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons = forms.CharField(
        label=_("Lessons"),
        required=False,
        help_text=_("They replace the pilot's lessons; required to stop the pilot."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_pilot(cls, pilot: Pilot, data=None) -> "IterationForm":
        return cls(data, initial={"lessons": pilot.lessons})


class SheetForm(forms.Form):
    context = forms.CharField(
        label=SECTION_TITLES["context"],
        required=False,
        help_text=_("The territory and the situation in which the pilot worked."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    prerequisites = forms.CharField(
        label=SECTION_TITLES["prerequisites"],
        required=False,
        help_text=_("What must be in place before starting: people, skills, partners, decisions."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    costs = forms.CharField(
        label=SECTION_TITLES["costs"],
        required=False,
        help_text=_("Money, time and people it took."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pitfalls = forms.CharField(
        label=SECTION_TITLES["pitfalls"],
        required=False,
        help_text=_("What went wrong, or nearly did, and how to avoid it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contacts = forms.CharField(
        label=SECTION_TITLES["contacts"],
        required=False,
        help_text=_("Whom to call to learn more. Everyone in the alliance reads a published sheet."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_sheet(cls, sheet: TransferabilitySheet | None, data=None) -> "SheetForm":
        initial = (
            {section: getattr(sheet, section) for section in TransferabilitySheet.SECTIONS} if sheet else {}
        )
        return cls(data, initial=initial)


class PilotFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *PilotStatus.choices]

    def chosen_status(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""
