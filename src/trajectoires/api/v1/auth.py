"""Who is calling: a personal token, the site's session, or nobody.

An operation lists its authentication steps; ninja tries them in order and the first to answer wins:
- `BearerToken`: `Authorization: Bearer trj_…`, checked by `accounts.services.api_token_authenticate`.
  A bad token answers 401 at once instead of falling back to the session, so a client never acts as
  someone other than it believes; a read-only token answers 403 to any write method.
- `SessionCookie`: the site's session; CSRF is enforced for unsafe methods (ninja exempts its views
  from the middleware, so the check happens here).
- then `Anonymous` for public reads, or `SignInRequired` for the rest.
Afterwards `request.user` is the caller, whichever way it came, for the selectors to scope by.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from trajectoires.accounts.models import TokenScope
from trajectoires.accounts.services import api_token_authenticate

from .errors import ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Requirement = Callable[[Any], bool]
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="trajectoires"'}


def _admit(request: HttpRequest, require: Requirement | None) -> Any:
    """The caller, if the operation's requirement holds; otherwise the address does not exist for
    them (a 404, like the pages)."""
    if require is not None and not require(request.user):
        raise Http404
    return request.user


class BearerToken(HttpBearer):
    openapi_bearerFormat = "trj_…"
    openapi_description = "A personal API token (scope read, or read and write)."

    def __init__(self, *, require: Requirement | None = None) -> None:
        self.require = require
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(
                401,
                "invalid_token",
                _("Send a personal token as “Authorization: Bearer trj_…”."),
                headers=CHALLENGE,
            )
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            raise ApiError(
                401, "invalid_token", _("This token is unknown or has been revoked."), headers=CHALLENGE
            )
        if request.method not in SAFE_METHODS and api_token.scope != TokenScope.READ_WRITE:
            raise ApiError(
                403,
                "read_only_token",
                _("This token can only read. Create a token with the “read and write” scope to change data."),
            )
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return _admit(request, self.require)


class SessionCookie(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The site's session, after signing in; writes need the X-CSRFToken header."

    def __init__(self, *, require: Requirement | None = None) -> None:
        self.require = require
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF check failed: send the value of the csrftoken cookie in an X-CSRFToken header."),
            )
        return _admit(request, self.require)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # never called: __call__ reads the session through request.user


class Anonymous:
    """Public data: anyone may read it. Not a security scheme, so it adds nothing to the schema."""

    def __call__(self, request: HttpRequest) -> Any:
        return request.user  # AnonymousUser, which is truthy, so ninja lets the call through


class SignInRequired:
    def __call__(self, request: HttpRequest) -> Any:
        raise ApiError(
            401, "not_authenticated", _("Sign in, or send a personal token, to use this."), headers=CHALLENGE
        )


PUBLIC = [BearerToken(), SessionCookie(), Anonymous()]
SIGNED_IN = [BearerToken(), SessionCookie(), SignInRequired()]
# In OpenAPI, an empty requirement means "no credentials needed".
ANONYMOUS_ALLOWED = {"security": [{}]}


def signed_in_and(require: Requirement) -> list:
    """A signed-in caller for whom `require(user)` holds; to anyone else the address is a 404."""
    return [BearerToken(require=require), SessionCookie(require=require), SignInRequired()]
