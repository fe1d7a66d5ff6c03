"""Objectives with versions (F10).

An objective is written on the draft (version 1, agreed with the contract), tied to the territory's
orientations and key actions. While the contract runs, the territory or the lead funder proposes a
re-adjustment — the new wording, its reason and what was learnt — and every co-funder's admin agrees
to it; it is in force from the last agreement, the earlier wording kept. An objective closes as
achieved, partly achieved, or abandoned with the lesson learnt written down: that last outcome is
counted as learning, never as failure.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.referential.models import Item
from trajectoires.steering.models import Orientation

from .budget import RUNNING
from .contracts import audit, require_status
from .models import Contract, Objective, ObjectiveAgreement, ObjectiveOutcome, ObjectiveVersion
from .models import ContractStatus as S
from .permissions import can_follow, can_prepare, is_funder_admin


@dataclass
class ObjectiveInput:
    statement: str
    target: str = ""
    orientations: list[Orientation] = field(default_factory=list)
    key_actions: list[Item] = field(default_factory=list)


def current_version(objective: Objective) -> ObjectiveVersion:
    """The wording in force: the last agreed version (read from the prefetched versions)."""
    return [version for version in objective.versions.all() if version.agreed_at is not None][-1]


def pending_version(objective: Objective) -> ObjectiveVersion | None:
    return next((version for version in objective.versions.all() if version.agreed_at is None), None)


def counts_as_learning(objective: Objective) -> bool:
    return objective.outcome == ObjectiveOutcome.LESSON


def _check(contract: Contract, data: ObjectiveInput) -> None:
    errors = {}
    if not data.statement.strip():
        errors["statement"] = _("Write the objective.")
    if any(orientation.vision.territory_id != contract.territory_id for orientation in data.orientations):
        errors["orientations"] = _("Choose orientations of the territory’s vision.")
    if any(item.grid.code != "key_action" for item in data.key_actions):
        errors["key_actions"] = _("Choose key actions of the référentiel.")
    if errors:
        raise ValidationError(errors)


def _links(objective: Objective) -> dict[str, Any]:
    return {
        "orientations": sorted(objective.orientations.values_list("pk", flat=True)),
        "key_actions": sorted(objective.key_actions.values_list("code", flat=True)),
    }


def objective_create(*, actor: Any, contract: Contract, data: ObjectiveInput) -> Objective:
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    _check(contract, data)
    with transaction.atomic():
        last = contract.objectives.aggregate(last=Max("position"))["last"] or 0
        objective = Objective.objects.create(contract=contract, position=last + 1)
        objective.orientations.set(data.orientations)
        objective.key_actions.set(data.key_actions)
        ObjectiveVersion.objects.create(
            objective=objective,
            number=1,
            statement=data.statement.strip(),
            target=data.target.strip(),
            proposed_by=actor,
            agreed_at=timezone.now(),
        )
        changes = {"statement": [None, data.statement.strip()], "target": [None, data.target.strip()]}
        audit(
            actor,
            "contract.objective_create",
            objective,
            contract,
            changes | {key: [None, value] for key, value in _links(objective).items()},
        )
    return objective


def objective_update(*, actor: Any, objective: Objective, data: ObjectiveInput) -> Objective:
    """Rewrite an objective while the contract is a draft (no version: nothing was agreed yet)."""
    contract = objective.contract
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    _check(contract, data)
    with transaction.atomic():
        version = objective.versions.get(number=1)
        before = {"statement": version.statement, "target": version.target} | _links(objective)
        version.statement, version.target = data.statement.strip(), data.target.strip()
        version.save(update_fields=["statement", "target"])
        objective.orientations.set(data.orientations)
        objective.key_actions.set(data.key_actions)
        after = {"statement": version.statement, "target": version.target} | _links(objective)
        audit(
            actor,
            "contract.objective_update",
            objective,
            contract,
            {key: [before[key], after[key]] for key in after if before[key] != after[key]},
        )
    return objective


def objective_delete(*, actor: Any, objective: Objective) -> None:
    contract = objective.contract
    if not can_prepare(actor, contract):
        raise PermissionDenied
    require_status(contract, S.DRAFT)
    with transaction.atomic():
        audit(
            actor, "contract.objective_delete", objective, contract, {"position": [objective.position, None]}
        )
        objective.delete()


def objective_readjust(
    *, actor: Any, objective: Objective, statement: str, target: str, reason: str, learning: str
) -> ObjectiveVersion:
    """Propose a new wording; it takes effect when every co-funder has agreed."""
    contract = objective.contract
    if not can_follow(actor, contract):
        raise PermissionDenied
    require_status(contract, *RUNNING)
    errors = {}
    if objective.outcome:
        errors["statement"] = _("This objective is closed.")
    elif objective.versions.filter(agreed_at__isnull=True).exists():
        errors["statement"] = _("A re-adjustment of this objective is already waiting for the co-funders.")
    elif not statement.strip():
        errors["statement"] = _("Write the objective.")
    if not reason.strip():
        errors["reason"] = _("Say why the objective is re-adjusted.")
    if not learning.strip():
        errors["learning"] = _("Say what was learnt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = objective.versions.order_by("-number").first()
        version = ObjectiveVersion.objects.create(
            objective=objective,
            number=previous.number + 1,
            statement=statement.strip(),
            target=target.strip(),
            reason=reason.strip(),
            learning=learning.strip(),
            proposed_by=actor,
        )
        audit(
            actor,
            "contract.objective_readjust",
            version,
            contract,
            {
                "statement": [previous.statement, version.statement],
                "target": [previous.target, version.target],
                "reason": [None, version.reason],
                "learning": [None, version.learning],
            },
        )
    return version


def objective_agree(*, actor: Any, version: ObjectiveVersion, funder: Funder) -> ObjectiveVersion:
    """One co-funder agrees (its admin); the last agreement puts the new wording in force."""
    contract = version.objective.contract
    party_ids = set(contract.parties.values_list("funder_id", flat=True))
    if funder.pk not in party_ids or not is_funder_admin(actor, funder.pk):
        raise PermissionDenied
    if version.agreed_at is not None:
        raise ValidationError({"agreement": _("This version is already in force.")})
    if version.agreements.filter(funder=funder).exists():
        raise ValidationError({"agreement": _("%(funder)s has already agreed.") % {"funder": funder.name}})
    with transaction.atomic():
        agreement = ObjectiveAgreement.objects.create(version=version, funder=funder, agreed_by=actor)
        audit(actor, "contract.objective_agree", agreement, contract, {"funder": [None, funder.slug]})
        if set(version.agreements.values_list("funder_id", flat=True)) >= party_ids:
            version.agreed_at = timezone.now()
            version.save(update_fields=["agreed_at"])
            audit(actor, "contract.objective_in_force", version, contract, {"number": [None, version.number]})
    return version


def objective_close(*, actor: Any, objective: Objective, outcome: str, note: str) -> Objective:
    contract = objective.contract
    if not can_follow(actor, contract):
        raise PermissionDenied
    require_status(contract, *RUNNING, S.CLOSED)
    if objective.outcome:
        raise ValidationError({"outcome": _("This objective is already closed.")})
    if outcome not in ObjectiveOutcome.values:
        raise ValidationError({"outcome": _("Choose how the objective ends.")})
    if outcome == ObjectiveOutcome.LESSON and not note.strip():
        raise ValidationError(
            {"outcome_note": _("Write the lesson learnt: it is what an abandoned objective leaves.")}
        )
    with transaction.atomic():
        objective.outcome, objective.outcome_note, objective.closed_at = outcome, note.strip(), timezone.now()
        objective.save(update_fields=["outcome", "outcome_note", "closed_at"])
        audit(
            actor,
            "contract.objective_close",
            objective,
            contract,
            {"outcome": [None, outcome], "outcome_note": [None, objective.outcome_note]},
        )
    return objective
