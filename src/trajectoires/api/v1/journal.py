"""A territory's journal (K10): the first territory-owned record, read through the viewer's
visibility like every such record. A forbidden entry answers exactly like a missing one (404).

Writes go through the page's form (`JournalEntryForm`) and the services, which check the caller's
role, validate, write and audit.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.forms import JournalEntryForm
from trajectoires.steering.models import JournalEntry
from trajectoires.steering.selectors import access_journal_entry, journal_entries
from trajectoires.steering.services import journal_entry_create, journal_entry_update
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["journal"])


class JournalEntryOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    occurred_on: datetime.date
    body: str
    key_actions: list[str] = Field(description="Codes of the référentiel's key actions (K1…K10).")
    visibility: Visibility


class JournalPage(PageOut):
    results: list[JournalEntryOut]


class JournalEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    occurred_on: str = Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    body: str = ""
    key_actions: list[str] = Field(default_factory=list, description="K1…K10")
    visibility: Visibility = Visibility.PRIVATE


def _out(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "territory": entry.territory.slug,
        "title": entry.title,
        "occurred_on": entry.occurred_on,
        "body": entry.body,
        "key_actions": [item.code for item in entry.key_actions.all()],
        "visibility": entry.visibility,
    }


def _form(payload: JournalEntryIn) -> JournalEntryForm:
    """The page's form, fed with the JSON: key actions travel by code, the form takes their ids."""
    codes = dict(referential_items("key_action").values_list("code", "pk"))
    unknown = [code for code in payload.key_actions if code not in codes]
    if unknown:
        raise invalid({"key_actions": [_("Unknown key actions: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    data = payload.model_dump() | {"key_actions": [codes[code] for code in payload.key_actions]}
    form = JournalEntryForm(data=data)
    if not form.is_valid():
        raise invalid(form.errors)
    return form


@router.get(
    "/{slug:slug}/journal/",
    response={200: JournalPage, **error_responses(401, 404, 422)},
    summary="List a territory's journal",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_journal(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The entries the caller may read, newest first, as on the journal page."""
    return paginate(request, journal_entries(request.user, territory_get(slug)), pages, _out)


@router.get(
    "/{slug:slug}/journal/{int:pk}",
    response={200: JournalEntryOut, **error_responses(401, 404)},
    summary="Read a journal entry",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_journal_entry(request: HttpRequest, slug: str, pk: int):
    return _out(access_journal_entry(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/journal/",
    auth=SIGNED_IN,
    response={201: JournalEntryOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Write a journal entry (admins, editors, contributors)",
)
def create_journal_entry(request: HttpRequest, slug: str, payload: JournalEntryIn):
    territory = territory_get(slug)
    form = _form(payload)
    try:
        entry = journal_entry_create(actor=request.user, territory=territory, **form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        raise invalid(error.message_dict) from None
    return Status(201, _out(access_journal_entry(request.user, territory, entry.pk)))


@router.put(
    "/{slug:slug}/journal/{int:pk}",
    auth=SIGNED_IN,
    response={200: JournalEntryOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a journal entry (admins, editors, its author)",
)
def update_journal_entry(request: HttpRequest, slug: str, pk: int, payload: JournalEntryIn):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    form = _form(payload)
    try:
        journal_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        raise invalid(error.message_dict) from None
    return _out(access_journal_entry(request.user, territory, pk))
