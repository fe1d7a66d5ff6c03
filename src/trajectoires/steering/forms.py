from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items

from .models import JournalEntry


class KeyActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return f"{item.code} — {item.label}"


class JournalEntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occurred_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    body = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    key_actions = KeyActionChoiceField(
        label=_("Key actions"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_actions"].queryset = referential_items("key_action")

    @classmethod
    def for_entry(cls, entry: JournalEntry, data=None) -> "JournalEntryForm":
        initial = {field: getattr(entry, field) for field in ("title", "occurred_on", "body", "visibility")}
        initial["key_actions"] = list(entry.key_actions.all())
        return cls(data, initial=initial)
