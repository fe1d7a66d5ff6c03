"""The forms of the engagement contracts: the HTTP input boundary of their pages. They check the shape
of the input — amounts in euros with at most two decimals, never negative, years as numbers; the
rules — a duration of 1 to 10 years and within each programme's bounds, a share within the total and
the co-financing cap, a programme of the right funder — are the services' (`contracts`), whose
refusals land next to the field they name.

- The years are given one by one, or by the mandate preset: the municipal mandate 2026–2032 split in
  two contracts at the year the user chooses, this contract being the first or the second part.
- A programme offered is an open programme of the funder concerned.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder
from trajectoires.governance.participation_forms import visibility_field
from trajectoires.territories.models import Territory

from .contracts import MANDATE, ContractInput, mandate_periods
from .models import Contract, ContractParty, Programme

YEARS = {"min_value": 2000, "max_value": 2100}


def money_field(label, **options) -> forms.DecimalField:
    """Euros, exactly: at most two decimals, never negative."""
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **options,
    )


class ProgrammeField(forms.ModelChoiceField):
    def label_from_instance(self, programme: Programme) -> str:
        return programme.name


class FunderProgrammeField(forms.ModelChoiceField):
    def label_from_instance(self, programme: Programme) -> str:
        return f"{programme.funder.name} — {programme.name}"


def open_programmes(funder: Funder | None = None):
    rows = Programme.objects.filter(is_open=True).select_related("funder").order_by("funder__name", "name")
    return rows.filter(funder=funder) if funder is not None else rows


class Period:
    YEARS = "years"
    FIRST = "mandate_first"
    SECOND = "mandate_second"


def period_choices() -> list[tuple[str, str]]:
    years = {"first": MANDATE[0], "last": MANDATE[1]}
    return [
        (Period.YEARS, gettext("The years given below")),
        (Period.FIRST, gettext("The mandate %(first)s–%(last)s, first part") % years),
        (Period.SECOND, gettext("The mandate %(first)s–%(last)s, second part") % years),
    ]


class ContractForm(forms.Form):
    """A contract's title, summary, years (or the mandate preset), total and visibility."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        help_text=_("What the contract funds and why, in a few lines."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    period = forms.ChoiceField(
        label=_("Years of the contract"),
        choices=period_choices,
        initial=Period.YEARS,
        widget=forms.RadioSelect,
    )
    start_year = forms.IntegerField(label=_("First year"), required=False, **YEARS)
    end_year = forms.IntegerField(
        label=_("Last year"),
        required=False,
        help_text=_("Included: a contract from 2027 to 2029 lasts three years."),
        **YEARS,
    )
    split_year = forms.IntegerField(
        label=_("Year the second part of the mandate starts"),
        required=False,
        help_text=_("With the mandate: the first part ends the year before."),
        **YEARS,
    )
    total_amount = money_field(_("Total amount (€)"))
    visibility = visibility_field()

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == Period.YEARS:
            for name in ("start_year", "end_year"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        elif period in (Period.FIRST, Period.SECOND) and "split_year" not in self.errors:
            split = data.get("split_year")
            if split is None:
                self.add_error("split_year", _("Choose the year the second part of the mandate starts."))
            else:
                try:
                    first, second = mandate_periods(split)
                except ValidationError as error:
                    self.add_error("split_year", error.message_dict["split_year"])
                else:
                    data["start_year"], data["end_year"] = first if period == Period.FIRST else second
        return data

    def contract_input(self) -> ContractInput:
        data = self.cleaned_data
        return ContractInput(
            title=data["title"],
            summary=data["summary"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            total_amount=data["total_amount"],
            visibility=data["visibility"],
        )

    @classmethod
    def for_contract(cls, contract: Contract, data=None) -> "ContractForm":
        initial = {
            "title": contract.title,
            "summary": contract.summary,
            "period": Period.YEARS,
            "start_year": contract.start_year,
            "end_year": contract.end_year,
            "total_amount": contract.total_amount,
            "visibility": contract.visibility,
        }
        return cls(data, initial=initial)


class TerritoryField(forms.ModelChoiceField):
    def label_from_instance(self, territory: Territory) -> str:
        return territory.name


class NewContractForm(ContractForm):
    """A new draft led by `funder`: the territory, the funder's programme and its own share too."""

    territory = TerritoryField(
        label=_("Territory"), queryset=Territory.objects.order_by("name"), empty_label=_("Choose a territory")
    )
    programme = ProgrammeField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("No programme"),
        help_text=_("The programme of your funder that pays your share; its rules apply to it."),
    )
    amount = money_field(_("Your funder’s share (€)"))
    field_order = [
        "territory",
        "programme",
        "title",
        "summary",
        "period",
        "start_year",
        "end_year",
        "split_year",
        "total_amount",
        "amount",
        "visibility",
    ]

    def __init__(self, *args, funder: Funder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = open_programmes(funder)
        self.fields["amount"].label = _("Share of %(funder)s (€)") % {"funder": funder.name}


class PartyForm(forms.Form):
    """A co-funder joining a draft: the funder, its programme (optional) and its share."""

    funder = forms.ModelChoiceField(
        label=_("Funder"), queryset=Funder.objects.none(), empty_label=_("Choose a funder")
    )
    programme = FunderProgrammeField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("No programme"),
        help_text=_("A programme of that funder; its rules apply to its share."),
    )
    amount = money_field(_("Share (€)"))

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [party.funder_id for party in contract.parties.all()]
        self.fields["funder"].queryset = Funder.objects.exclude(pk__in=taken).order_by("name")
        self.fields["programme"].queryset = open_programmes().exclude(funder_id__in=taken)


class PartyEditForm(forms.Form):
    """A co-funder's share and programme."""

    programme = ProgrammeField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("No programme"),
        help_text=_("A programme of that funder; its rules apply to its share."),
    )
    amount = money_field(_("Share (€)"))

    def __init__(self, *args, party: ContractParty, **kwargs):
        kwargs.setdefault("initial", {"programme": party.programme_id, "amount": party.amount})
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.filter(funder=party.funder).order_by("name")
        if party.programme_id is None:
            programmes = programmes.filter(is_open=True)
        else:  # the programme it has stays offered, even closed
            programmes = programmes.filter(is_open=True) | programmes.filter(pk=party.programme_id)
        self.fields["programme"].queryset = programmes


class ReviewForm(forms.Form):
    mid_term_review = forms.CharField(
        label=_("Mid-term review"),
        help_text=_("What half of the contract has shown: what works, what changes, what was learnt."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("Closing note"),
        help_text=_("What the contract made possible, and what the territory keeps of it."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
