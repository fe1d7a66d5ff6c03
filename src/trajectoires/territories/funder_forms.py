from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.referential.selectors import referential_items

from .models import Territory


class FunderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ModelChoiceField(label=_("Type"), queryset=None, empty_label=None, to_field_name="code")
    siren = forms.CharField(
        label=_("SIREN"), max_length=9, required=False, help_text=_("Nine digits, if it has one.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = referential_items("funder_type")
        self.fields["kind"].label_from_instance = lambda item: item.label


class PartnershipForm(forms.Form):
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.order_by("name"))
    since = forms.DateField(
        label=_("Partner since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
