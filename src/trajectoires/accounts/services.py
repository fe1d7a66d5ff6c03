"""Writes to accounts: personal API tokens (more account services live beside them)."""

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record

from .models import ApiToken, TokenScope, User

TOKEN_PREFIX = "trj_"  # noqa: S105 — a public marker, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str, scope: str = TokenScope.READ) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret text, which is never stored nor shown again."""
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read or read and write.")})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name.strip(), scope=scope, prefix=prefix, digest=token_digest(raw))
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=user,
            action="api_token.create",
            obj=token,
            changes={"name": [None, token.name], "scope": [None, scope]},
        )
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=user,
                action="api_token.revoke",
                obj=token,
                changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            )
    return token


def api_token_authenticate(raw: Any) -> ApiToken | None:
    """The live token this text stands for, its user active; its last use is noted."""
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
