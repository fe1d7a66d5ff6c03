from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.core.uploads import check_upload
from trajectoires.core.visibility import Visibility

from .forms import upload_help
from .models import Narrative, NarrativeFormat, Orientation
from .narratives import vision_orientations


class OrientationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, orientation) -> str:
        return orientation.title


class CheckedFileField(forms.FileField):
    """One file, checked by `core.uploads` (type by content, size)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            try:
                check_upload(upload, field=str(self.label))
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return upload


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=NarrativeFormat.choices)
    told_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    orientations = OrientationChoiceField(
        label=_("Orientations of the vision it tells"),
        queryset=Orientation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = CheckedFileField(label=_("File"), required=False, widget=forms.FileInput)
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, viewer=None, territory=None, narrative: Narrative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orientations"].queryset = vision_orientations(viewer, territory)
        self.fields["file"].help_text = upload_help()
        if narrative is None or not narrative.file_name:
            del self.fields["remove_file"]
        else:
            self.fields["file"].help_text = _("Now: %(name)s. A new file replaces it.") % {
                "name": narrative.file_name
            }

    @classmethod
    def for_narrative(cls, narrative: Narrative, data=None, files=None, *, viewer=None) -> "NarrativeForm":
        initial = {
            field: getattr(narrative, field)
            for field in ("title", "format", "told_on", "audience", "body", "link", "visibility")
        }
        initial["orientations"] = list(narrative.orientations.all())
        return cls(
            data, files, initial=initial, viewer=viewer, territory=narrative.territory, narrative=narrative
        )


class NarrativeFilterForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", _("All")), *NarrativeFormat.choices]

    def chosen_format(self) -> str:
        return self.cleaned_data.get("format", "") if self.is_valid() else ""
