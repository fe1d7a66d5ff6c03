"""Writes to the actor map (K5). Each checks the caller's right, validates, writes and audits.

`actor` is, as in every service, the person doing the write; the actor record is `record`.
Contact details are personal: the audit trail of an organisation keeps the names of the contact
fields that changed, never their values, and the trail of a person keeps no value at all (so that
erasing the person leaves nothing of them in rows that can never be rewritten).
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from trajectoires.accounts.models import User
from trajectoires.core.audit import MASK, audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import is_territory_writer
from trajectoires.territories.services import territory_scope

from .models import Actor, ActorKind, Tie
from .permissions import can_add_actor, can_delete_actor, can_edit_actor
from .tasks import refresh_territory_rounds

ACTOR_FIELDS = (
    "kind", "name", "category", "organisation", "function", "email", "phone", "notes", "visibility",
)  # fmt: skip
CONTACT_FIELDS = ("email", "phone", "notes")
# What erasure blanks (with the account link): it can never be written back afterwards.
ERASED_FIELDS = ("kind", "name", "function", "email", "phone", "notes", "user_email")
CATEGORY_GRID = "actor_category"
MAX_ORGANISATION_DEPTH = 20
_PHONE = re.compile(r"^\+?[0-9 .()/-]+$")


def validate_phone(value: str) -> None:
    """Digits with the usual separators: '03 89 00 00 00', '+33 3 89 00 00 00'."""
    if value and (not _PHONE.match(value) or sum(char.isdigit() for char in value) < 4):
        raise ValidationError(_("Enter a phone number: digits, spaces, dots, dashes, and + for abroad."))


def snapshot(record: Actor) -> dict[str, Any]:
    """The actor as the audit trail sees it."""
    return {
        "kind": record.kind,
        "name": record.name,
        "category": record.category.code if record.category_id else None,
        "organisation": record.organisation.name if record.organisation_id else None,
        "function": record.function,
        "email": record.email,
        "phone": record.phone,
        "notes": record.notes,
        "user": record.user_id,
        "visibility": record.visibility,
    }


def audit_actor(*, actor: Any, action: str, record: Actor, changes: dict[str, list[Any]]) -> None:
    """One audit entry; a person's values are never kept, an organisation's contacts neither."""
    if record.kind == ActorKind.ORGANISATION:
        changes = {
            field: [MASK, MASK] if field in CONTACT_FIELDS else values for field, values in changes.items()
        }
    audit_record(
        actor=actor,
        action=action,
        obj=record,
        scope=territory_scope(record.territory),
        changes=changes,
        personal=record.kind == ActorKind.PERSON,
    )


def actor_create(
    *,
    actor: Any,
    territory: Territory,
    kind: str,
    name: str,
    category: Item,
    organisation: Actor | None = None,
    function: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    user_email: str = "",
    visibility: str = Visibility.PRIVATE,
) -> Actor:
    if not can_add_actor(actor, territory):
        raise PermissionDenied
    record = Actor(territory=territory)
    _assign(
        record,
        {
            "kind": kind,
            "name": name,
            "category": category,
            "organisation": organisation,
            "function": function,
            "email": email,
            "phone": phone,
            "notes": notes,
            "visibility": visibility,
        },
    )
    _validate(record, user_email=user_email, actor=actor)
    with transaction.atomic():
        record.save()
        audit_actor(
            actor=actor, action="actor.create", record=record, changes=changed_fields({}, snapshot(record))
        )
        refresh_territory_rounds(territory)  # a new actor is a new node (an isolate) of every round
    return record


def actor_update(*, actor: Any, record: Actor, **values: Any) -> Actor:
    """Change some of the ACTOR_FIELDS, and the linked account through `user_email`."""
    if not can_edit_actor(actor, record):
        raise PermissionDenied
    unknown = set(values) - set(ACTOR_FIELDS) - {"user_email"}
    if unknown:
        raise TypeError(f"actors have no fields {sorted(unknown)!r}")
    if record.erased_at is not None:
        _refuse_erased_fields(record, values)
    before = snapshot(record)
    user_email = values.pop("user_email", record.user.email if record.user_id else "")
    _assign(record, values)
    try:
        _validate(record, user_email=user_email, actor=actor)
    except ValidationError:
        record.refresh_from_db()  # the caller's instance stays as it is stored
        raise
    with transaction.atomic():
        record.save()
        changes = changed_fields(before, snapshot(record))
        if changes:
            audit_actor(actor=actor, action="actor.update", record=record, changes=changes)
        if "category" in changes:
            refresh_territory_rounds(record.territory)
    return record


def actor_delete(*, actor: Any, record: Actor) -> None:
    """Delete an actor that has no cooperation tie; one with ties stays, so that the rounds and their
    metrics keep their meaning (a person's data can be erased instead)."""
    if not can_delete_actor(actor, record):
        raise PermissionDenied
    if Tie.objects.filter(Q(source=record) | Q(target=record)).exists():
        raise ValidationError(
            _(
                "This actor has cooperation ties in survey rounds: remove the ties first "
                "(or, for a person, erase their personal data instead)."
            )
        )
    with transaction.atomic():
        audit_actor(
            actor=actor, action="actor.delete", record=record, changes=changed_fields(snapshot(record), {})
        )
        record.delete()
        refresh_territory_rounds(record.territory)


def _assign(record: Actor, values: dict[str, Any]) -> None:
    for field, value in values.items():
        setattr(record, field, value.strip() if isinstance(value, str) else value)


def _refuse_erased_fields(record: Actor, values: dict[str, Any]) -> None:
    current = {field: getattr(record, field, "") for field in ERASED_FIELDS if field != "user_email"}
    current["user_email"] = ""
    changed = [
        field
        for field in ERASED_FIELDS
        if field in values and (values[field] or "").strip() != (current[field] or "")
    ]
    if changed:
        message = _("This person's data were erased: this field can no longer be changed.")
        raise ValidationError({field: [message] for field in changed})


def _validate(record: Actor, *, user_email: str, actor: Any) -> None:
    """Every field error at once, then the rules across rows; each error names its field."""
    errors: dict[str, list] = {}
    try:
        # Category and organisation are checked below, with messages that say what to choose.
        record.full_clean(
            exclude=["category", "organisation"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    checks = {
        "kind": lambda: _check_kind(record),
        "phone": lambda: validate_phone(record.phone),
        "category": lambda: _check_category(record),
        "organisation": lambda: _check_organisation(record),
        "name": lambda: _check_unique_name(record),
        "user_email": lambda: _link_user(record, user_email, actor),
    }
    for field, check in checks.items():
        if field in errors:
            continue
        try:
            check()
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def _check_category(record: Actor) -> None:
    if record.category_id is None or record.category.grid.code != CATEGORY_GRID:
        raise ValidationError(_("Choose an actor category of the référentiel."))


def _check_organisation(record: Actor) -> None:
    organisation = record.organisation
    if organisation is None:
        return
    if organisation.territory_id != record.territory_id or organisation.kind != ActorKind.ORGANISATION:
        raise ValidationError(_("Choose an organisation of this territory."))
    # An organisation may belong to another (a service of the prefecture), never to itself, even
    # through others.
    for _depth in range(MAX_ORGANISATION_DEPTH):
        if organisation is None:
            return
        if record.pk and organisation.pk == record.pk:
            raise ValidationError(_("An organisation cannot belong to itself, even through others."))
        organisation = organisation.organisation
    raise ValidationError(_("This chain of organisations is too long."))


def _check_kind(record: Actor) -> None:
    # Members point to organisations only: an organisation with members cannot become a person.
    if record.pk and record.kind == ActorKind.PERSON and record.members.exists():
        raise ValidationError(_("This organisation has members: it cannot become a person."))


def _check_unique_name(record: Actor) -> None:
    same = Actor.objects.filter(territory_id=record.territory_id, kind=record.kind, name=record.name)
    if same.exclude(pk=record.pk).exists():
        if record.kind == ActorKind.ORGANISATION:
            raise ValidationError(_("An organisation of this name is already in the actor map."))
        raise ValidationError(_("A person of this name is already in the actor map."))


def _link_user(record: Actor, user_email: str, actor: Any) -> None:
    """Link the platform account with this e-mail address, or unlink it when the address is empty."""
    user_email = (user_email or "").strip()
    if not user_email:
        record.user = None
        return
    if record.user_id and record.user.email.lower() == user_email.lower():
        return
    if not is_territory_writer(actor, record.territory):
        raise ValidationError(_("Only the team's admins and editors link platform accounts."))
    user = User.objects.filter(email__iexact=user_email, is_active=True).first()
    if user is None:
        raise ValidationError(_("No platform account uses this e-mail address."))
    taken = Actor.objects.filter(territory_id=record.territory_id, user=user).exclude(pk=record.pk)
    if taken.exists():
        raise ValidationError(_("This account already represents another actor of this territory."))
    record.user = user
