"""The forms of a funder's programmes and area of competence. They check the shape of the input —
areas given by their reference, durations and a cap as numbers; the rules (durations from 1 to 10
years, the minimum first; a cap between 0 and 100 %; categories of the référentiel) are the
services' (`programmes`), whose refusals land next to the field they name."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from trajectoires.geo.models import Area
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.enums import TerritoryKind

from .models import BUDGET_LINE_GRID, Programme
from .programmes import ProgrammeInput

AREAS_HELP = _(
    "Codes of the areas, separated by commas or spaces: region:44 for a région, a département number "
    "(68), a SIREN for an EPCI (244200770), an INSEE code for a commune (68343)."
)


def area_reference(area: Area) -> str:
    """What `area_from_reference` reads back: `region:44`, `departement:68`, `commune:68343`…"""
    return f"{area.kind}:{area.code}"


class AreasField(forms.CharField):
    """Areas given by their references, separated by commas or spaces."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("help_text", AREAS_HELP)
        super().__init__(**kwargs)

    def clean(self, value) -> list[Area]:
        text = super().clean(value)
        found, unknown = [], []
        for reference in (ref for ref in re.split(r"[\s,;]+", text or "") if ref):
            area = area_from_reference(reference)
            (found if area else unknown).append(area or reference)
        if unknown:
            raise forms.ValidationError(
                _("No current area has the code %(codes)s."), params={"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(found))


class CategoriesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item: Item) -> str:
        return item.label


def categories_field(label, help_text) -> CategoriesField:
    return CategoriesField(
        label=label,
        queryset=Item.objects.none(),
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_open = forms.BooleanField(label=_("Open to new contracts"), required=False, initial=True)
    territory_kinds = forms.MultipleChoiceField(
        label=_("Eligible territory kinds"),
        choices=TerritoryKind.choices,
        required=False,
        help_text=_("None checked: every kind of territory."),
        widget=forms.CheckboxSelectMultiple,
    )
    areas = AreasField(
        label=_("Eligible areas"),
        required=False,
        help_text=format_lazy("{} {}", AREAS_HELP, _("None: every area.")),
    )
    categories = categories_field(
        _("Eligible budget-line categories"), _("None checked: every category of the référentiel.")
    )
    diagnostic_categories = categories_field(
        _("Categories that need a finished diagnostic sensible"),
        _(
            "A line of these categories waits until the territory has finished its diagnostic sensible "
            "and shared it."
        ),
    )
    min_years = forms.IntegerField(label=_("Minimum duration (years)"), initial=3, min_value=1, max_value=10)
    max_years = forms.IntegerField(label=_("Maximum duration (years)"), initial=5, min_value=1, max_value=10)
    cofinancing_cap = forms.DecimalField(
        label=_("Co-financing cap (% of the contract)"),
        initial=100,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("The largest share of a contract’s total the programme pays."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = referential_items(BUDGET_LINE_GRID).select_related("grid")
        self.fields["categories"].queryset = categories
        self.fields["diagnostic_categories"].queryset = categories

    @classmethod
    def for_programme(cls, programme: Programme, data=None) -> "ProgrammeForm":
        initial = {
            "name": programme.name,
            "description": programme.description,
            "is_open": programme.is_open,
            "territory_kinds": programme.territory_kinds,
            "areas": " ".join(area_reference(area) for area in programme.areas.all()),
            "categories": [item.pk for item in programme.categories.all()],
            "diagnostic_categories": [item.pk for item in programme.diagnostic_categories.all()],
            "min_years": programme.min_years,
            "max_years": programme.max_years,
            "cofinancing_cap": programme.cofinancing_cap,
        }
        return cls(data, initial=initial)

    def programme_input(self) -> ProgrammeInput:
        data = self.cleaned_data
        return ProgrammeInput(
            name=data["name"],
            description=data["description"],
            is_open=data["is_open"],
            territory_kinds=data["territory_kinds"],
            areas=data["areas"] or [],
            categories=list(data["categories"]),
            diagnostic_categories=list(data["diagnostic_categories"]),
            min_years=data["min_years"],
            max_years=data["max_years"],
            cofinancing_cap=data["cofinancing_cap"],
        )


class CompetenceForm(forms.Form):
    areas = AreasField(label=_("Area of competence"), required=False)

    @classmethod
    def for_areas(cls, areas: list[Area], data=None) -> "CompetenceForm":
        return cls(data, initial={"areas": " ".join(area_reference(area) for area in areas)})
