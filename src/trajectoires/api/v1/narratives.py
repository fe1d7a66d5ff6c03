"""A territory's narratives (K2), with the same rights as the pages: anyone reads what its
visibility allows; admins, editors and contributors add; admins, editors and the author change or
delete. A forbidden narrative answers exactly like a missing one (404). The orientations a
narrative tells are those of the territory's vision, listed at `…/narratives/orientations`."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.core.uploads import file_download
from trajectoires.core.visibility import Visibility
from trajectoires.steering.models import Narrative, NarrativeFormat
from trajectoires.steering.narrative_forms import NarrativeForm
from trajectoires.steering.narratives import (
    access_narrative,
    narrative_create,
    narrative_delete,
    narrative_update,
    narratives_of,
    vision_orientations,
)
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .journal import FILE_RESPONSE
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["narratives"])


class OrientationRef(Schema):
    id: int
    title: str


class FileOut(Schema):
    name: str
    content_type: str
    size: int
    url: str


class NarrativeOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    body: str
    format: NarrativeFormat
    audience: str
    told_on: datetime.date
    orientations: list[OrientationRef] = Field(
        description="The orientations it tells, if the caller reads the vision."
    )
    link: str
    file: FileOut | None
    visibility: Visibility


class NarrativePage(PageOut):
    results: list[NarrativeOut]


class NarrativeQuery(Schema):
    format: NarrativeFormat | None = Field(None, description="Only narratives of this format.")


class NarrativeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    body: str = Field(json_schema_extra={"minLength": 1})
    format: NarrativeFormat
    audience: str = Field("", json_schema_extra={"maxLength": 200})
    told_on: str = Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"})
    orientations: list[int] = Field(default_factory=list, description="Ids of the vision's orientations.")
    link: str = Field("", description="An address on the web (https://…).")
    visibility: Visibility = Visibility.PRIVATE


def _out(request: HttpRequest, narrative: Narrative) -> dict[str, Any]:
    file = None
    if narrative.file_name:
        path = reverse(
            "api-v1:download_narrative_file", kwargs={"slug": narrative.territory.slug, "pk": narrative.pk}
        )
        file = {
            "name": narrative.file_name,
            "content_type": narrative.file_content_type,
            "size": narrative.file_size or 0,
            "url": request.build_absolute_uri(path),
        }
    return {
        "id": narrative.pk,
        "territory": narrative.territory.slug,
        "title": narrative.title,
        "body": narrative.body,
        "format": narrative.format,
        "audience": narrative.audience,
        "told_on": narrative.told_on,
        "orientations": [{"id": o.pk, "title": o.title} for o in narrative.orientations.all()],
        "link": narrative.link,
        "file": file,
        "visibility": narrative.visibility,
    }


def _data(request: HttpRequest, territory, payload: NarrativeIn) -> dict[str, Any]:
    """The payload validated by the page's form; files travel apart (`…/file`)."""
    form = NarrativeForm(data=payload.model_dump(), viewer=request.user, territory=territory)
    if not form.is_valid():
        raise invalid(form.errors)
    return {name: value for name, value in form.cleaned_data.items() if name not in {"file", "remove_file"}}


@router.get(
    "/{slug:slug}/narratives/",
    response={200: NarrativePage, **error_responses(401, 404, 422)},
    summary="List a territory's narratives",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_narratives(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[NarrativeQuery]):
    """The narratives the caller may read, newest first, optionally of one format."""
    narratives = narratives_of(request.user, territory_get(slug), format=query.format or "")
    return paginate(request, narratives, pages, lambda narrative: _out(request, narrative))


@router.get(
    "/{slug:slug}/narratives/orientations",
    response={200: list[OrientationRef], **error_responses(401, 404)},
    summary="The orientations a narrative may tell (those of the vision, if the caller reads it)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_orientations(request: HttpRequest, slug: str):
    orientations = vision_orientations(request.user, territory_get(slug))
    return [{"id": o.pk, "title": o.title} for o in orientations]


@router.get(
    "/{slug:slug}/narratives/{int:pk}",
    response={200: NarrativeOut, **error_responses(401, 404)},
    summary="Read a narrative",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_narrative(request: HttpRequest, slug: str, pk: int):
    return _out(request, access_narrative(request.user, territory_get(slug), pk))


@router.post(
    "/{slug:slug}/narratives/",
    auth=SIGNED_IN,
    response={201: NarrativeOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Add a narrative (admins, editors, contributors)",
)
def create_narrative(request: HttpRequest, slug: str, payload: NarrativeIn):
    territory = territory_get(slug)
    data = _data(request, territory, payload)
    narrative = service_call(lambda: narrative_create(actor=request.user, territory=territory, **data))
    return Status(201, _out(request, access_narrative(request.user, territory, narrative.pk)))


@router.put(
    "/{slug:slug}/narratives/{int:pk}",
    auth=SIGNED_IN,
    response={200: NarrativeOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Replace a narrative (admins, editors, its author); its file stays",
)
def update_narrative(request: HttpRequest, slug: str, pk: int, payload: NarrativeIn):
    territory = territory_get(slug)
    narrative = access_narrative(request.user, territory, pk)
    data = _data(request, territory, payload)
    service_call(lambda: narrative_update(actor=request.user, narrative=narrative, **data))
    return _out(request, access_narrative(request.user, territory, pk))


@router.delete(
    "/{slug:slug}/narratives/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a narrative and its file (admins, editors, its author)",
)
def delete_narrative(request: HttpRequest, slug: str, pk: int):
    narrative = access_narrative(request.user, territory_get(slug), pk)
    service_call(lambda: narrative_delete(actor=request.user, narrative=narrative))
    return Status(204, None)


@router.post(
    "/{slug:slug}/narratives/{int:pk}/file",
    auth=SIGNED_IN,
    response={200: NarrativeOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Attach a file to a narrative, replacing any (multipart field `file`; type and size checked)",
)
def attach_narrative_file(request: HttpRequest, slug: str, pk: int, file: File[UploadedFile | None] = None):
    territory = territory_get(slug)
    narrative = access_narrative(request.user, territory, pk)
    # Checked here, after the narrative: a missing or hidden one answers 404 whatever the body.
    if not file:
        raise invalid({"file": [_("Choose a file.")]})
    service_call(lambda: narrative_update(actor=request.user, narrative=narrative, file=file))
    return _out(request, access_narrative(request.user, territory, pk))


@router.delete(
    "/{slug:slug}/narratives/{int:pk}/file",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Remove a narrative's file",
)
def delete_narrative_file(request: HttpRequest, slug: str, pk: int):
    narrative = access_narrative(request.user, territory_get(slug), pk)
    if not narrative.file_name:
        raise Http404
    service_call(lambda: narrative_update(actor=request.user, narrative=narrative, remove_file=True))
    return Status(204, None)


@router.get(
    "/{slug:slug}/narratives/{int:pk}/file",
    response={**error_responses(401, 404)},
    summary="Download a narrative's file",
    openapi_extra=ANONYMOUS_ALLOWED | FILE_RESPONSE,
    url_name="download_narrative_file",
)
def download_narrative_file(request: HttpRequest, slug: str, pk: int):
    narrative = access_narrative(request.user, territory_get(slug), pk)
    if not narrative.file_name:
        raise Http404
    return file_download(narrative.file, name=narrative.file_name, content_type=narrative.file_content_type)
