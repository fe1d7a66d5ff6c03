from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility

from .celebrations import territory_entries
from .forms import territory_actors
from .models import Celebration, JournalEntry


class EntryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, entry) -> str:
        return f"{entry.occurred_on:%Y-%m-%d} — {entry.title}"


class CelebrationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    achieved_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    achievement = forms.CharField(label=_("What was achieved"), widget=forms.Textarea(attrs={"rows": 5}))
    participants = forms.CharField(
        label=_("Who took part"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actors = forms.ModelMultipleChoiceField(
        label=_("Actors"), queryset=Actor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    journal_entries = EntryChoiceField(
        label=_("Linked journal entries"),
        queryset=JournalEntry.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
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
        self.fields["journal_entries"].queryset = territory_entries(viewer, territory)

    @classmethod
    def for_celebration(cls, celebration: Celebration, data=None, *, viewer=None) -> "CelebrationForm":
        fields = ("title", "achieved_on", "achievement", "participants", "visibility")
        initial = {field: getattr(celebration, field) for field in fields}
        initial["actors"] = list(celebration.actors.all())
        initial["journal_entries"] = list(celebration.journal_entries.all())
        return cls(data, initial=initial, viewer=viewer, territory=celebration.territory)
