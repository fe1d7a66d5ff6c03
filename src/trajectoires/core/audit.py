"""The audit trail: every service write calls `audit_record` inside its transaction."""

from typing import Any

from django.db import models

from .models import AuditEntry

SYSTEM_ACTOR = "system"


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [before, after]}."""
    keys = before.keys() | after.keys()
    return {
        key: [before.get(key), after.get(key)] for key in sorted(keys) if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = obj._meta.label_lower
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=str(actor.pk) if is_user else SYSTEM_ACTOR,
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
    )
