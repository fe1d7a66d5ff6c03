import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.geo.selectors import area_from_reference

from .enums import TerritoryKind


class TerritoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TerritoryKind.choices)
    areas = forms.CharField(
        label=_("Perimeter"),
        max_length=2000,
        help_text=_(
            "Codes of the areas it covers, separated by commas or spaces: an INSEE code for a commune "
            "(42218), a SIREN for an EPCI (244200770), a département number (42), or region:84."
        ),
    )
    alliance_joined_on = forms.DateField(
        label=_("Member of the alliance since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_areas(self):
        references = [ref for ref in re.split(r"[\s,;]+", self.cleaned_data["areas"]) if ref]
        found, unknown = [], []
        for reference in references:
            area = area_from_reference(reference)
            (found if area else unknown).append(area or reference)
        if unknown:
            raise forms.ValidationError(
                _("No current area has the code %(codes)s."), params={"codes": ", ".join(unknown)}
            )
        return found
