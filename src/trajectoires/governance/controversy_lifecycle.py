"""The life cycle of a controversy: reported → being instructed → in deliberation → decided →
followed up, and reopened. Each move checks its preconditions, is recorded (who, when, why),
audited, and announced by e-mail to the parties once the transaction commits.

Preconditions of a move (`move_errors`):
- to « being instructed » for the first time: the forum where it is instructed is chosen;
- to « in deliberation »: at least two parties have stated their position;
- to « decided »: an instruction record — at least one version of the état de la controverse —
  and a written decision saying how it used the instruction;
- to « followed up »: at least one follow-up action is planned.
A decided or followed-up controversy may be reopened (back to « being instructed »); a
deliberation may go back to instruction when it finds something missing. Every move says why.
"""

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import changed_fields

from .controversies import DECIDED_STAGES, audit_controversy
from .controversy_notifications import notify_parties
from .models import Controversy, ControversyStage, Decision, StageTransition
from .permissions import can_steer_controversy

Stage = ControversyStage
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.REPORTED: (Stage.INSTRUCTING,),
    Stage.INSTRUCTING: (Stage.DELIBERATING,),
    Stage.DELIBERATING: (Stage.DECIDED, Stage.INSTRUCTING),
    Stage.DECIDED: (Stage.FOLLOWED_UP, Stage.INSTRUCTING),
    Stage.FOLLOWED_UP: (Stage.INSTRUCTING,),
}
# Stages where the decision is taken: the parties' positions and the états are then history.
SETTLED = DECIDED_STAGES
MIN_PARTIES = 2


def next_stages(controversy: Controversy) -> list[Stage]:
    return [Stage(stage) for stage in TRANSITIONS[controversy.stage]]


def move_errors(controversy: Controversy, to_stage: str) -> list[str]:
    """Why `controversy` cannot move to `to_stage` now (empty when it can)."""
    if to_stage not in TRANSITIONS[controversy.stage]:
        return [
            _("A controversy « %(current)s » cannot go to « %(target)s ».")
            % {"current": Stage(controversy.stage).label, "target": _stage_label(to_stage)}
        ]
    if to_stage == Stage.INSTRUCTING and controversy.stage == Stage.REPORTED and controversy.forum_id is None:
        return [_("Choose the forum where it is instructed first.")]
    if to_stage == Stage.DELIBERATING and controversy.parties.count() < MIN_PARTIES:
        return [_("At least two parties must have stated their position before the deliberation.")]
    if to_stage == Stage.DECIDED:
        return _decision_errors(controversy)
    if to_stage == Stage.FOLLOWED_UP and not controversy.follow_ups.exists():
        return [_("Plan at least one follow-up action first.")]
    return []


def _stage_label(value: str) -> str:
    return Stage(value).label if value in Stage.values else value


def _decision_errors(controversy: Controversy) -> list[str]:
    errors = []
    if not controversy.states.exists():
        errors.append(_("Write the état de la controverse first: it is the record of the instruction."))
    if not controversy.decision_text.strip():
        errors.append(_("Write the decision first."))
    if not controversy.instruction_use.strip():
        errors.append(_("Say how the decision used the instruction first."))
    return errors


def controversy_move(
    *, actor: Any, controversy: Controversy, to_stage: str, reason: str, notify: bool = True
) -> StageTransition:
    """Move the controversy to `to_stage`, recording who, when and why; the parties are told by
    e-mail after the commit (unless `notify` is false: loading the demo's history tells no one)."""
    if not can_steer_controversy(actor, controversy):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the controversy changes stage.")]
    with transaction.atomic():
        # Lock the row: two moves at once must not both start from the same stage.
        locked = Controversy.objects.select_for_update().select_related("territory").get(pk=controversy.pk)
        if stage_errors := move_errors(locked, to_stage):
            errors["to_stage"] = stage_errors
        if errors:
            raise ValidationError(errors)
        step = StageTransition.objects.create(
            controversy=locked,
            from_stage=locked.stage,
            to_stage=to_stage,
            reason=reason.strip(),
            by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        before = {"stage": locked.stage, "decided_on": _iso(locked.decided_on)}
        locked.stage = to_stage
        locked.stage_changed_at = step.at
        if to_stage == Stage.DECIDED:
            locked.decided_on = timezone.localdate()
        locked.save(update_fields=["stage", "stage_changed_at", "decided_on", "updated_at"])
        after = {"stage": to_stage, "decided_on": _iso(locked.decided_on), "reason": reason.strip()}
        audit_controversy(actor, "controversy.move", locked, locked, changed_fields(before, after))
        if notify:
            link = reverse("controversies:detail", args=[locked.territory.slug, locked.pk])
            transaction.on_commit(partial(notify_parties.enqueue, step.pk, link))
    for field in ("stage", "stage_changed_at", "decided_on", "updated_at"):
        setattr(controversy, field, getattr(locked, field))
    return step


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def decision_write(
    *,
    actor: Any,
    controversy: Controversy,
    decision_text: str,
    instruction_use: str,
    related_decisions: Iterable[Decision] | None = None,
) -> Controversy:
    """Write (or rewrite, while it is not decided) the decision and how it used the instruction,
    and link the decisions of the register it led to or relates to."""
    if not can_steer_controversy(actor, controversy):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if controversy.stage == Stage.REPORTED:
        errors["decision_text"] = [_("Instruct the controversy before writing its decision.")]
    elif controversy.stage in SETTLED:
        errors["decision_text"] = [_("The decision is taken: reopen the controversy to change it.")]
    chosen = list(related_decisions) if related_decisions is not None else None
    if chosen is not None and any(d.territory_id != controversy.territory_id for d in chosen):
        errors["related_decisions"] = [_("Choose decisions of this territory.")]
    if errors:
        raise ValidationError(errors)
    before = _decision_snapshot(controversy)
    controversy.decision_text = decision_text.strip()
    controversy.instruction_use = instruction_use.strip()
    with transaction.atomic():
        controversy.save(update_fields=["decision_text", "instruction_use", "updated_at"])
        if chosen is not None:
            controversy.related_decisions.set(chosen)
        changes = changed_fields(before, _decision_snapshot(controversy, chosen))
        if changes:
            audit_controversy(actor, "controversy.decision", controversy, controversy, changes)
    return controversy


def _decision_snapshot(controversy: Controversy, chosen: list[Decision] | None = None) -> dict[str, Any]:
    decisions = chosen if chosen is not None else controversy.related_decisions.all()
    return {
        "decision_text": controversy.decision_text,
        "instruction_use": controversy.instruction_use,
        "related_decisions": sorted(decision.pk for decision in decisions),
    }
