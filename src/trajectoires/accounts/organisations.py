"""Writes to funders and to the Assembly's roles (platform staff only)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record
from trajectoires.core.text import unique_slug

from .models import AssemblyMembership, AssemblyRole, Funder, User


def _require_staff(actor: Any) -> None:
    # `None` is the platform itself (the CLI, the demo); anyone else must be platform staff.
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied


def funder_create(*, actor: Any, name: str, kind: Any, siren: str = "") -> Funder:
    _require_staff(actor)
    slug = unique_slug(
        name, taken=lambda slug: Funder.objects.filter(slug=slug).exists(), fallback="financeur"
    )
    funder = Funder(name=name.strip(), slug=slug, kind=kind, siren=siren.strip())
    funder.full_clean()
    if funder.kind.grid.code != "funder_type":
        raise ValidationError({"kind": _("Choose a type of funder from the référentiel.")})
    if funder.siren and not (funder.siren.isdigit() and len(funder.siren) == 9):
        raise ValidationError({"siren": _("A SIREN is nine digits.")})
    with transaction.atomic():
        funder.save()
        audit_record(
            actor=actor,
            action="funder.create",
            obj=funder,
            scope=f"funder:{funder.pk}",
            changes={"name": [None, funder.name], "kind": [None, funder.kind.code]},
        )
    return funder


def assembly_role_grant(*, actor: Any, user: User, role: str) -> AssemblyMembership:
    _require_staff(actor)
    if role not in AssemblyRole.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    membership = AssemblyMembership(user=user, role=role)
    membership.full_clean()
    with transaction.atomic():
        membership.save()
        audit_record(
            actor=actor,
            action="assembly_membership.grant",
            obj=membership,
            scope="assembly",
            changes={"role": [None, role]},
        )
    return membership
