"""The form a co-funder fills to record one of its requirements on a contract."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.referential.selectors import referential_items

from .models import ReportFormat, RequirementKind


class RequirementForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("For which co-funder"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Requirement"), choices=RequirementKind.choices)
    due_day = forms.IntegerField(label=_("Report due on day"), min_value=1, max_value=31, required=False)
    due_month = forms.IntegerField(label=_("of month"), min_value=1, max_value=12, required=False)
    report_format = forms.ChoiceField(
        label=_("Format of the report"), choices=[("", "—"), *ReportFormat.choices], required=False
    )
    indicator = forms.SlugField(label=_("Indicator code"), max_length=80, required=False)
    definition = forms.CharField(
        label=_("Definition of the indicator"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = forms.ModelChoiceField(label=_("Budget-line category"), queryset=None, required=False)
    percent = forms.DecimalField(
        label=_("Share of the contract (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
        self.fields["category"].queryset = referential_items("budget_line_category")
        self.fields["category"].label_from_instance = lambda item: item.label
