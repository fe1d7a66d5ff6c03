"""The audit trail: every service write calls `audit_record` inside its transaction."""

from typing import Any

from django.db import models

from .models import AuditEntry

SYSTEM_ACTOR = "system"
# Accounts are personal data: their trail names the fields that changed, never the values,
# so that erasing an account leaves nothing personal in rows that can never be rewritten.
PERSONAL_TYPES = {"accounts.user"}
MASK = "•••"


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [before, after]}."""
    keys = before.keys() | after.keys()
    return {
        key: [before.get(key), after.get(key)] for key in sorted(keys) if before.get(key) != after.get(key)
    }


def actor_key(actor: Any | None) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.pk)
    return SYSTEM_ACTOR


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    scope: str = "",
    changes: dict[str, Any] | None = None,
    personal: bool = False,
) -> AuditEntry:
    """Record one write. `personal=True` (always for accounts) keeps field names but not values."""
    if obj is not None:
        object_type = obj._meta.label_lower
    changes = changes or {}
    personal = personal or object_type in PERSONAL_TYPES
    if personal:
        changes = {field: [MASK, MASK] for field in changes}
    return AuditEntry.objects.create(
        actor_label=actor_key(actor),
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=("" if personal else str(obj)[:300]) if obj is not None else "",
        scope=scope,
        changes=changes,
    )
