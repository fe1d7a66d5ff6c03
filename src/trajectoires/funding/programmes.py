"""Programmes and their rules, and a funder's area of competence.

A funder admin writes its funder's programmes. A programme's rules apply to every contract share it
funds: the territory's kind and areas, the contract's duration, the funder's share of the total (the
co-financing cap), the budget-line categories it funds, and the categories that wait for a finished
diagnostic sensible.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.geo.models import Area, AreaAncestry
from trajectoires.referential.models import Item
from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.models import Territory

from .models import BUDGET_LINE_GRID, FunderArea, Programme
from .money import percent_text
from .permissions import is_funder_admin

MIN_YEARS, MAX_YEARS = 1, 10


def funder_scope(funder: Funder) -> str:
    """The audit scope of a funder's own records."""
    return f"funder:{funder.pk}"


@dataclass
class ProgrammeInput:
    name: str
    description: str = ""
    is_open: bool = True
    territory_kinds: list[str] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    categories: list[Item] = field(default_factory=list)
    diagnostic_categories: list[Item] = field(default_factory=list)
    min_years: int = 3
    max_years: int = 5
    cofinancing_cap: Decimal = Decimal(100)


def _check_programme(data: ProgrammeInput) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("A programme has a name.")
    if unknown := [kind for kind in data.territory_kinds if kind not in TerritoryKind.values]:
        errors["territory_kinds"] = _("Unknown territory kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    if any(item.grid.code != BUDGET_LINE_GRID for item in [*data.categories, *data.diagnostic_categories]):
        errors["categories"] = _("Choose budget-line categories of the référentiel.")
    if not MIN_YEARS <= data.min_years <= data.max_years <= MAX_YEARS:
        errors["min_years"] = _("The durations go from %(low)s to %(high)s years, the minimum first.") % {
            "low": MIN_YEARS,
            "high": MAX_YEARS,
        }
    if not Decimal(0) < data.cofinancing_cap <= Decimal(100):
        errors["cofinancing_cap"] = _("A co-financing cap is a share between 0 and 100 %.")
    if errors:
        raise ValidationError(errors)


def _snapshot(programme: Programme) -> dict[str, Any]:
    return {
        "name": programme.name,
        "description": programme.description,
        "is_open": programme.is_open,
        "territory_kinds": sorted(programme.territory_kinds),
        "areas": sorted(area.code for area in programme.areas.all()),
        "categories": sorted(item.code for item in programme.categories.all()),
        "diagnostic_categories": sorted(item.code for item in programme.diagnostic_categories.all()),
        "min_years": programme.min_years,
        "max_years": programme.max_years,
        "cofinancing_cap": str(programme.cofinancing_cap),
    }


def _unique_slug(funder: Funder, name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:200] or "programme"
    taken = set(Programme.objects.filter(funder=funder).exclude(pk=exclude).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _write(programme: Programme, data: ProgrammeInput) -> None:
    for name in ("name", "description", "is_open", "min_years", "max_years", "cofinancing_cap"):
        setattr(programme, name, getattr(data, name))
    programme.name = data.name.strip()
    # As stored (two decimals), so that the trail compares like with like: 50 and 50.00 are the same cap.
    programme.cofinancing_cap = Decimal(data.cofinancing_cap).quantize(Decimal("0.01"))
    programme.territory_kinds = sorted(set(data.territory_kinds))
    programme.save()
    programme.areas.set(data.areas)
    programme.categories.set(data.categories)
    programme.diagnostic_categories.set(data.diagnostic_categories)


def programme_create(*, actor: Any, funder: Funder, data: ProgrammeInput) -> Programme:
    if not is_funder_admin(actor, funder.pk):
        raise PermissionDenied
    _check_programme(data)
    with transaction.atomic():
        programme = Programme(funder=funder, slug=_unique_slug(funder, data.name))
        _write(programme, data)
        after = _snapshot(programme)
        audit_record(
            actor=actor,
            action="programme.create",
            obj=programme,
            scope=funder_scope(funder),
            changes={key: [None, value] for key, value in after.items()},
        )
    return programme


def programme_update(*, actor: Any, programme: Programme, data: ProgrammeInput) -> Programme:
    if not is_funder_admin(actor, programme.funder_id):
        raise PermissionDenied
    _check_programme(data)
    with transaction.atomic():
        before = _snapshot(programme)
        _write(programme, data)
        audit_record(
            actor=actor,
            action="programme.update",
            obj=programme,
            scope=funder_scope(programme.funder),
            changes=changed_fields(before, _snapshot(programme)),
        )
    return programme


def competence_set(*, actor: Any, funder: Funder, areas: list[Area]) -> None:
    """Replace the funder's area of competence."""
    if not is_funder_admin(actor, funder.pk):
        raise PermissionDenied
    with transaction.atomic():
        before = sorted(FunderArea.objects.filter(funder=funder).values_list("area__code", flat=True))
        FunderArea.objects.filter(funder=funder).delete()
        FunderArea.objects.bulk_create(FunderArea(funder=funder, area=area) for area in areas)
        after = sorted(area.code for area in areas)
        audit_record(
            actor=actor,
            action="funder.competence",
            obj=funder,
            scope=funder_scope(funder),
            changes=changed_fields({"areas": before}, {"areas": after}),
        )


# Eligibility ---------------------------------------------------------------------------------


def territory_within(territory: Territory, area_ids: set[int]) -> bool:
    """Every area of the territory's perimeter is one of `area_ids` or lies inside one."""
    perimeter = set(territory.areas.values_list("pk", flat=True))
    inside = set(
        AreaAncestry.objects.filter(area_id__in=perimeter, ancestor_id__in=area_ids).values_list(
            "area_id", flat=True
        )
    )
    return all(pk in area_ids or pk in inside for pk in perimeter)


def share_problems(
    programme: Programme,
    territory: Territory,
    start_year: int,
    end_year: int,
    amount: Decimal,
    total: Decimal,
) -> dict[str, str]:
    """What in a funder's share of a contract breaks its programme's rules, by field."""
    problems = {}
    if programme.territory_kinds and territory.kind not in programme.territory_kinds:
        problems["territory"] = _("The programme “%(programme)s” does not fund this kind of territory.") % {
            "programme": programme.name
        }
    elif (area_ids := {area.pk for area in programme.areas.all()}) and not territory_within(
        territory, area_ids
    ):
        problems["territory"] = _(
            "%(territory)s lies outside the areas of the programme “%(programme)s”."
        ) % {
            "territory": territory.name,
            "programme": programme.name,
        }
    years = end_year - start_year + 1
    if not programme.min_years <= years <= programme.max_years:
        problems["end_year"] = _(
            "The programme “%(programme)s” funds contracts of %(low)s to %(high)s years; "
            "this one lasts %(years)s."
        ) % {
            "programme": programme.name,
            "low": programme.min_years,
            "high": programme.max_years,
            "years": years,
        }
    if total and amount * 100 > programme.cofinancing_cap * total:
        problems["amount"] = _("The programme “%(programme)s” pays at most %(cap)s %% of a contract.") % {
            "programme": programme.name,
            "cap": percent_text(programme.cofinancing_cap),
        }
    return problems


def category_allowed(programme: Programme | None, category: Item) -> bool:
    return (
        programme is None
        or not programme.categories.all()
        or any(item.code == category.code for item in programme.categories.all())
    )


def needs_diagnostic(programme: Programme | None, category: Item) -> bool:
    return programme is not None and any(
        item.code == category.code for item in programme.diagnostic_categories.all()
    )
