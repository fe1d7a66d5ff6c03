"""The forms of a contract's tranches, budget lines and conditions precedent: the HTTP input boundary
of their pages. They check the shape of the input; the rules — a year of the contract, one tranche
per co-funder and year, a category the programme funds, an amount in euros with cents at most, a
condition met before paying or spending — are the services' (`budget`), whose refusals land next to
the field they name.

- The years are typed, not chosen: a year outside the contract is refused by the service in its own
  words (« from 2027 to 2029 »).
- The budget-line categories are the current référentiel's, by code; a line keeps the row it holds
  for the code it keeps, whatever its version (decision 0009).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder
from trajectoires.referential.selectors import kept_or_current, referential_items

from .budget import LineInput
from .models import BUDGET_LINE_GRID, BudgetLine, Condition, ConditionKind, Contract, ContractParty, Tranche


def money_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0)


def year_field(contract: Contract) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        help_text=_("A year of the contract, from %(first)s to %(last)s.")
        % {"first": contract.start_year, "last": contract.end_year},
        widget=forms.NumberInput(attrs={"min": contract.start_year, "max": contract.end_year}),
    )


class PartyField(forms.ModelChoiceField):
    def label_from_instance(self, party: ContractParty) -> str:
        return party.funder.name


class ConditionField(forms.ModelChoiceField):
    def label_from_instance(self, condition: Condition) -> str:
        return condition_label(condition)


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        kind = _("capacity") if item.extra.get("capacity") else _("project")
        return f"{item.label} ({kind})"


class FunderField(forms.ModelChoiceField):
    def label_from_instance(self, funder: Funder) -> str:
        return funder.name


def condition_label(condition: Condition) -> str:
    year = f" ({condition.report_year})" if condition.report_year else ""
    return f"{condition.get_kind_display()}{year} — {condition.funder.name}"


class TrancheForm(forms.Form):
    party = PartyField(label=_("Co-funder"), queryset=ContractParty.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("Year"))
    amount = money_field(_("Amount (€)"))
    condition = ConditionField(
        label=_("Condition precedent"),
        queryset=Condition.objects.none(),
        required=False,
        empty_label=_("No condition"),
        help_text=_("The tranche is not paid until the condition is met."),
    )

    def __init__(self, *args, contract: Contract, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["year"] = year_field(contract)
        self.fields["condition"].queryset = contract.conditions.select_related("funder")

    @classmethod
    def for_tranche(cls, tranche: Tranche, data=None, *, parties) -> "TrancheForm":
        initial = {
            "party": tranche.party_id,
            "year": tranche.year,
            "amount": tranche.amount,
            "condition": tranche.condition_id,
        }
        return cls(data, initial=initial, contract=tranche.contract, parties=parties)


class LineForm(forms.Form):
    party = PartyField(
        label=_("Co-funder who pays it"), queryset=ContractParty.objects.none(), empty_label=None
    )
    category = CategoryField(
        label=_("Category"),
        queryset=None,
        to_field_name="code",
        empty_label=None,
        help_text=_("Capacity categories fund people and collectives; the others fund projects."),
    )
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"))
    planned = money_field(_("Planned (€)"))

    def __init__(self, *args, contract: Contract, line: BudgetLine | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = contract.parties.select_related("funder", "programme")
        self.fields["category"].queryset = referential_items(BUDGET_LINE_GRID)
        self.fields["year"] = year_field(contract)
        self.kept_categories = [line.category] if line is not None else []

    def clean_category(self):
        category = self.cleaned_data["category"]
        return kept_or_current(BUDGET_LINE_GRID, [category.code], self.kept_categories)[0]

    @classmethod
    def for_line(cls, line: BudgetLine, data=None) -> "LineForm":
        initial = {
            "party": line.party_id,
            "category": line.category.code,
            "label": line.label,
            "year": line.year,
            "planned": line.planned,
        }
        return cls(data, initial=initial, contract=line.contract, line=line)

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            party=data["party"],
            category=data["category"],
            label=data["label"],
            year=data["year"],
            planned=data["planned"],
        )


class SpendForm(forms.Form):
    spent = money_field(_("Spent so far (€)"))


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What must be true"), choices=ConditionKind.choices, widget=forms.RadioSelect
    )
    funder = FunderField(
        label=_("For which co-funder"),
        queryset=Funder.objects.none(),
        empty_label=None,
        help_text=_("The diagnostic is shared with this funder, or the partnership is signed with it."),
    )
    report_year = forms.IntegerField(
        label=_("Year of the report"),
        required=False,
        help_text=_("For a report condition: the year whose annual report must be delivered first."),
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        funder_ids = contract.parties.values("funder_id")
        self.fields["funder"].queryset = Funder.objects.filter(pk__in=funder_ids).order_by("name")
