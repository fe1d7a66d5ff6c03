"""Team pages (territories and funders), invitations and audit logs."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .selectors import territory_get
from .team_forms import InvitationForm, NewAccountForm, RoleForm
from .team_selectors import (
    access_team,
    account_exists,
    audit_actor_names,
    audit_entries_all,
    audit_entries_for_territory,
    funder_get,
    team_members,
    team_membership,
    team_pending_invitations,
)
from .teams import (
    invitation_accept,
    invitation_accept_new_account,
    invitation_create,
    invitation_find,
    membership_change_role,
    membership_remove,
)

AUDIT_PER_PAGE = 50


def _target(kind: str, slug: str):
    return territory_get(slug) if kind == "territory" else funder_get(slug)


def _team_url(team) -> str:
    name = "territories:team" if team.field == "territory" else "funders:team"
    return reverse(name, kwargs={"slug": team.target.slug})


@login_required
def team_page(request, slug: str, kind: str = "territory", invite_form=None):
    team = access_team(request.user, _target(kind, slug))
    can_manage = team.may_manage(request.user)
    context = {
        "team": team,
        "target": team.target,
        "kind": kind,
        "members": team_members(team),
        "invitations": team_pending_invitations(team) if can_manage else [],
        "can_manage": can_manage,
        "invite_form": invite_form or InvitationForm(roles=team.roles),
        "roles": team.roles.choices,
    }
    return render(request, "territories/team.html", context, status=400 if invite_form else 200)


@login_required
@require_POST
def team_invite(request, slug: str, kind: str = "territory"):
    team = access_team(request.user, _target(kind, slug))
    if not team.may_manage(request.user):
        raise Http404
    form = InvitationForm(request.POST, roles=team.roles)
    if form.is_valid():
        try:
            invitation_create(
                actor=request.user,
                target=team.target,
                link_base=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % form.cleaned_data)
            return redirect(_team_url(team))
    return team_page(request, slug, kind, invite_form=form)


@login_required
@require_POST
def team_member_role(request, slug: str, pk: int, kind: str = "territory"):
    team = access_team(request.user, _target(kind, slug))
    membership = team_membership(team, pk)
    form = RoleForm(request.POST, roles=team.roles)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return redirect(_team_url(team))
    try:
        membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role of %(name)s was changed.") % {"name": membership.user})
    return redirect(_team_url(team))


@login_required
@require_POST
def team_member_remove(request, slug: str, pk: int, kind: str = "territory"):
    team = access_team(request.user, _target(kind, slug))
    membership = team_membership(team, pk)
    try:
        membership_remove(actor=request.user, membership=membership)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s left the team.") % {"name": membership.user})
    return redirect(_team_url(team))


def invitation_page(request, token: str):
    """Accept an invitation: join with the signed-in account, or create one."""
    try:
        invitation = invitation_find(token)
    except ValidationError as error:
        return render(request, "territories/invitation.html", {"error": error.messages[0]}, status=404)
    target = invitation.territory or invitation.funder
    has_account = account_exists(invitation.email)
    form = (
        NewAccountForm(request.POST or None)
        if not request.user.is_authenticated and not has_account
        else None
    )
    if request.method == "POST" and _accept(request, token, form):
        messages.success(request, _("Welcome to the team of %(name)s.") % {"name": target.name})
        return redirect(_team_url(access_team(request.user, target)))
    context = {"invitation": invitation, "target": target, "has_account": has_account, "form": form}
    return render(request, "territories/invitation.html", context)


def _accept(request, token: str, form) -> bool:
    try:
        if request.user.is_authenticated:
            invitation_accept(raw=token, user=request.user)
        elif form is not None and form.is_valid():
            data = form.cleaned_data
            user = invitation_accept_new_account(
                raw=token, full_name=data["full_name"], password=data["password"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            return False
    except ValidationError as error:
        if form is not None:
            form.add_error(None, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False
    return True


@login_required
def territory_audit(request, slug: str):
    territory = territory_get(slug)
    return _audit_page(request, audit_entries_for_territory(request.user, territory), territory)


@login_required
def audit_all(request):
    return _audit_page(request, audit_entries_all(request.user), None)


def _audit_page(request, entries, territory):
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    names = audit_actor_names(page.object_list)
    rows = [(entry, names.get(entry.actor_label)) for entry in page]
    context = {"page": page, "rows": rows, "territory": territory}
    return render(request, "territories/audit.html", context)
