"""The iterations of a pilot (K9): what was tried, what was observed (with evidence), and the
decision taken, which sets the pilot's status.

The life cycle, enforced here (see also `planning.pilots`):

- iterations are numbered 1, 2, … automatically, under a lock on the pilot so that two people
  recording at once never share a number;
- an iteration is dated between the pilot's start and today, and not before the previous iteration;
- its decision sets the status: continue → running, adjust → adjusted, scale up → scaled up,
  stop → stopped;
- a scaled-up or stopped pilot is closed: a new iteration is refused (`PilotClosed`);
- `lessons`, when given, replace the pilot's lessons (the form starts from them); stopping is refused
  when neither the iteration nor the pilot carries lessons, since a stopped pilot counts as learning.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.territories.services import territory_scope

from .models import IterationDecision, Pilot, PilotIteration, PilotStatus
from .permissions import can_edit_pilot
from .pilots import format_date, is_closed, validated

STATUS_AFTER = {
    IterationDecision.CONTINUE: PilotStatus.RUNNING,
    IterationDecision.ADJUST: PilotStatus.ADJUSTED,
    IterationDecision.SCALE_UP: PilotStatus.SCALED_UP,
    IterationDecision.STOP: PilotStatus.STOPPED,
}
ITERATION_FIELDS = ("number", "held_on", "tried", "observed", "evidence", "decision", "adjustment")


class PilotClosed(ValidationError):
    """A new iteration on a scaled-up or stopped pilot."""


def ensure_open(pilot: Pilot) -> None:
    if is_closed(pilot):
        raise PilotClosed(
            _("This pilot is closed (%(status)s): it takes no new iteration.")
            % {"status": pilot.get_status_display()}
        )


def _snapshot(iteration: PilotIteration) -> dict[str, Any]:
    values = {field: getattr(iteration, field) for field in ITERATION_FIELDS}
    values["held_on"] = values["held_on"].isoformat()
    return values


def _rules(pilot: Pilot, iteration: PilotIteration, lessons: str, invalid: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "held_on" not in invalid:
        errors.update(_date_rules(pilot, iteration.held_on))
    if iteration.decision == IterationDecision.STOP and not (lessons or pilot.lessons):
        errors["lessons"] = [_("Stopping a pilot records the lessons learnt: write them.")]
    return errors


def _date_rules(pilot: Pilot, held_on: datetime.date) -> dict[str, list[str]]:
    if held_on < pilot.started_on:
        message = _("The pilot started on %(date)s: an iteration cannot be dated before it.")
        return {"held_on": [message % {"date": format_date(pilot.started_on)}]}
    if held_on > timezone.localdate():
        return {"held_on": [_("An iteration is dated today at the latest: it records what happened.")]}
    previous = pilot.iterations.aggregate(latest=Max("held_on"))["latest"]
    if previous is not None and held_on < previous:
        message = _("The previous iteration is dated %(date)s: this one cannot be dated before it.")
        return {"held_on": [message % {"date": format_date(previous)}]}
    return {}


def _next_number(pilot: Pilot) -> int:
    return (pilot.iterations.aggregate(last=Max("number"))["last"] or 0) + 1


def iteration_record(
    *,
    actor: Any,
    pilot: Pilot,
    held_on: datetime.date,
    tried: str,
    observed: str,
    decision: str,
    adjustment: str,
    evidence: str = "",
    lessons: str = "",
) -> PilotIteration:
    """Record the pilot's next iteration and set its status from the decision."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    ensure_open(pilot)
    lessons = lessons.strip()
    iteration = PilotIteration(
        pilot=pilot,
        number=_next_number(pilot),
        held_on=held_on,
        tried=tried.strip(),
        observed=observed.strip(),
        evidence=evidence.strip(),
        decision=decision,
        adjustment=adjustment.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validated(iteration, lambda invalid: _rules(pilot, iteration, lessons, invalid))
    with transaction.atomic():
        locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
        ensure_open(locked)
        iteration.number = _next_number(locked)
        iteration.save()
        _apply_decision(actor, pilot, iteration, lessons)
        audit_record(
            actor=actor,
            action="pilot_iteration.create",
            obj=iteration,
            scope=territory_scope(pilot.territory),
            changes=changed_fields({}, _snapshot(iteration)),
        )
    return iteration


def _apply_decision(actor: Any, pilot: Pilot, iteration: PilotIteration, lessons: str) -> None:
    before = {"status": pilot.status, "lessons": pilot.lessons}
    pilot.status = STATUS_AFTER[iteration.decision]
    pilot.lessons = lessons or pilot.lessons
    changes = changed_fields(before, {"status": pilot.status, "lessons": pilot.lessons})
    if changes:
        pilot.save(update_fields=["status", "lessons", "updated_at"])
        audit_record(
            actor=actor,
            action="pilot.update",
            obj=pilot,
            scope=territory_scope(pilot.territory),
            changes=changes,
        )
