"""A territory's journal (K10), read through the viewer's visibility like every territory-owned
record. A forbidden entry answers exactly like a missing one (404).

The list is searched (`?q=`, French stems, accents ignored) and filtered like the timeline page.
Writes go through the page's form (`JournalEntryForm`) and the services, which check the caller's
role, validate, write and audit. Files are added as multipart uploads, checked by type (by their
content) and size, and downloaded only by those who may read the entry.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.uploads import file_download
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.forms import JournalEntryForm
from trajectoires.steering.models import EntryType, JournalEntry
from trajectoires.steering.selectors import (
    JournalFilters,
    access_attachment,
    access_journal_entry,
    journal_entries,
)
from trajectoires.steering.services import journal_entry_create, journal_entry_update
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["journal"])
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file, as a download, with the type recorded at upload.",
            "content": {"*/*": {}},
        }
    }
}


class ActorRef(Schema):
    id: int
    name: str


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="The file's name when it was uploaded.")
    content_type: str = Field(description="The type found in the file's content.")
    size: int = Field(description="In bytes.")
    url: str = Field(description="Where to download it (same rights as the entry).")


class JournalEntryOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    occurred_on: datetime.date
    entry_type: EntryType
    body: str
    key_actions: list[str] = Field(description="Codes of the référentiel's key actions (K1…K10).")
    needs: list[str] = Field(description="Codes of the référentiel's essential needs.")
    actors: list[ActorRef] = Field(description="The tagged actors the caller may see.")
    attachments: list[AttachmentOut]
    visibility: Visibility


class JournalPage(PageOut):
    results: list[JournalEntryOut]


class JournalQuery(Schema):
    q: str = Field("", max_length=200, description="French full-text search: every word must match.")
    type: EntryType | None = Field(None, description="Only entries of this type.")
    key_action: str | None = Field(
        None, max_length=20, description="Only entries tagged with this key action."
    )
    need: str | None = Field(None, max_length=80, description="Only entries tagged with this essential need.")
    actor: int | None = Field(None, ge=1, description="Only entries tagged with this actor (id).")
    year: int | None = Field(None, ge=1900, le=2200)
    has_attachments: bool = Field(False, description="Only entries with files.")


class JournalEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    occurred_on: str = Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    entry_type: EntryType = EntryType.EVENT
    body: str = ""
    key_actions: list[str] = Field(default_factory=list, description="K1…K10")
    needs: list[str] = Field(default_factory=list, description="Codes of essential needs.")
    actors: list[int] = Field(default_factory=list, description="Ids of the territory's actors.")
    visibility: Visibility = Visibility.PRIVATE


def _attachment_url(request: HttpRequest, entry: JournalEntry, attachment) -> str:
    path = reverse(
        "api-v1:download_journal_attachment",
        kwargs={"slug": entry.territory.slug, "pk": entry.pk, "attachment_pk": attachment.pk},
    )
    return request.build_absolute_uri(path)


def _out(request: HttpRequest, entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "territory": entry.territory.slug,
        "title": entry.title,
        "occurred_on": entry.occurred_on,
        "entry_type": entry.entry_type,
        "body": entry.body,
        "key_actions": [item.code for item in entry.key_actions.all()],
        "needs": [item.code for item in entry.needs.all()],
        "actors": [{"id": actor.pk, "name": actor.name} for actor in entry.actors.all()],
        "attachments": [
            {
                "id": file.pk,
                "name": file.name,
                "content_type": file.content_type,
                "size": file.size,
                "url": _attachment_url(request, entry, file),
            }
            for file in entry.attachments.all()
        ],
        "visibility": entry.visibility,
    }


def _codes(grid: str, codes: list[str], field: str, message: str) -> list[str]:
    """Référentiel codes of the current version, checked; unknown codes are a 422 on `field`."""
    known = set(referential_items(grid).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise invalid({field: [message % {"codes": ", ".join(unknown)}]})
    return codes


def _form(request: HttpRequest, territory, payload: JournalEntryIn, entry=None) -> JournalEntryForm:
    """The page's form, fed with the JSON: tags travel by code, as on the page; for an existing
    `entry`, an unchanged code keeps the entry's own row (whatever its version)."""
    data = payload.model_dump() | {
        "key_actions": _codes(
            "key_action", payload.key_actions, "key_actions", _("Unknown key actions: %(codes)s.")
        ),
        "needs": _codes("essential_need", payload.needs, "needs", _("Unknown essential needs: %(codes)s.")),
    }
    form = JournalEntryForm(data=data, viewer=request.user, territory=territory, entry=entry)
    if not form.is_valid():
        raise invalid(form.errors)
    return form


def _filters(query: JournalQuery) -> JournalFilters:
    def code(grid: str, value: str | None, field: str) -> str:
        if not value:
            return ""
        return _codes(grid, [value], field, _("Unknown code: %(codes)s."))[0]

    return JournalFilters(
        q=query.q,
        type=query.type or "",
        key_action=code("key_action", query.key_action, "key_action"),
        need=code("essential_need", query.need, "need"),
        actor=query.actor,
        year=query.year,
        has_attachments=query.has_attachments,
    )


@router.get(
    "/{slug:slug}/journal/",
    response={200: JournalPage, **error_responses(401, 404, 422)},
    summary="List, search and filter a territory's journal",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_journal(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[JournalQuery]):
    """The entries the caller may read, newest first, as on the journal page."""
    entries = journal_entries(request.user, territory_get(slug), _filters(query))
    return paginate(request, entries, pages, lambda entry: _out(request, entry))


@router.get(
    "/{slug:slug}/journal/{int:pk}",
    response={200: JournalEntryOut, **error_responses(401, 404)},
    summary="Read a journal entry",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_journal_entry(request: HttpRequest, slug: str, pk: int):
    return _out(request, access_journal_entry(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/journal/",
    auth=SIGNED_IN,
    response={201: JournalEntryOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Write a journal entry (admins, editors, contributors)",
)
def create_journal_entry(request: HttpRequest, slug: str, payload: JournalEntryIn):
    territory = territory_get(slug)
    form = _form(request, territory, payload)
    entry = service_call(
        lambda: journal_entry_create(actor=request.user, territory=territory, **form.cleaned_data)
    )
    return Status(201, _out(request, access_journal_entry(request.user, territory, entry.pk)))


@router.put(
    "/{slug:slug}/journal/{int:pk}",
    auth=SIGNED_IN,
    response={200: JournalEntryOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a journal entry (admins, editors, its author); its files stay",
)
def update_journal_entry(request: HttpRequest, slug: str, pk: int, payload: JournalEntryIn):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    form = _form(request, territory, payload, entry)
    service_call(lambda: journal_entry_update(actor=request.user, entry=entry, **form.cleaned_data))
    return _out(request, access_journal_entry(request.user, territory, pk))


@router.post(
    "/{slug:slug}/journal/{int:pk}/attachments/",
    auth=SIGNED_IN,
    response={201: JournalEntryOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Attach files to a journal entry (multipart field `files`; type and size checked)",
)
def add_journal_attachments(
    request: HttpRequest, slug: str, pk: int, files: File[list[UploadedFile] | None] = None
):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    if not files:
        raise invalid({"files": [_("Choose at least one file.")]})
    try:
        journal_entry_update(actor=request.user, entry=entry, attachments=files)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # the files are `attachments` to the service, `files` here
        raise invalid(
            {"files" if name == "attachments" else name: m for name, m in error.message_dict.items()}
        ) from None
    return Status(201, _out(request, access_journal_entry(request.user, territory, pk)))


@router.delete(
    "/{slug:slug}/journal/{int:pk}/attachments/{int:attachment_pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Remove a file from a journal entry (admins, editors, its author)",
)
def remove_journal_attachment(request: HttpRequest, slug: str, pk: int, attachment_pk: int):
    territory = territory_get(slug)
    entry = access_journal_entry(request.user, territory, pk)
    attachment = access_attachment(request.user, territory, pk, attachment_pk)
    service_call(
        lambda: journal_entry_update(actor=request.user, entry=entry, remove_attachments=[attachment])
    )
    return Status(204, None)


@router.get(
    "/{slug:slug}/journal/{int:pk}/attachments/{int:attachment_pk}",
    response={**error_responses(401, 404)},
    summary="Download a file of a journal entry",
    openapi_extra=ANONYMOUS_ALLOWED | FILE_RESPONSE,
    url_name="download_journal_attachment",
)
def download_journal_attachment(request: HttpRequest, slug: str, pk: int, attachment_pk: int):
    attachment = access_attachment(request.user, territory_get(slug), pk, attachment_pk)
    return file_download(attachment.file, name=attachment.name, content_type=attachment.content_type)
