"""Writes to teams: invitations by e-mail, roles, removals — for territories and funders alike.

A team always keeps at least one admin. Every write checks the actor's right, validates, writes
and audits in one transaction; e-mails leave only once the transaction is committed.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder, FunderMembership, FunderRole
from trajectoires.core.audit import audit_record

from .enums import TerritoryRole
from .models import Invitation, Territory, TerritoryMembership
from .permissions import forget_viewer_scope, is_funder_admin, is_platform_staff, is_territory_admin

INVITATION_LIFETIME = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Team:
    """What differs between a territory's team and a funder's."""

    target: Territory | Funder
    membership_model: type[models.Model]
    field: str  # "territory" or "funder"
    roles: type[models.TextChoices]
    admin_role: str

    @classmethod
    def of(cls, target: Territory | Funder) -> "Team":
        if isinstance(target, Territory):
            return cls(target, TerritoryMembership, "territory", TerritoryRole, TerritoryRole.ADMIN)
        return cls(target, FunderMembership, "funder", FunderRole, FunderRole.ADMIN)

    @property
    def scope(self) -> str:
        return f"{self.field}:{self.target.pk}"

    def memberships(self) -> models.QuerySet:
        return self.membership_model.objects.filter(**{self.field: self.target})

    def may_manage(self, actor: Any) -> bool:
        admin = is_territory_admin if self.field == "territory" else is_funder_admin
        return bool(admin(actor, self.target) or is_platform_staff(actor))


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def invitation_create(
    *, actor: Any, target: Territory | Funder, email: str, role: str, link_base: str
) -> tuple[Invitation, str]:
    """Invite `email` into the team of `target` with `role`; the link is e-mailed after commit."""
    team = Team.of(target)
    if not team.may_manage(actor):
        raise PermissionDenied
    email = email.strip().lower()
    _check_invitation(team, email, role)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        role=role,
        digest=digest(raw),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
        **{team.field: target},
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        audit_record(
            actor=actor,
            action="invitation.create",
            obj=invitation,
            scope=team.scope,
            changes={"email": [None, email], "role": [None, role]},
            personal=True,
        )
        link = f"{link_base.rstrip('/')}/invitations/{raw}/"
        transaction.on_commit(lambda: _send_invitation(invitation, target, link))
    return invitation, raw


def _check_invitation(team: Team, email: str, role: str) -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if role not in team.roles.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if team.memberships().filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member of this team.") % {"email": email}})
    pending = Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        **{team.field: team.target},
    )
    if pending.exists():
        raise ValidationError(
            {"email": _("An invitation to %(email)s is already waiting.") % {"email": email}}
        )


def _send_invitation(invitation: Invitation, target: Territory | Funder, link: str) -> None:
    send_mail(
        subject=_("Invitation to join %(name)s on Trajectoires") % {"name": target.name},
        message=_(
            "You are invited to join %(name)s on Trajectoires.\n\nTo accept, open this link within 14 days "
            "(it works once):\n%(link)s\n"
        )
        % {"name": target.name, "link": link},
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_find(raw: str) -> Invitation:
    """The invitation behind a link, usable now; otherwise a ValidationError that says why."""
    invitation = (
        Invitation.objects.select_related("territory", "funder").filter(digest=digest(str(raw))).first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired: ask for a new one."))
    return invitation


def invitation_accept(*, raw: str, user: Any) -> models.Model:
    """`user` (signed in, with the invited address) joins the team; returns the membership."""
    with transaction.atomic():
        invitation = invitation_find(raw)
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation was sent to another e-mail address: sign out, then open the link again.")
            )
        return _join(invitation, user)


def invitation_accept_new_account(*, raw: str, full_name: str, password: str) -> Any:
    """Create the invited person's account and make them join; returns the new user."""
    users = get_user_model().objects
    with transaction.atomic():
        invitation = invitation_find(raw)
        if users.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account already uses this address: sign in to accept."))
        candidate = users.model(email=invitation.email, full_name=full_name.strip())
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user = users.create_user(invitation.email, password, full_name=full_name.strip())
        audit_record(actor=user, action="account.create", obj=user, changes={"email": [None, user.email]})
        _join(invitation, user)
    return user


def _join(invitation: Invitation, user: Any) -> models.Model:
    target = invitation.territory or invitation.funder
    team = Team.of(target)
    membership, _created = team.membership_model.objects.get_or_create(
        user=user, **{team.field: target}, defaults={"role": invitation.role}
    )
    now = timezone.now()
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=user
    )
    if not updated:  # accepted by someone else in the meantime
        raise ValidationError(_("This invitation was already used."))
    audit_record(
        actor=user,
        action="membership.join",
        obj=membership,
        scope=team.scope,
        changes={"role": [None, membership.role]},
    )
    forget_viewer_scope(user)
    return membership


def membership_grant(*, actor: Any, target: Territory | Funder, user: Any, role: str) -> models.Model:
    """Give `user` a role in a team directly (platform staff, the CLI and the demo do this;
    people otherwise join through invitations)."""
    team = Team.of(target)
    if actor is not None and not team.may_manage(actor):
        raise PermissionDenied
    if role not in team.roles.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    with transaction.atomic():
        membership, created = team.membership_model.objects.get_or_create(
            user=user, **{team.field: target}, defaults={"role": role}
        )
        if not created:
            raise ValidationError(
                {"user": _("%(email)s is already a member of this team.") % {"email": user.email}}
            )
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            scope=team.scope,
            changes={"role": [None, role]},
        )
    forget_viewer_scope(user)
    return membership


def membership_change_role(*, actor: Any, membership: models.Model, role: str) -> models.Model:
    team = Team.of(membership.territory if hasattr(membership, "territory") else membership.funder)
    if not team.may_manage(actor):
        raise PermissionDenied
    if role not in team.roles.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    before = membership.role
    with transaction.atomic():
        if before == team.admin_role and role != team.admin_role:
            _keep_an_admin(team, membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="membership.change_role",
            obj=membership,
            scope=team.scope,
            changes={"role": [before, role]},
        )
    forget_viewer_scope(membership.user)
    return membership


def membership_remove(*, actor: Any, membership: models.Model) -> None:
    team = Team.of(membership.territory if hasattr(membership, "territory") else membership.funder)
    leaving_self = getattr(actor, "pk", None) == membership.user_id
    if not (team.may_manage(actor) or leaving_self):
        raise PermissionDenied
    with transaction.atomic():
        if membership.role == team.admin_role:
            _keep_an_admin(team, membership)
        audit_record(
            actor=actor,
            action="membership.remove",
            obj=membership,
            scope=team.scope,
            changes={"role": [membership.role, None]},
        )
        membership.delete()
    forget_viewer_scope(membership.user)


def _keep_an_admin(team: Team, leaving: models.Model) -> None:
    # Lock the team's admin rows so two admins cannot both step down at once.
    admins = team.memberships().select_for_update().filter(role=team.admin_role).exclude(pk=leaving.pk)
    if not admins.exists():
        raise ValidationError(_("A team keeps at least one admin: name another admin first."))


def teams_where_last_admin(user: Any) -> list[str]:
    """Names of the teams `user` is the only admin of (an account erasure is refused then)."""
    names = []
    for model, field, admin in (
        (TerritoryMembership, "territory", TerritoryRole.ADMIN),
        (FunderMembership, "funder", FunderRole.ADMIN),
    ):
        for membership in model.objects.filter(user=user, role=admin).select_related(field):
            target = getattr(membership, field)
            if not model.objects.filter(role=admin, **{field: target}).exclude(user=user).exists():
                names.append(target.name)
    return names
