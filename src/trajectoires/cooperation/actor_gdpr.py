"""A person's rights over their data in the actor map (GDPR): export and erasure.

Both are the territory admin's, both are audited without any personal value. Erasure replaces the
name with a pseudonym, blanks the contact details, the function and the notes, unlinks the platform
account and keeps the category and the ties, so the network and its metrics stay true.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.models import AuditEntry
from trajectoires.territories.services import territory_scope

from .actors import audit_actor, snapshot
from .models import Actor, Tie
from .permissions import can_erase_actor, can_export_actor
from .signals import actor_erasing
from .tasks import refresh_territory_rounds

# Stored data, not an interface string: the platform's records are written in French.
PSEUDONYM = "Personne effacée n° {number}"
TIE_SCORES = ("openness", "reliability", "shared_mission", "influence", "involvement", "resources")


def pseudonym(record: Actor) -> str:
    return PSEUDONYM.format(number=record.pk)


def actor_export(*, actor: Any, record: Actor) -> dict[str, Any]:
    """Everything stored about the person: their fields, their ties in every round, the journal
    entries and celebrations that name them, and the history of changes to their record."""
    if not can_export_actor(actor, record):
        raise PermissionDenied
    data = {
        "exported_at": timezone.now().isoformat(),
        "territory": {"name": record.territory.name, "slug": record.territory.slug},
        "actor": _fields(record),
        "ties": [_tie(tie, record) for tie in _ties(record)],
        "journal_entries": [
            {"id": entry.pk, "date": entry.occurred_on.isoformat(), "title": entry.title}
            for entry in record.journal_entries.order_by("occurred_on", "id")
        ],
        "celebrations": [
            {"id": item.pk, "date": item.achieved_on.isoformat(), "title": item.title}
            for item in record.celebrations.order_by("achieved_on", "id")
        ],
        "history": [
            {"at": entry.at.isoformat(), "action": entry.action, "fields": sorted(entry.changes)}
            for entry in AuditEntry.objects.filter(
                object_type=record._meta.label_lower, object_id=str(record.pk)
            ).order_by("at", "id")
        ],
    }
    audit_record(
        actor=actor, action="actor.export", obj=record, scope=territory_scope(record.territory), personal=True
    )
    return data


def actor_erase(*, actor: Any, record: Actor) -> Actor:
    if not can_erase_actor(actor, record):
        raise PermissionDenied
    with transaction.atomic():
        record = Actor.objects.select_for_update().select_related("territory", "category").get(pk=record.pk)
        if record.erased_at is not None:
            raise ValidationError(_("This person's data were already erased."))
        before = snapshot(record)
        actor_erasing.send(sender=Actor, record=record)
        record.name = pseudonym(record)
        record.function = record.email = record.phone = record.notes = ""
        record.user = None
        record.erased_at = timezone.now()
        record.save()
        # A person's trail keeps the names of the fields, never their values (see actors.audit_actor).
        changes = changed_fields(before, snapshot(record)) | {
            "erased_at": [None, record.erased_at.isoformat()]
        }
        audit_actor(actor=actor, action="actor.erase", record=record, changes=changes)
        refresh_territory_rounds(record.territory)  # an erased person stays a node only where tied
    return record


def _fields(record: Actor) -> dict[str, Any]:
    return {
        "id": record.pk,
        "kind": record.kind,
        "name": record.name,
        "category": {"code": record.category.code, "label": record.category.label_fr},
        "organisation": record.organisation.name if record.organisation_id else None,
        "function": record.function,
        "email": record.email,
        "phone": record.phone,
        "notes": record.notes,
        "platform_account": record.user.email if record.user_id else None,
        "visibility": record.visibility,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "erased_at": record.erased_at.isoformat() if record.erased_at else None,
    }


def _ties(record: Actor):
    ties = Tie.objects.filter(Q(source=record) | Q(target=record)).select_related("round", "source", "target")
    return ties.order_by("round__held_on", "id")


def _tie(tie: Tie, record: Actor) -> dict[str, Any]:
    outgoing = tie.source_id == record.pk
    return {
        "round": {"title": tie.round.title, "date": tie.round.held_on.isoformat()},
        "direction": "from" if outgoing else "to",
        "other_actor": (tie.target if outgoing else tie.source).name,
        "type": tie.tie_type,
        "frequency": tie.frequency,
        "quality": tie.quality,
        **{score: getattr(tie, score) for score in TIE_SCORES},
    }
