"""Who may see and do what in a territory (SPEC §4), computed once per viewer.

- private records: the territory team (admin, editor, viewer);
- partners records: the team, the territory's contributors and the members of its partner funders;
- alliance records: every signed-in member;
- public records: anyone.
Platform staff administer the directory and read every audit log; they see records like any member.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Q, QuerySet

from trajectoires.accounts.models import FunderRole
from trajectoires.core.visibility import Visibility

from .enums import TEAM_ROLES, WRITE_ROLES, TerritoryRole
from .models import Territory, TerritoryMembership, TerritoryPartnership

_CACHE_ATTRIBUTE = "_trajectoires_scope"


@dataclass(frozen=True)
class ViewerScope:
    user_id: int | None = None
    is_staff: bool = False
    roles: dict[int, str] = field(default_factory=dict)  # territory id → role
    funded: frozenset[int] = frozenset()  # territories partnered with the viewer's funders
    funder_roles: dict[int, str] = field(default_factory=dict)  # funder id → role

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def team(self) -> frozenset[int]:
        return frozenset(pk for pk, role in self.roles.items() if role in TEAM_ROLES)

    @property
    def partners(self) -> frozenset[int]:
        return frozenset(self.roles) | self.funded

    def role_in(self, territory: Territory) -> str | None:
        return self.roles.get(territory.pk)


def viewer_scope(user) -> ViewerScope:
    """The viewer's memberships, read once per request (two queries) and kept on the user."""
    if user is None or not user.is_authenticated:
        return ViewerScope()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    roles = dict(TerritoryMembership.objects.filter(user=user).values_list("territory_id", "role"))
    funder_roles = dict(user.funder_memberships.values_list("funder_id", "role"))
    funded = (
        frozenset(
            TerritoryPartnership.objects.filter(funder_id__in=funder_roles).values_list(
                "territory_id", flat=True
            )
        )
        if funder_roles
        else frozenset()
    )
    scope = ViewerScope(user.pk, user.is_staff, roles, funded, funder_roles)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_viewer_scope(user) -> None:
    """After a membership change, so the next check reads it again."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


class AudienceViewer:
    """Whoever reads a territory's records at one visibility level — the audience of a generated
    document (an evaluation report): it reads what a viewer of that level reads, no more."""

    is_authenticated = True
    is_staff = False
    pk = None

    def __init__(self, scope: ViewerScope):
        setattr(self, _CACHE_ATTRIBUTE, scope)


def audience_viewer(territory: Territory, audience: str) -> AudienceViewer | None:
    """A viewer reading `territory` as its `audience` does (None, the anonymous visitor, for public)."""
    if audience == Visibility.PUBLIC:
        return None
    scopes = {
        Visibility.ALLIANCE: ViewerScope(user_id=0),
        Visibility.PARTNERS: ViewerScope(user_id=0, funded=frozenset({territory.pk})),
        Visibility.PRIVATE: ViewerScope(user_id=0, roles={territory.pk: TerritoryRole.VIEWER}),
    }
    return AudienceViewer(scopes[audience])


def visible_to(queryset: QuerySet, viewer, *, territory_field: str = "territory") -> QuerySet:
    """Only the records of `queryset` that `viewer` may see — the one place this is decided."""
    scope = viewer_scope(viewer)
    allowed = Q(visibility=Visibility.PUBLIC)
    if scope.signed_in:
        allowed |= Q(visibility=Visibility.ALLIANCE)
        allowed |= Q(visibility=Visibility.PARTNERS, **{f"{territory_field}__in": scope.partners})
        allowed |= Q(visibility=Visibility.PRIVATE, **{f"{territory_field}__in": scope.team})
    return queryset.filter(allowed)


@rules.predicate
def is_territory_admin(user, territory: Territory) -> bool:
    return viewer_scope(user).role_in(territory) == TerritoryRole.ADMIN


@rules.predicate
def is_territory_writer(user, territory: Territory) -> bool:
    return viewer_scope(user).role_in(territory) in WRITE_ROLES


@rules.predicate
def is_territory_contributor(user, territory: Territory) -> bool:
    return viewer_scope(user).role_in(territory) == TerritoryRole.CONTRIBUTOR


@rules.predicate
def is_territory_team(user, territory: Territory) -> bool:
    return viewer_scope(user).role_in(territory) in TEAM_ROLES


@rules.predicate
def is_territory_member(user, territory: Territory) -> bool:
    return viewer_scope(user).role_in(territory) is not None


@rules.predicate
def is_platform_staff(user) -> bool:
    return viewer_scope(user).is_staff


@rules.predicate
def is_funder_admin(user, funder) -> bool:
    return viewer_scope(user).funder_roles.get(funder.pk) == FunderRole.ADMIN


# What the pages and the API ask. Records add their own rules in their app.
can_write_in_territory = is_territory_writer
can_contribute_to_territory = is_territory_writer | is_territory_contributor
can_manage_territory = is_territory_admin
can_read_territory_audit = is_territory_admin | is_platform_staff
can_manage_funder = is_funder_admin
can_create_territory = is_platform_staff
