from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.models import Actor
from trajectoires.core.uploads import ACCEPTED_EXTENSIONS, check_upload, max_upload_bytes, size_label
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.territories.permissions import visible_to

from .models import EntryType, JournalEntry
from .selectors import CELEBRATION, JournalFilters


class KeyActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return f"{item.code} — {item.label}"


class LabelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return item.label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked by `core.uploads` (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned, problems = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                check_upload(upload, field=self.label)
            except ValidationError as error:
                problems += error.messages
            else:
                cleaned.append(upload)
        if problems:
            raise ValidationError(problems)
        return cleaned


def upload_help() -> str:
    return _("Accepted: %(extensions)s; at most %(limit)s each.") % {
        "extensions": ", ".join(ACCEPTED_EXTENSIONS),
        "limit": size_label(max_upload_bytes()),
    }


def territory_actors(viewer, territory):
    """The actors an editor may tag: the territory's, as `viewer` may see them."""
    return visible_to(Actor.objects.filter(territory=territory), viewer).order_by("name")


class JournalEntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occurred_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    entry_type = forms.ChoiceField(
        label=_("Type"), choices=EntryType.choices, initial=EntryType.EVENT, required=False
    )
    body = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    key_actions = KeyActionChoiceField(
        label=_("Key actions"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = LabelChoiceField(
        label=_("Essential needs"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actors = forms.ModelMultipleChoiceField(
        label=_("Actors"), queryset=Actor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(label=_("Add files"))
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove files"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, viewer=None, territory=None, entry: JournalEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The current version's items, by code; an entry keeps the rows it holds for unchanged codes.
        self.fields["key_actions"].queryset = referential_items("key_action")
        self.fields["needs"].queryset = referential_items("essential_need")
        self.kept = {
            "key_actions": list(entry.key_actions.all()) if entry is not None else [],
            "needs": list(entry.needs.all()) if entry is not None else [],
        }
        if territory is not None:
            self.fields["actors"].queryset = territory_actors(viewer, territory)
        self.fields["attachments"].help_text = upload_help()
        if entry is None:
            del self.fields["remove_attachments"]
        else:
            self.fields["remove_attachments"].queryset = entry.attachments.all()

    def clean_entry_type(self) -> str:
        return self.cleaned_data["entry_type"] or EntryType.EVENT

    def clean_key_actions(self) -> list:
        codes = [item.code for item in self.cleaned_data["key_actions"]]
        return kept_or_current("key_action", codes, self.kept["key_actions"])

    def clean_needs(self) -> list:
        codes = [item.code for item in self.cleaned_data["needs"]]
        return kept_or_current("essential_need", codes, self.kept["needs"])

    @classmethod
    def for_entry(cls, entry: JournalEntry, data=None, files=None, *, viewer=None) -> "JournalEntryForm":
        fields = ("title", "occurred_on", "entry_type", "body", "visibility")
        initial = {field: getattr(entry, field) for field in fields}
        for name in ("key_actions", "needs", "actors"):
            initial[name] = list(getattr(entry, name).all())
        return cls(data, files, initial=initial, viewer=viewer, territory=entry.territory, entry=entry)


class KeyActionFilterField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        return f"{item.code} — {item.label}"


class LabelFilterField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        return item.label


class TimelineFilterForm(forms.Form):
    """The timeline's filters (GET): a filter that does not validate is shown with its error and
    left out."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), required=False)
    # By code (?key_action=K10): the filter finds entries holding the item of any version.
    key_action = KeyActionFilterField(
        label=_("Key action"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )
    need = LabelFilterField(
        label=_("Essential need"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )
    actor = forms.ModelChoiceField(
        label=_("Actor"), queryset=Actor.objects.none(), required=False, empty_label=_("All")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    has_attachments = forms.BooleanField(label=_("With files only"), required=False)

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All")), *EntryType.choices, (CELEBRATION, _("Celebration"))]
        self.fields["key_action"].queryset = referential_items("key_action")
        self.fields["need"].queryset = referential_items("essential_need")
        self.fields["actor"].queryset = territory_actors(viewer, territory)

    def filters(self) -> JournalFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return JournalFilters(
            q=data.get("q") or "",
            type=data.get("type") or "",
            key_action=data["key_action"].code if data.get("key_action") else "",
            need=data["need"].code if data.get("need") else "",
            actor=data["actor"].pk if data.get("actor") else None,
            year=data.get("year"),
            has_attachments=bool(data.get("has_attachments")),
        )
