"""One error shape for every answer that is not a success, whatever raised it.

`{"error": {"status", "code", "message", "fields"?}}`: clients branch on `code`, show `message` (in the
request's language) and, for a 422, put each message of `fields` next to the field it names. Django's
`Http404` (what selectors raise for a missing *or* forbidden record), ninja's own errors, pydantic's
validation errors, oversize bodies and crashes all end up here, so no answer leaks another shape.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/json; charset=utf-8"


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class ErrorOut(Schema):
    """The one error shape; `fields` is there only for validation errors (422)."""

    error: ErrorBody


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error statuses an operation may answer, for its OpenAPI description."""
    return dict.fromkeys(statuses, ErrorOut)


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    fields: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {"status": status, "code": code, "message": str(message)}
    if fields is not None:
        body["fields"] = dict(fields)
    return JsonResponse({"error": body}, status=status, headers=headers, content_type=CONTENT_TYPE)


class ApiError(Exception):
    """An error to answer in the one shape; raise it from an operation or an authentication step."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message, fields=self.fields, headers=self.headers)


def invalid(fields: Mapping[str, Iterable[Any]]) -> ApiError:
    """A 422 naming each field at fault, from a form's or a service's errors (`{field: [messages]}`)."""
    named = {field: [str(message) for message in messages] for field, messages in fields.items()}
    return ApiError(422, "invalid", _("Some fields are invalid."), fields=named)


def service_call[T](call: Callable[[], T], *, conflict: bool = False) -> T:
    """Run a service's write as the API answers it: refused rights are a 404 (exactly like a
    missing record), refused rules a 422 naming the fields — or, with `conflict`, a 409."""
    try:
        return call()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        if conflict:
            raise ApiError(409, "conflict", " ".join(error.messages)) from None
        fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise invalid(fields) from None


def not_found() -> JsonResponse:
    # The same words for a missing record and a forbidden one (SPEC §4).
    return error_response(404, "not_found", _("Nothing was found at this address."))


# Pydantic's messages are English only: each error type gets a translated message of ours (the same
# words as Django's forms where Django has them, so its catalogue answers for them as well).
_TYPE_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not accepted here."),
    "string_type": gettext_lazy("Enter a text."),
    "list_type": gettext_lazy("Enter a list."),
    "model_type": gettext_lazy("Send a JSON object."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "enum": gettext_lazy("Select a valid choice. That choice is not one of the available choices."),
    "literal_error": gettext_lazy("Select a valid choice. That choice is not one of the available choices."),
}
_BOUND_MESSAGES = {
    "greater_than_equal": (
        gettext_lazy("Ensure this value is greater than or equal to %(limit_value)s."),
        "ge",
    ),
    "less_than_equal": (gettext_lazy("Ensure this value is less than or equal to %(limit_value)s."), "le"),
}
_SOURCES = {"query", "path", "body", "header", "cookie", "form", "file"}


def _translated(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in _BOUND_MESSAGES:
        message, bound = _BOUND_MESSAGES[kind]
        return str(message) % {"limit_value": (error.get("ctx") or {}).get(bound)}
    return str(_TYPE_MESSAGES.get(kind, gettext_lazy("Enter a valid value.")))


def _field_name(loc: Iterable[Any], body_names: set[str]) -> str:
    """`("body", "payload", "areas", 0)` → `areas.0`; a body that is not an object → `body`."""
    parts = [str(part) for part in loc]
    source = parts.pop(0) if parts and parts[0] in _SOURCES else ""
    if source == "body" and parts and parts[0] in body_names:
        parts.pop(0)
    return ".".join(parts) or source or "__all__"


def validation_fields(errors: Iterable[Mapping[str, Any]], body_names: set[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        messages = fields.setdefault(_field_name(error.get("loc", ()), body_names), [])
        if (message := _translated(error)) not in messages:
            messages.append(message)
    return fields


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises these itself: 400 when the body does not parse, 401/403 from its stock auth classes.
    if exc.status_code == 400:
        return error_response(400, "malformed_json", _("The request body is not valid JSON."))
    if exc.status_code == 401:
        return error_response(401, "not_authenticated", _("Sign in, or send a personal token, to use this."))
    if exc.status_code == 403:
        return error_response(403, "permission_denied", _("You may not do this."))
    return error_response(exc.status_code, "error", str(exc))


def _on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return error_response(
        413, "request_too_large", _("The request body is too large: at most %(limit)s.") % {"limit": limit}
    )


def _on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side; it has been logged."))


def install_error_handlers(api: NinjaAPI, *, body_names: set[str]) -> None:
    """Route every exception an operation can raise to the one shape."""
    api.add_exception_handler(ApiError, lambda request, exc: exc.response())
    api.add_exception_handler(Http404, lambda request, exc: not_found())
    api.add_exception_handler(
        NinjaValidationError,
        lambda request, exc: invalid(validation_fields(exc.errors, body_names)).response(),
    )
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(RequestDataTooBig, _on_too_big)
    api.add_exception_handler(Exception, _on_crash)


def _method_not_allowed(request: HttpRequest, refused: HttpResponse) -> HttpResponse:
    allowed = ", ".join(sorted(method.strip() for method in refused["Allow"].split(",")))
    return error_response(
        405,
        "method_not_allowed",
        _("This address does not accept %(method)s; it accepts %(allowed)s.")
        % {"method": request.method, "allowed": allowed},
        headers={"Allow": allowed},
    )


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap every address of the API, operations or not (schema, docs, unknown addresses).

    The API lives outside `i18n_patterns`, where LocaleMiddleware always picks French: here the
    request itself (language cookie, then Accept-Language) chooses. Ninja answers an unknown method
    with a plain-text 405 and its root with Django's HTML 404: both are turned into the one shape.
    CSRF is checked by the session authentication for unsafe methods, not by the middleware, which
    would answer in HTML.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = not_found()
            if isinstance(response, HttpResponseNotAllowed):
                response = _method_not_allowed(request, response)
        response.headers["Content-Language"] = language
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def unknown_address(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and the docs only answer GET (and HEAD)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, *args, **kwargs)

    return wrapper
