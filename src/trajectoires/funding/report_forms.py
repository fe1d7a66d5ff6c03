"""The annual report's form: the territory's words first, then what it cites — only its records
that the co-funders may read — then the objectives and the budget; and a co-funder's review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.evaluation.models import ChangeStory, EffectAssessment, Indicator
from trajectoires.steering.models import Celebration, JournalEntry

from .models import ContractReport, ReviewDecision
from .reports import SHAREABLE, ReportInput


def _cited(model, territory, label, ordering, label_from_instance):
    field = forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.filter(territory=territory, visibility__in=SHAREABLE).order_by(*ordering),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field.label_from_instance = label_from_instance
    return field


class ReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("What changed this year, in your own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    objectives_progress = forms.CharField(
        label=_("Progress on the objectives"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    budget_comment = forms.CharField(
        label=_("Comment on the budget executed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, report: ContractReport, **kwargs):
        territory = report.contract.territory
        initial = {
            "narrative": report.narrative,
            "objectives_progress": report.objectives_progress,
            "budget_comment": report.budget_comment,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["stories"] = _cited(
            ChangeStory, territory, _("Stories of change"), ["-collected_on", "title"], lambda s: s.title
        )
        self.fields["effects"] = _cited(
            EffectAssessment,
            territory,
            _("Systemic effects"),
            ["-period__ends_on", "effect__position"],
            lambda e: f"{e.effect.label} — {e.period.label} ({e.get_level_display()})",
        )
        self.fields["journal_entries"] = _cited(
            JournalEntry,
            territory,
            _("Journal highlights"),
            ["-occurred_on"],
            lambda e: f"{e.occurred_on:%d/%m/%Y} — {e.title}",
        )
        self.fields["celebrations"] = _cited(
            Celebration,
            territory,
            _("Celebrations"),
            ["-achieved_on"],
            lambda c: f"{c.achieved_on:%d/%m/%Y} — {c.title}",
        )
        self.fields["indicators"] = _cited(Indicator, territory, _("Indicators"), ["name"], lambda i: i.name)
        self.fields["effects"].queryset = self.fields["effects"].queryset.select_related("effect", "period")
        self.order_fields(
            ["narrative", "stories", "effects", "journal_entries", "celebrations", "objectives_progress",
             "budget_comment", "indicators"]
        )  # fmt: skip
        if not self.is_bound:
            for name in ("stories", "effects", "journal_entries", "celebrations", "indicators"):
                self.initial[name] = list(getattr(report, name).values_list("pk", flat=True))

    def report_input(self) -> ReportInput:
        return ReportInput(**{name: self.cleaned_data[name] for name in self.fields})


class ReviewForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("For which co-funder"), queryset=None, empty_label=None)
    decision = forms.ChoiceField(
        label=_("Your reading"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
