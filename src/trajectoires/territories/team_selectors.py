"""Reads for team pages and audit logs. A team page exists only for the team's members and
platform staff; to anyone else it answers 404, like a page that does not exist."""

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from trajectoires.accounts.models import Funder
from trajectoires.core.models import AuditEntry

from .models import Invitation, Territory
from .permissions import can_read_territory_audit, is_platform_staff, viewer_scope
from .teams import Team


def funder_get(slug: str) -> Funder:
    funder = Funder.objects.select_related("kind").filter(slug=slug).first()
    if funder is None:
        raise Http404
    return funder


def funder_list() -> QuerySet[Funder]:
    return (
        Funder.objects.select_related("kind").annotate(partner_count=Count("partnerships")).order_by("name")
    )


def funder_partnerships(funder: Funder) -> QuerySet:
    return funder.partnerships.select_related("territory").order_by("territory__name")


def account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def access_team(viewer, target: Territory | Funder) -> Team:
    scope = viewer_scope(viewer)
    is_member = target.pk in scope.roles if isinstance(target, Territory) else target.pk in scope.funder_roles
    if not (is_member or scope.is_staff):
        raise Http404
    return Team.of(target)


def team_members(team: Team) -> QuerySet:
    return team.memberships().select_related("user").order_by("role", "user__full_name", "user__email")


def team_pending_invitations(team: Team) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now(), **{team.field: team.target}
    ).order_by("-created_at")


def team_membership(team: Team, pk: int):
    membership = team.memberships().select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def audit_entries_for_territory(viewer, territory: Territory) -> QuerySet[AuditEntry]:
    if not can_read_territory_audit(viewer, territory):
        raise Http404
    return AuditEntry.objects.filter(scope=f"territory:{territory.pk}").order_by("-at", "-id")


def audit_entries_all(viewer) -> QuerySet[AuditEntry]:
    if not is_platform_staff(viewer):
        raise Http404
    return AuditEntry.objects.order_by("-at", "-id")


def audit_actor_names(entries) -> dict[str, str]:
    """Names of the actors of `entries` that still have an account (one query)."""
    keys = {entry.actor_label for entry in entries if entry.actor_label.isdigit()}
    users = get_user_model().objects.filter(pk__in=keys).only("full_name", "email")
    return {str(user.pk): str(user) for user in users}
