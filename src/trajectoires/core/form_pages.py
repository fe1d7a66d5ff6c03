"""The one way a form page saves through a service: the form checks the input, the service checks
the rights and the rules; a refusal of rights answers 404 (as a record that does not exist), a
refusal of the rules lands on the form, next to the field it names."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown next to the field it names (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def saved_through(request, form, save: Callable[[], Any]) -> Any | None:
    """On a valid POST, what `save()` (a service call) saved; None when nothing was saved — not
    a POST, an invalid form, or a refusal now shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        add_errors(form, error)
        return None
