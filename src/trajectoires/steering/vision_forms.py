from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items

from .vision import OrientationInput, default_horizon


class VisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    horizon_year = forms.IntegerField(label=_("Horizon year"), initial=default_horizon)
    statement = forms.CharField(label=_("The vision"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = forms.CharField(
        label=_("Attachments: heritage, landscapes, identities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stakes_to_lose = forms.CharField(
        label=_("What is at stake to lose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    stakes_to_gain = forms.CharField(
        label=_("What is at stake to gain"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PRIVATE,
    )
    reason = forms.CharField(
        label=_("Why this change"), max_length=300, help_text=_("Kept in the history with your name.")
    )


class NeedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return item.label


class OrientationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    title = forms.CharField(label=_("Orientation"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # By code, over the current version's needs: an orientation's needs of an older version show
    # checked, and saving them unchanged keeps their rows (see vision._save_orientations).
    needs = NeedChoiceField(
        label=_("Essential needs it answers"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = referential_items("essential_need")

    def as_input(self) -> OrientationInput:
        data = self.cleaned_data
        return OrientationInput(
            title=data["title"], description=data["description"], needs=list(data["needs"]), id=data.get("id")
        )


OrientationFormSet = forms.formset_factory(OrientationForm, extra=2, can_delete=True, max_num=30)


def orientation_inputs(formset) -> list[OrientationInput]:
    """Every orientation the form holds: kept ones even when unchanged, blank extra forms left out."""
    return [
        form.as_input()
        for form in formset.forms
        if form.cleaned_data.get("title") and not form.cleaned_data.get("DELETE")
    ]


def initial_from(vision) -> tuple[dict, list[dict]]:
    if vision is None:
        return {"version": 0}, []
    initial = {
        name: getattr(vision, name)
        for name in (
            "horizon_year",
            "statement",
            "attachments",
            "stakes_to_lose",
            "stakes_to_gain",
            "visibility",
        )
    }
    initial["version"] = vision.version
    orientations = [
        {"id": o.pk, "title": o.title, "description": o.description, "needs": list(o.needs.all())}
        for o in vision.orientations.all()
    ]
    return initial, orientations
