"""Writes to survey rounds and their cooperation ties. Each checks the caller's right, validates
(naming the field at fault, writing nothing), writes, audits, and has the round's metrics computed
again once the transaction commits.

Ties are recorded in the history of their round, with the actors' ids — never their names: a
person's name must leave no trace once the person is erased, and history rows cannot be rewritten.
"""

import datetime
from collections.abc import Container, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.services import territory_scope

from .models import Actor, SurveyRound, Tie
from .network_permissions import can_add_survey_round, can_edit_survey_round, can_edit_ties
from .tasks import schedule_round_metrics

ROUND_FIELDS = ("title", "held_on", "notes", "visibility")
SCORES = ("openness", "reliability", "shared_mission", "influence", "involvement", "resources")
TIE_FIELDS = ("source", "target", "tie_type", "frequency", "quality", *SCORES)
PairKey = tuple[frozenset[int], str]


def _round_snapshot(survey_round: SurveyRound) -> dict[str, Any]:
    values = {name: getattr(survey_round, name) for name in ROUND_FIELDS}
    values["held_on"] = values["held_on"].isoformat() if values["held_on"] else None
    return values


def survey_round_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    held_on: datetime.date,
    notes: str = "",
    visibility: str = Visibility.PRIVATE,
) -> SurveyRound:
    if not can_add_survey_round(actor, territory):
        raise PermissionDenied
    survey_round = SurveyRound(
        territory=territory, title=title.strip(), held_on=held_on, notes=notes.strip(), visibility=visibility
    )
    _check_round(survey_round)
    with transaction.atomic():
        survey_round.save()
        audit_record(
            actor=actor,
            action="survey_round.create",
            obj=survey_round,
            scope=territory_scope(territory),
            changes=changed_fields({}, _round_snapshot(survey_round)),
        )
        schedule_round_metrics([survey_round.pk])
    return survey_round


def survey_round_update(*, actor: Any, survey_round: SurveyRound, **values: Any) -> SurveyRound:
    """Change some of title, held_on, notes and visibility."""
    if not can_edit_survey_round(actor, survey_round):
        raise PermissionDenied
    before = _round_snapshot(survey_round)
    for name, value in values.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"survey rounds have no field {name!r}")
        setattr(survey_round, name, value.strip() if isinstance(value, str) else value)
    _check_round(survey_round)
    with transaction.atomic():
        survey_round.save()
        if changes := changed_fields(before, _round_snapshot(survey_round)):
            audit_record(
                actor=actor,
                action="survey_round.update",
                obj=survey_round,
                scope=territory_scope(survey_round.territory),
                changes=changes,
            )
    return survey_round


def survey_round_delete(*, actor: Any, survey_round: SurveyRound) -> None:
    """Delete the round with its ties and metrics."""
    if not can_edit_survey_round(actor, survey_round):
        raise PermissionDenied
    with transaction.atomic():
        before = _round_snapshot(survey_round) | {"ties": survey_round.ties.count()}
        audit_record(
            actor=actor,
            action="survey_round.delete",
            obj=survey_round,
            scope=territory_scope(survey_round.territory),
            changes=changed_fields(before, {}),
        )
        survey_round.delete()


def survey_round_recompute(*, actor: Any, survey_round: SurveyRound) -> None:
    """Compute the metrics again (after a failure, say); nothing of the round changes."""
    if not can_edit_survey_round(actor, survey_round):
        raise PermissionDenied
    with transaction.atomic():
        schedule_round_metrics([survey_round.pk])


def _check_round(survey_round: SurveyRound) -> None:
    """The model's own rules, then: a date not in the future (a round records ties already
    reported) and one round per date in a territory."""
    errors: dict[str, list[str]] = {}
    try:
        survey_round.full_clean(exclude=["territory"], validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    held_on = survey_round.held_on
    if "held_on" not in errors and isinstance(held_on, datetime.date):
        if held_on > timezone.localdate():
            errors["held_on"] = [
                _("A survey round records ties already reported: its date cannot be in the future.")
            ]
        elif (
            SurveyRound.objects.filter(territory_id=survey_round.territory_id, held_on=held_on)
            .exclude(pk=survey_round.pk)
            .exists()
        ):
            errors["held_on"] = [_("The territory already has a survey round on this date.")]
    if errors:
        raise ValidationError(errors)


# Ties ------------------------------------------------------------------------------------------


def tie_snapshot(tie: Tie) -> dict[str, Any]:
    values = {name: getattr(tie, name) for name in TIE_FIELDS if name not in ("source", "target")}
    return values | {"source": tie.source_id, "target": tie.target_id}


def pair_key(source_id: int, target_id: int, tie_type: str) -> PairKey:
    """Ties are undirected: A → B and B → A of the same type are the same tie."""
    return frozenset((source_id, target_id)), tie_type


def taken_pairs(survey_round: SurveyRound, *, exclude: int | None = None) -> set[PairKey]:
    ties = Tie.objects.filter(round=survey_round).exclude(pk=exclude)
    return {pair_key(*values) for values in ties.values_list("source_id", "target_id", "tie_type")}


def tie_errors(tie: Tie, *, territory: Territory, taken: Container[PairKey]) -> dict[str, list[str]]:
    """What is wrong with `tie` in a round of `territory`, field by field (empty: nothing).

    `taken` holds the round's other ties, so that an import checks every row without a query.
    """
    errors: dict[str, list[str]] = {}
    try:
        tie.full_clean(
            exclude=["round", "source", "target"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name in ("source", "target"):
        end: Actor | None = getattr(tie, name, None) if getattr(tie, f"{name}_id") else None
        if end is None:
            errors.setdefault(name, []).append(_("Choose an actor."))
        elif end.territory_id != territory.pk:
            errors.setdefault(name, []).append(
                _("This actor is not one of the actors of %(territory)s.") % {"territory": territory.name}
            )
        elif end.erased_at is not None:
            errors.setdefault(name, []).append(
                _("This actor was erased: no new tie can be recorded with it.")
            )
    if errors.keys() & {"source", "target"}:
        return errors
    if tie.source_id == tie.target_id:
        errors["target"] = [_("An actor cannot be tied to itself: choose another actor.")]
    elif tie.tie_type and pair_key(tie.source_id, tie.target_id, tie.tie_type) in taken:
        errors.setdefault("tie_type", []).append(
            _("These two actors already have a tie of this type in this round.")
        )
    return errors


def tie_create(*, actor: Any, survey_round: SurveyRound, **values: Any) -> Tie:
    """Record a tie: source, target, tie_type, frequency, quality and the PARTNER scores."""
    if not can_edit_ties(actor, survey_round):
        raise PermissionDenied
    tie = Tie(round=survey_round)
    _assign(tie, values)
    with transaction.atomic():
        _raise_if(tie_errors(tie, territory=survey_round.territory, taken=taken_pairs(survey_round)))
        tie.save()
        _audit_tie(actor, "tie.create", tie, {"tie": [None, tie.pk]} | changed_fields({}, tie_snapshot(tie)))
        schedule_round_metrics([survey_round.pk])
    return tie


def tie_update(*, actor: Any, tie: Tie, **values: Any) -> Tie:
    survey_round = tie.round
    if not can_edit_ties(actor, survey_round):
        raise PermissionDenied
    before = tie_snapshot(tie)
    _assign(tie, values)
    with transaction.atomic():
        taken = taken_pairs(survey_round, exclude=tie.pk)
        _raise_if(tie_errors(tie, territory=survey_round.territory, taken=taken))
        tie.save()
        if changes := changed_fields(before, tie_snapshot(tie)):
            _audit_tie(actor, "tie.update", tie, {"tie": [tie.pk, tie.pk]} | changes)
            schedule_round_metrics([survey_round.pk])
    return tie


def tie_delete(*, actor: Any, tie: Tie) -> None:
    survey_round = tie.round
    if not can_edit_ties(actor, survey_round):
        raise PermissionDenied
    with transaction.atomic():
        _audit_tie(actor, "tie.delete", tie, {"tie": [tie.pk, None]} | changed_fields(tie_snapshot(tie), {}))
        tie.delete()
        schedule_round_metrics([survey_round.pk])


def ties_write(*, actor: Any, survey_round: SurveyRound, ties: Iterable[Tie]) -> list[Tie]:
    """Insert ties already checked with `tie_errors` (an import), in the caller's transaction."""
    created = Tie.objects.bulk_create(list(ties))
    audit_record(
        actor=actor,
        action="tie.import",
        obj=survey_round,
        scope=territory_scope(survey_round.territory),
        changes={"ties": [None, [tie_snapshot(tie) for tie in created]]},
    )
    schedule_round_metrics([survey_round.pk])
    return created


def _assign(tie: Tie, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name not in TIE_FIELDS:
            raise TypeError(f"ties have no field {name!r}")
        setattr(tie, name, value)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _audit_tie(actor: Any, action: str, tie: Tie, changes: dict[str, list[Any]]) -> None:
    """In the round's history (see the module's note), naming the tie by its id."""
    audit_record(
        actor=actor, action=action, obj=tie.round, scope=territory_scope(tie.round.territory), changes=changes
    )
