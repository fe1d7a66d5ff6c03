"""Writes to accounts: the profile, the password reset, the erasure of an account, personal API tokens.

Everything about an account is personal data: its audit entries name the fields that changed, never
their values (`personal=True`). Sign-in attempts are written by `accounts.signin`.
"""

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields

from .models import ApiToken, SignInAttempt, SignInOutcome, TokenScope, User
from .signals import account_deleting
from .signin import email_key, sign_in_attempt_record

TOKEN_PREFIX = "trj_"  # noqa: S105 — a public marker, not a secret
PROFILE_FIELDS = ("full_name", "language")


def account_update(*, user: User, full_name: str, language: str) -> User:
    """Change the person's name and language; writes nothing when nothing changes."""
    before = {field: getattr(user, field) for field in PROFILE_FIELDS}
    after = {"full_name": full_name.strip(), "language": language}
    changes = changed_fields(before, after)
    if not changes:
        return user
    for field, value in after.items():
        setattr(user, field, value)
    try:
        user.full_clean()
    except ValidationError:
        for field, value in before.items():
            setattr(user, field, value)
        raise
    with transaction.atomic():
        user.save(update_fields=list(changes))
        audit_record(actor=user, action="account.update", obj=user, changes=changes, personal=True)
    return user


def account_password_reset(*, user: User, password: str) -> User:
    """Set a new password from a reset link (the form has checked it against the validators). Other
    sessions end, and the failed sign-ins before it no longer count against the account."""
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            action="account.password_reset",
            obj=user,
            changes={"password": [None, None]},
            personal=True,
        )
        sign_in_attempt_record(email=user.email, address=None, outcome=SignInOutcome.PASSWORD_RESET)
    return user


def account_delete(*, user: User, password: str) -> None:
    """Erase an account (GDPR): its row, and with it its memberships and API tokens, and its sign-in
    attempts. Receivers of `account_deleting` may refuse by raising ValidationError; then nothing is
    deleted. The audit trail keeps a pseudonymous entry (the account's number, no name, no e-mail)."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("This password is not correct.")}, code="password_incorrect")
    try:
        with transaction.atomic():
            account_deleting.send(sender=User, user=user)
            audit_record(actor=user, action="account.delete", obj=user, personal=True)
            SignInAttempt.objects.filter(email_key=email_key(user.email)).delete()
            user.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("Records still depend on this account, so it cannot be deleted yet. Ask the platform staff.")
        ) from error


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
            personal=True,
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
                personal=True,
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
