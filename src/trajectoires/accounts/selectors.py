"""Reads of accounts."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's API tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def access_api_token(viewer: User, token_id: int) -> ApiToken:
    """One of the viewer's own tokens; the same 404 whether it is missing or someone else's."""
    token = api_tokens_of(viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
