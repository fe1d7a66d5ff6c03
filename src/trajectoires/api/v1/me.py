"""The caller: who they are, how they signed in, and the memberships that decide what they see."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trajectoires.accounts.models import TokenScope
from trajectoires.territories.selectors import memberships_of

from .auth import SIGNED_IN
from .errors import error_responses

router = Router(tags=["me"], auth=SIGNED_IN)


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    is_staff: bool = Field(description="Platform staff run the alliance's directory.")
    authenticated_by: Literal["session", "token"]
    scope: TokenScope = Field(description="What this call may do: read, or read and write.")


class MembershipOut(Schema):
    kind: Literal["territory", "funder", "assembly"]
    role: str
    role_label: str
    target_name: str
    target_slug: str = Field(description="The territory's or funder's short name; empty for the assembly.")


@router.get("", response={200: MeOut, **error_responses(401)}, summary="The caller")
def read_me(request: HttpRequest):
    user, token = request.user, getattr(request, "api_token", None)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_staff": user.is_staff,
        "authenticated_by": "token" if token else "session",
        "scope": token.scope if token else TokenScope.READ_WRITE,
    }


@router.get(
    "/memberships", response={200: list[MembershipOut], **error_responses(401)}, summary="My memberships"
)
def list_memberships(request: HttpRequest):
    """Territories first, then funders, then the assembly (three queries); a short list, not paged."""
    return [
        {
            "kind": membership.kind,
            "role": membership.role,
            "role_label": membership.role_label,
            "target_name": membership.target_name,
            "target_slug": membership.target_slug,
        }
        for membership in memberships_of(request.user)
    ]
