"""The forms of the indicators: the HTTP input boundary of their pages. They check the shape of the
input; the rules — a unit of the list or one the writers name, a unit that does not change once
there are values, values given in the indicator's unit, a share between 0 and 100 %, distances and
volumes never negative — are the services' (`effects`), whose refusals land next to the field they
name.

- The value form carries the indicator's unit as a hidden field, shown beside it: a value posted in
  another unit is refused by the service, with its words, next to the unit.
- Figures are typed as they are written in French (« 42,5 »).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.governance.participation_forms import visibility_field

from .models import Indicator, IndicatorUnit, IndicatorValue


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"), choices=IndicatorUnit.choices, widget=forms.RadioSelect)
    custom_unit = forms.CharField(
        label=_("Other unit"),
        max_length=40,
        required=False,
        help_text=_("Only when none of the list fits: meals served, households, hectares…"),
    )
    description = forms.CharField(
        label=_("What it measures and how"),
        required=False,
        help_text=_("Its source, how it is counted, what it leaves out."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = visibility_field()

    @classmethod
    def for_indicator(cls, indicator: Indicator, data=None) -> "IndicatorForm":
        fields = ("name", "unit", "custom_unit", "description", "visibility")
        return cls(data, initial={field: getattr(indicator, field) for field in fields})


def _figure(label, help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class ValueForm(forms.Form):
    unit = forms.CharField(widget=forms.HiddenInput, max_length=40)
    target = _figure(_("Target"), _("What the territory aimed at for the period."))
    actual = _figure(_("Actual value"), _("What was measured over the period."))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        help_text=_("What the figure includes or leaves out, where it comes from."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, indicator: Indicator, value: IndicatorValue | None = None, **kwargs):
        initial = {"unit": indicator.unit}
        if value is not None:
            initial |= {"target": value.target, "actual": value.actual, "comment": value.comment}
        super().__init__(*args, initial=initial, **kwargs)
