"""A territory's systemic effects (C4), per reporting period, with the same rights and rules as the
pages: for each effect of the référentiel (cooperation, posture, resilience) its assessment — the
level on the qualitative scale, the reasoning, and the ids of the evidence behind it.

- Anyone reads what an assessment's visibility allows; its evidence lists only the stories, outcomes
  and round of the cooperation network the caller may read.
- The writers (admin, editor) assess an effect, change and delete an assessment.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input by the services (422).
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.effects` — at least one piece of evidence (`evidence`), the
cooperation network for the cooperation effect only, one assessment per effect and period.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import SurveyRound
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.effects import (
    EFFECT_GRID,
    EffectRow,
    effect_delete,
    effect_save,
    period_effects,
    readable_effect_assessments,
)
from trajectoires.evaluation.models import (
    ChangeStory,
    EffectAssessment,
    EffectLevel,
    Outcome,
    ReportingPeriod,
)
from trajectoires.evaluation.stories import territory_periods
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .lookups import record_or_invalid, records_or_invalid, writable_territory

router = Router(tags=["systemic effects"])
PATH = "/{slug:slug}/effects/"
ONE = PATH + "{int:pk}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
ID = {"ge": 1, "le": 2**63 - 1}
EFFECT_CODES = "cooperation, posture or resilience"


# Answers -----------------------------------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


class EffectAssessmentOut(Schema):
    id: int
    period: int = Field(description="The id of its reporting period.")
    effect: str = Field(description=f"The code of the effect in the référentiel: {EFFECT_CODES}.")
    level: EffectLevel = Field(description="From receding to transforming the territory.")
    reasoning: str
    stories: list[int] = Field(description="Ids of the stories of change behind it the caller may read.")
    outcomes: list[int] = Field(description="Ids of the observed outcomes behind it the caller may read.")
    network_round: int | None = Field(
        description="The id of the round of the cooperation network behind it (cooperation only), "
        "if the caller may read it."
    )
    visibility: Visibility


class EffectRowOut(Schema):
    effect: str = Field(description=f"The code of the effect in the référentiel: {EFFECT_CODES}.")
    label: str
    assessment: EffectAssessmentOut | None = Field(
        description="Null when the effect is not assessed for the period, or the caller may not read it."
    )


class PeriodEffectsOut(Schema):
    period: PeriodOut | None = Field(description="Null when the territory has no reporting period yet.")
    effects: list[EffectRowOut] = Field(description="The three effects, in the référentiel's order.")


class PeriodQuery(Schema):
    period: int | None = Field(None, description="The id of a reporting period; the latest by default.", **ID)


# Requests ----------------------------------------------------------------------------------------


class EffectAssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int = Field(description="The id of a reporting period of the territory.")
    effect: str = Field(description=f"The code of the effect: {EFFECT_CODES}.")
    level: EffectLevel
    reasoning: str = Field(json_schema_extra={"minLength": 1})
    stories: list[int] = Field(default_factory=list, description="Ids of stories of change.")
    outcomes: list[int] = Field(default_factory=list, description="Ids of observed outcomes.")
    network_round: int | None = Field(None, description="The id of a round of the cooperation network.")
    visibility: Visibility = Visibility.PRIVATE


class EffectAssessmentPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    level: EffectLevel | None = None
    reasoning: str | None = Field(None, json_schema_extra={"minLength": 1})
    stories: list[int] | None = Field(
        None, description="Ids of stories (replaces those the caller may read; the others stay)."
    )
    outcomes: list[int] | None = Field(
        None, description="Ids of outcomes (replaces those the caller may read; the others stay)."
    )
    network_round: int | None = Field(None, description="The id of a round of the network; null for none.")
    visibility: Visibility | None = None


# Serialising -------------------------------------------------------------------------------------


def _period_out(period: ReportingPeriod) -> dict[str, Any]:
    return {"id": period.pk, "label": period.label, "starts_on": period.starts_on, "ends_on": period.ends_on}


def _assessment_out(row: EffectRow) -> dict[str, Any] | None:
    assessment = row.assessment
    if assessment is None:
        return None
    return {
        "id": assessment.pk,
        "period": assessment.period_id,
        "effect": row.effect.code,
        "level": assessment.level,
        "reasoning": assessment.reasoning,
        "stories": [story.pk for story in row.stories],
        "outcomes": [outcome.pk for outcome in row.outcomes],
        "network_round": row.network_round.pk if row.network_round else None,
        "visibility": assessment.visibility,
    }


def _row_out(row: EffectRow) -> dict[str, Any]:
    return {"effect": row.effect.code, "label": row.effect.label, "assessment": _assessment_out(row)}


def _written_out(viewer, territory: Territory, assessment: EffectAssessment) -> dict[str, Any]:
    rows = period_effects(viewer, territory, assessment.period)
    row = next((row for row in rows if row.assessment and row.assessment.pk == assessment.pk), None)
    if row is None:  # an effect no longer in the référentiel
        raise Http404
    return _assessment_out(row)


# Reading the request -----------------------------------------------------------------------------


def _effect(code: str) -> Item:
    effect = referential_items(EFFECT_GRID).filter(code=code).first()
    if effect is None:
        raise invalid({"effect": [_("Choose a systemic effect: cooperation, posture or resilience.")]})
    return effect


def _evidence(sent: dict[str, Any]) -> dict[str, Any]:
    evidence = _("Choose evidence of this territory.")
    if "stories" in sent:
        sent["stories"] = records_or_invalid(ChangeStory, "stories", sent["stories"] or [], evidence)
    if "outcomes" in sent:
        sent["outcomes"] = records_or_invalid(Outcome, "outcomes", sent["outcomes"] or [], evidence)
    if "network_round" in sent:
        message = _("Choose a round of this territory's cooperation network.")
        sent["network_round"] = record_or_invalid(
            SurveyRound, "network_round", sent["network_round"], message
        )
    return sent


def _readable(viewer, territory: Territory, pk: int) -> EffectAssessment:
    assessment = (
        readable_effect_assessments(viewer, territory)
        .select_related("period", "effect")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


# Operations --------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: PeriodEffectsOut, **error_responses(401, 404, 422)},
    summary="List the systemic effects of a reporting period with their assessment",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_effects(request: HttpRequest, slug: str, query: Query[PeriodQuery]):
    """The three effects of the référentiel for the period (the latest by default), each with the
    assessment the caller may read and the ids of its evidence. An unknown period answers 404."""
    territory = territory_get(slug)
    periods = territory_periods(territory)
    period = periods.filter(pk=query.period).first() if query.period is not None else periods.first()
    if query.period is not None and period is None:
        raise Http404
    if period is None:
        effects = [
            {"effect": item.code, "label": item.label, "assessment": None}
            for item in referential_items(EFFECT_GRID)
        ]
        return {"period": None, "effects": effects}
    rows = period_effects(request.user, territory, period)
    return {"period": _period_out(period), "effects": [_row_out(row) for row in rows]}


@router.get(
    ONE,
    response={200: EffectAssessmentOut, **error_responses(401, 404)},
    summary="Read the assessment of a systemic effect",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_effect(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    return _written_out(request.user, territory, _readable(request.user, territory, pk))


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: EffectAssessmentOut, **WRITE_ERRORS},
    summary="Assess a systemic effect over a reporting period (admins, editors)",
)
def create_effect(request: HttpRequest, slug: str, payload: EffectAssessmentIn):
    """One assessment per effect and period; it rests on at least one story, outcome or round of the
    cooperation network (the network for the cooperation effect only)."""
    territory = writable_territory(request, slug)
    values = _evidence(payload.model_dump())
    values["period"] = record_or_invalid(
        ReportingPeriod, "period", values["period"], _("Choose a reporting period of this territory.")
    )
    values["effect"] = _effect(values["effect"])
    assessment = service_call(lambda: effect_save(actor=request.user, territory=territory, **values))
    return Status(201, _written_out(request.user, territory, assessment))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: EffectAssessmentOut, **WRITE_ERRORS},
    summary="Change the assessment of a systemic effect, its reasoning or its evidence (admins, editors)",
)
def update_effect(request: HttpRequest, slug: str, pk: int, payload: EffectAssessmentPatch):
    territory = writable_territory(request, slug)
    assessment = _readable(request.user, territory, pk)
    sent = _evidence(payload.model_dump(exclude_unset=True))
    readable = _written_out(request.user, territory, assessment)
    values = {
        "level": assessment.level,
        "reasoning": assessment.reasoning,
        "visibility": assessment.visibility,
        "stories": [story for story in assessment.stories.all() if story.pk in readable["stories"]],
        "outcomes": [outcome for outcome in assessment.outcomes.all() if outcome.pk in readable["outcomes"]],
        "network_round": assessment.network_round,
    } | {name: value for name, value in sent.items() if value is not None or name == "network_round"}
    service_call(
        lambda: effect_save(
            actor=request.user,
            territory=territory,
            period=assessment.period,
            effect=assessment.effect,
            assessment=assessment,
            **values,
        )
    )
    return _written_out(request.user, territory, assessment)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete the assessment of a systemic effect (admins, editors)",
)
def delete_effect(request: HttpRequest, slug: str, pk: int):
    territory = writable_territory(request, slug)
    assessment = _readable(request.user, territory, pk)
    service_call(lambda: effect_delete(actor=request.user, assessment=assessment))
    return Status(204, None)
