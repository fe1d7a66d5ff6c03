"""Systemic effects (C4) and indicators (S4).

Rules of an effect assessment: the writers assess, for one reporting period, one systemic effect of
the référentiel (cooperation, posture, resilience) on the qualitative scale, write the reasoning out
and back it with evidence — stories of change, outcomes, and for cooperation only a round of the
cooperation network; one assessment per effect and period.

Rules of an indicator: the writers define it with its unit (tCO2e, €, m³, km, %, or a unit they
name); its values — a target and an actual value per period, with a comment — are given in that
unit, a share between 0 and 100 %, distances and volumes never negative; the unit of an indicator
that has values does not change.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from trajectoires.cooperation.models import SurveyRound
from trajectoires.cooperation.network_selectors import survey_rounds
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory, visible_to
from trajectoires.territories.services import territory_scope

from .models import (
    ChangeStory,
    EffectAssessment,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Outcome,
    ReportingPeriod,
)

EFFECT_GRID = "systemic_effect"
NETWORK_EFFECT = "cooperation"
NEVER_NEGATIVE = {IndicatorUnit.KILOMETRE, IndicatorUnit.CUBIC_METRE, IndicatorUnit.PERCENT}


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


# Effects: reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectRow:
    """One systemic effect over a period, as `viewer` may read it."""

    effect: Item
    assessment: EffectAssessment | None
    stories: list[ChangeStory]
    outcomes: list[Outcome]
    network_round: SurveyRound | None


def readable_effect_assessments(viewer, territory: Territory) -> QuerySet[EffectAssessment]:
    return visible_to(EffectAssessment.objects.filter(territory=territory), viewer)


def period_effects(viewer, territory: Territory, period: ReportingPeriod) -> list[EffectRow]:
    """The three effects of the référentiel with their assessment for `period` — in the same number
    of queries whatever the evidence."""
    stories = visible_to(ChangeStory.objects.filter(territory=territory), viewer).order_by("title")
    outcomes = visible_to(Outcome.objects.filter(territory=territory), viewer).order_by("-observed_on")
    rounds = set(survey_rounds(viewer, territory).values_list("pk", flat=True))
    assessed = {
        assessment.effect.code: assessment
        for assessment in readable_effect_assessments(viewer, territory)
        .filter(period=period)
        .select_related("effect", "network_round__metrics")
        .prefetch_related(Prefetch("stories", queryset=stories), Prefetch("outcomes", queryset=outcomes))
    }
    rows = []
    for effect in referential_items(EFFECT_GRID):
        assessment = assessed.get(effect.code)
        network = assessment.network_round if assessment and assessment.network_round_id in rounds else None
        rows.append(
            EffectRow(
                effect=assessment.effect if assessment else effect,
                assessment=assessment,
                stories=list(assessment.stories.all()) if assessment else [],
                outcomes=list(assessment.outcomes.all()) if assessment else [],
                network_round=network,
            )
        )
    return rows


# Effects: writes ---------------------------------------------------------------------------------


def _effect_snapshot(assessment: EffectAssessment, stories=None, outcomes=None) -> dict[str, Any]:
    if stories is None:
        stories = assessment.stories.all() if assessment.pk else []
    if outcomes is None:
        outcomes = assessment.outcomes.all() if assessment.pk else []
    return {
        "period": assessment.period_id,
        "effect": assessment.effect.code if assessment.effect_id else None,
        "level": assessment.level,
        "reasoning": assessment.reasoning,
        "visibility": assessment.visibility,
        "network_round": assessment.network_round_id,
        "stories": sorted(story.pk for story in stories),
        "outcomes": sorted(outcome.pk for outcome in outcomes),
    }


def _effect_errors(viewer, assessment: EffectAssessment, stories: list, outcomes: list, before: dict) -> dict:
    territory = assessment.territory
    try:
        assessment.full_clean(
            exclude=["territory", "period", "effect", "network_round"], validate_constraints=False
        )
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = dict(error.message_dict)
    if assessment.period_id is None or assessment.period.territory_id != territory.pk:
        errors["period"] = [_("Choose a reporting period of this territory.")]
    if assessment.effect_id is None or assessment.effect.grid.code != EFFECT_GRID:
        errors["effect"] = [_("Choose a systemic effect: cooperation, posture or resilience.")]
    elif (
        assessment.period_id
        and EffectAssessment.objects.filter(
            period_id=assessment.period_id, effect__code=assessment.effect.code
        )
        .exclude(pk=assessment.pk)
        .exists()
    ):
        errors["effect"] = [_("This effect is already assessed for this period.")]
    if assessment.network_round_id and assessment.network_round_id != before.get("network_round"):
        if assessment.effect_id and assessment.effect.code != NETWORK_EFFECT:
            errors["network_round"] = [_("The cooperation network backs the cooperation effect only.")]
        elif not survey_rounds(viewer, territory).filter(pk=assessment.network_round_id).exists():
            errors["network_round"] = [_("Choose a round of this territory's cooperation network.")]
    for name, chosen, model in (("stories", stories, ChangeStory), ("outcomes", outcomes, Outcome)):
        new = {record.pk for record in chosen} - set(before.get(name, []))
        readable = visible_to(model.objects.filter(territory=territory), viewer)
        if new and readable.filter(pk__in=new).count() != len(new):
            errors[name] = [_("Choose evidence of this territory.")]
    if not stories and not outcomes and not assessment.network_round_id:
        errors.setdefault("evidence", []).append(
            _("Back the assessment with at least one story, outcome or round of the cooperation network.")
        )
    return errors


def effect_save(
    *,
    actor: Any,
    territory: Territory,
    period: ReportingPeriod,
    effect: Item,
    level: str,
    reasoning: str,
    stories: Iterable[ChangeStory] = (),
    outcomes: Iterable[Outcome] = (),
    network_round: SurveyRound | None = None,
    visibility: str = Visibility.PRIVATE,
    assessment: EffectAssessment | None = None,
) -> EffectAssessment:
    """Assess one effect over one period, or change `assessment`. Evidence `actor` cannot read stays
    linked when they change it."""
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    creating = assessment is None
    record = assessment or EffectAssessment(territory=territory, author=_user(actor))
    before = {} if creating else _effect_snapshot(record)
    record.period, record.effect, record.level = period, effect, level
    record.reasoning, record.network_round, record.visibility = reasoning.strip(), network_round, visibility
    stories, outcomes = list(stories), list(outcomes)
    if errors := _effect_errors(actor, record, stories, outcomes, before):
        if not creating:
            record.refresh_from_db()
        raise ValidationError(errors)
    if not creating:
        stories += list(
            record.stories.exclude(pk__in=visible_to(ChangeStory.objects.all(), actor).values("pk"))
        )
        outcomes += list(
            record.outcomes.exclude(pk__in=visible_to(Outcome.objects.all(), actor).values("pk"))
        )
    try:
        with transaction.atomic():
            record.save()
            record.stories.set(stories)
            record.outcomes.set(outcomes)
            if changes := changed_fields(before, _effect_snapshot(record, stories, outcomes)):
                action = "effect_assessment.create" if creating else "effect_assessment.update"
                _audit(actor, action, record, territory, changes)
    except IntegrityError:  # the same effect assessed twice at the same moment
        raise ValidationError({"effect": [_("This effect is already assessed for this period.")]}) from None
    return record


def effect_delete(*, actor: Any, assessment: EffectAssessment) -> None:
    if not can_write_in_territory(actor, assessment.territory):
        raise PermissionDenied
    with transaction.atomic():
        changes = changed_fields(_effect_snapshot(assessment), {})
        _audit(actor, "effect_assessment.delete", assessment, assessment.territory, changes)
        assessment.delete()


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


# Indicators --------------------------------------------------------------------------------------


def readable_indicators(viewer, territory: Territory) -> QuerySet[Indicator]:
    """The indicators `viewer` may read, each with its values in period order."""
    values = IndicatorValue.objects.select_related("period").order_by("period__starts_on", "id")
    indicators = visible_to(Indicator.objects.filter(territory=territory), viewer)
    return indicators.prefetch_related(Prefetch("values", queryset=values)).order_by("name")


def _indicator_snapshot(indicator: Indicator) -> dict[str, Any]:
    fields = ("name", "unit", "custom_unit", "description", "visibility")
    return {name: getattr(indicator, name) for name in fields}


def indicator_save(
    *,
    actor: Any,
    territory: Territory,
    name: str,
    unit: str,
    custom_unit: str = "",
    description: str = "",
    visibility: str = Visibility.PRIVATE,
    indicator: Indicator | None = None,
) -> Indicator:
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    creating = indicator is None
    record = indicator or Indicator(territory=territory, author=_user(actor))
    before = {} if creating else _indicator_snapshot(record)
    record.name, record.unit, record.custom_unit = name.strip(), unit, custom_unit.strip()
    record.description, record.visibility = description.strip(), visibility
    try:
        record.full_clean(exclude=["territory"], validate_constraints=False)
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = dict(error.message_dict)
    if "unit" not in errors:
        if unit == IndicatorUnit.CUSTOM and not record.custom_unit:
            errors["custom_unit"] = [_("Name the unit.")]
        elif unit != IndicatorUnit.CUSTOM and record.custom_unit:
            errors["custom_unit"] = [_("Name a unit only when none of the list fits.")]
        if not creating and unit != before["unit"] and record.values.exists():
            errors["unit"] = [_("This indicator has values: its unit cannot change.")]
    others = Indicator.objects.filter(territory=territory, name__iexact=record.name).exclude(pk=record.pk)
    if "name" not in errors and others.exists():
        errors["name"] = [_("This territory already has an indicator with this name.")]
    if errors:
        if not creating:
            record.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        record.save()
        if changes := changed_fields(before, _indicator_snapshot(record)):
            _audit(actor, "indicator.create" if creating else "indicator.update", record, territory, changes)
    return record


def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    if not can_write_in_territory(actor, indicator.territory):
        raise PermissionDenied
    with transaction.atomic():
        snapshot = _indicator_snapshot(indicator) | {"values": indicator.values.count()}
        _audit(actor, "indicator.delete", indicator, indicator.territory, changed_fields(snapshot, {}))
        indicator.delete()


def _value_errors(
    indicator: Indicator, period: ReportingPeriod, unit: str, figures: dict
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if period is None or period.territory_id != indicator.territory_id:
        errors["period"] = [_("Choose a reporting period of this territory.")]
    if unit not in (indicator.unit, indicator.unit_label):
        errors["unit"] = [
            _("This indicator is measured in %(unit)s: give its values in %(unit)s.")
            % {"unit": indicator.unit_label}
        ]
    for name, value in figures.items():
        if value is None:
            continue
        if indicator.unit in NEVER_NEGATIVE and value < 0:
            errors[name] = [_("This value cannot be negative.")]
        elif indicator.unit == IndicatorUnit.PERCENT and value > 100:
            errors[name] = [_("A share lies between 0 and 100 %.")]
    if all(value is None for value in figures.values()):
        errors["actual"] = [_("Give the target, the actual value, or both.")]
    return errors


def indicator_value_save(
    *,
    actor: Any,
    indicator: Indicator,
    period: ReportingPeriod,
    unit: str,
    target: Decimal | None = None,
    actual: Decimal | None = None,
    comment: str = "",
) -> IndicatorValue:
    """Record the target and actual value of `indicator` over `period` (replacing earlier ones)."""
    territory = indicator.territory
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    figures = {"target": target, "actual": actual}
    if errors := _value_errors(indicator, period, unit, figures):
        raise ValidationError(errors)
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)  # one value per period, even when racing
        value = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
        before = _value_snapshot(value) if value else {}
        value = value or IndicatorValue(indicator=indicator, period=period)
        value.target, value.actual, value.comment = target, actual, comment.strip()
        value.recorded_by = _user(actor)
        try:
            value.full_clean(exclude=["indicator", "period"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        value.save()
        if changes := changed_fields(before, _value_snapshot(value)):
            _audit(actor, "indicator_value.save", indicator, territory, changes)
    return value


def _value_snapshot(value: IndicatorValue) -> dict[str, Any]:
    def figure(number):
        return str(number) if number is not None else None

    return {
        "period": value.period_id,
        "target": figure(value.target),
        "actual": figure(value.actual),
        "comment": value.comment,
    }


def indicator_value_delete(*, actor: Any, value: IndicatorValue) -> None:
    indicator = value.indicator
    if not can_write_in_territory(actor, indicator.territory):
        raise PermissionDenied
    with transaction.atomic():
        _audit(
            actor,
            "indicator_value.delete",
            indicator,
            indicator.territory,
            changed_fields(_value_snapshot(value), {}),
        )
        value.delete()
