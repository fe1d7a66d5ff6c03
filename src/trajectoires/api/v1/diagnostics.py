"""A territory's diagnostic sensible (C1, F2), with the same rights and rules as the pages.

- Anyone reads what a diagnostic's visibility allows; the members of a funder it is shared with
  read it while it stays finished. It reads as `diagnostic_export` gives it: pseudonymised — the
  name of a person met never appears, in the title, the sections or the notes, each person being
  named by their interview's number.
- The writers (admin, editor) write, change and move it; the territory admin validates it (or
  reopens it once validated), deletes it, shares it with partner funders and says who, besides
  them, records the interviews and reads their notes (`note_readers`).
- Interviews are listed to anyone who reads the diagnostic; which person of the map was met, the
  profile and the notes are given to note readers only (and the notes pseudonymised still). Note
  readers record, change and erase interviews; an interview is addressed by its number.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input (422).
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.diagnostics`.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.accounts.models import Funder, User
from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.diagnostics import (
    access_diagnostic,
    can_read_notes,
    diagnostic_create,
    diagnostic_delete,
    diagnostic_export,
    diagnostic_move,
    diagnostic_share,
    diagnostic_unshare,
    diagnostic_update,
    interview_add,
    interview_erase,
    interview_update,
    note_readers_set,
    readable_diagnostics,
)
from trajectoires.evaluation.models import ConsentScope, Diagnostic, DiagnosticStatus, Interview
from trajectoires.evaluation.permissions import can_manage_diagnostic, can_write_diagnostic
from trajectoires.evaluation.pseudonyms import interview_label, pseudonymiser
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .lookups import record_or_invalid
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["diagnostic sensible"])
PATH = "/{slug:slug}/diagnostics/"
ONE = PATH + "{int:pk}"
SHARES = ONE + "/shares"
INTERVIEWS = ONE + "/interviews/"
INTERVIEW = INTERVIEWS + "{int:number}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
SHORT = {"minLength": 1, "maxLength": 200}
SECTION = Field(None, description="The section's text; empty until written.")


# Answers -----------------------------------------------------------------------------------------


class DiagnosticSummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str = Field(description="Pseudonymised.")
    status: DiagnosticStatus
    visibility: Visibility
    completed_on: datetime.date | None
    validated_on: datetime.date | None
    interview_count: int


class DiagnosticListOut(PageOut):
    results: list[DiagnosticSummary]


class DiagnosticSectionOut(Schema):
    code: str = Field(description="context_history, actors_relations, perceptions, blockages, …")
    title: str
    text: str = Field(description="Pseudonymised.")


class DiagnosticInterviewRef(Schema):
    number: int
    label: str = Field(description="« Entretien n° 3 »: how the diagnostic names the person met.")
    interviewed_on: datetime.date
    consent_given: bool
    consent_scope: str = Field(description="team_only, quotable, or empty without consent.")
    publishable: bool = Field(description="Whether it may be quoted.")
    erased: bool
    notes: str | None = Field(description="Pseudonymised; null unless the caller reads the notes.")


class DiagnosticShareOut(Schema):
    id: int
    funder: int = Field(description="The funder's id.")
    name: str
    shared_on: datetime.date


class DiagnosticOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str = Field(description="Pseudonymised.")
    status: DiagnosticStatus
    visibility: Visibility
    completed_on: datetime.date | None
    validated_on: datetime.date | None
    sections: list[DiagnosticSectionOut] = Field(description="The six sections, in reading order.")
    interviews: list[DiagnosticInterviewRef]
    shares: list[DiagnosticShareOut] = Field(description="The funders it is shared with.")


class InterviewOut(Schema):
    number: int
    label: str
    interviewed_on: datetime.date
    interviewer: str = Field(description="Who held the interview.")
    consent_given: bool
    consent_scope: str = Field(description="team_only, quotable, or empty without consent.")
    consent_recorded_on: datetime.date | None
    publishable: bool = Field(description="Whether it may be quoted.")
    erased_on: datetime.date | None = Field(description="When it was erased on request.")
    interviewee: int | None = Field(
        description="The id of the person of the map met; null unless the caller reads the notes."
    )
    profile: str | None = Field(description="The anonymous profile; null unless the caller reads the notes.")
    notes: str | None = Field(description="Pseudonymised; null unless the caller reads the notes.")


class InterviewListOut(PageOut):
    results: list[InterviewOut]


class NoteReadersOut(Schema):
    note_readers: list[int] = Field(description="Ids of the members who read the notes, besides the admin.")


# Requests ----------------------------------------------------------------------------------------


class DiagnosticIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra=SHORT)
    visibility: Visibility = Visibility.PRIVATE
    context_history: str = ""
    actors_relations: str = ""
    perceptions: str = ""
    blockages: str = ""
    narratives: str = ""
    dynamics_levers: str = ""


class DiagnosticPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, json_schema_extra=SHORT)
    visibility: Visibility | None = None
    context_history: str | None = SECTION
    actors_relations: str | None = SECTION
    perceptions: str | None = SECTION
    blockages: str | None = SECTION
    narratives: str | None = SECTION
    dynamics_levers: str | None = SECTION


class DiagnosticMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to: DiagnosticStatus = Field(description="The status to move to.")


class DiagnosticShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    funder: int = Field(description="The id of a funder partnered with the territory.")


class NoteReadersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note_readers: list[int] = Field(description="Ids of members of the territory (replaces the list).")


class InterviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    interviewee: int | None = Field(None, description="The id of the person of the map met, if any.")
    profile: str = Field("", description="Or an anonymous profile.", json_schema_extra={"maxLength": 200})
    interviewed_on: datetime.date = Field(description="Not in the future.")
    interviewer: str = Field(json_schema_extra=SHORT)
    consent_given: bool = False
    consent_scope: ConsentScope | None = Field(None, description="Given with the consent only.")
    consent_recorded_on: datetime.date | None = Field(None, description="Given with the consent only.")
    publishable: bool = Field(False, description="Only with a recorded consent to be quoted.")
    notes: str = ""


class InterviewPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    interviewee: int | None = Field(None, description="The id of a person of the map; null for none.")
    profile: str | None = Field(None, json_schema_extra={"maxLength": 200})
    interviewed_on: datetime.date | None = None
    interviewer: str | None = Field(None, json_schema_extra=SHORT)
    consent_given: bool | None = None
    consent_scope: ConsentScope | None = Field(None, description="Null for none.")
    consent_recorded_on: datetime.date | None = Field(None, description="Null for none.")
    publishable: bool | None = None
    notes: str | None = None


# Serialising -------------------------------------------------------------------------------------


def _summary(diagnostic: Diagnostic, hide: Callable[[str], str], interview_count: int) -> dict[str, Any]:
    return {
        "id": diagnostic.pk,
        "territory": diagnostic.territory.slug,
        "title": hide(diagnostic.title),
        "status": diagnostic.status,
        "visibility": diagnostic.visibility,
        "completed_on": diagnostic.completed_on,
        "validated_on": diagnostic.validated_on,
        "interview_count": interview_count,
    }


def _diagnostic_out(viewer, territory: Territory, pk: int) -> dict[str, Any]:
    """The diagnostic as `viewer` reads it (a 404 if they may not)."""
    diagnostic = access_diagnostic(viewer, territory, pk)
    shares = diagnostic.shares.select_related("funder").order_by("funder__name")
    return {
        "id": diagnostic.pk,
        "territory": territory.slug,
        **diagnostic_export(viewer, diagnostic),
        "visibility": diagnostic.visibility,
        "shares": [
            {
                "id": share.pk,
                "funder": share.funder_id,
                "name": share.funder.name,
                "shared_on": share.shared_on,
            }
            for share in shares
        ],
    }


def _interviews_out(viewer, diagnostic: Diagnostic, interviews: Iterable[Interview]) -> list[dict[str, Any]]:
    """`interviews` as `viewer` reads them: who and the notes for note readers only, pseudonymised."""
    readers = can_read_notes(viewer, diagnostic)
    hide = pseudonymiser(diagnostic.interviews.select_related("interviewee"))
    return [
        {
            "number": interview.number,
            "label": interview_label(interview),
            "interviewed_on": interview.interviewed_on,
            "interviewer": hide(interview.interviewer),
            "consent_given": interview.consent_given,
            "consent_scope": interview.consent_scope,
            "consent_recorded_on": interview.consent_recorded_on,
            "publishable": interview.publishable,
            "erased_on": interview.erased_on,
            "interviewee": interview.interviewee_id if readers else None,
            "profile": hide(interview.profile) if readers else None,
            "notes": hide(interview.notes) if readers else None,
        }
        for interview in interviews
    ]


def _interview_out(viewer, diagnostic: Diagnostic, interview: Interview) -> dict[str, Any]:
    return _interviews_out(viewer, diagnostic, [interview])[0]


# Reading the request -----------------------------------------------------------------------------


def written_diagnostic(request: HttpRequest, slug: str, pk: int) -> Diagnostic:
    """A diagnostic the caller reads and writes (admins, editors), or a 404."""
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    if not can_write_diagnostic(request.user, diagnostic.territory):
        raise Http404
    return diagnostic


def managed_diagnostic(request: HttpRequest, slug: str, pk: int) -> Diagnostic:
    """A diagnostic the caller reads and manages (the territory admin), or a 404."""
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    if not can_manage_diagnostic(request.user, diagnostic.territory):
        raise Http404
    return diagnostic


def recorded_diagnostic(request: HttpRequest, slug: str, pk: int) -> Diagnostic:
    """A diagnostic whose interviews the caller records (its note readers), or a 404."""
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    if not can_read_notes(request.user, diagnostic):
        raise Http404
    return diagnostic


def recorded_interview(request: HttpRequest, slug: str, pk: int, number: int) -> Interview:
    diagnostic = recorded_diagnostic(request, slug, pk)
    interview = diagnostic.interviews.filter(number=number).first()
    if interview is None:
        raise Http404
    interview.diagnostic = diagnostic
    return interview


def _interview_values(sent: dict[str, Any]) -> dict[str, Any]:
    """The payload under the names the services take: the person met as a row (whether the caller
    may name them is the service's to say; an id that matches no actor is refused here)."""
    if "interviewee" in sent:
        message = _("Choose an actor of this territory.")
        sent["interviewee"] = record_or_invalid(Actor, "interviewee", sent["interviewee"], message)
    if "consent_scope" in sent:
        sent["consent_scope"] = sent["consent_scope"] or ""
    for name in ("profile", "interviewer", "notes"):
        if name in sent and sent[name] is None:
            sent[name] = ""
    return sent


# Diagnostics -------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: DiagnosticListOut, **error_responses(401, 404, 422)},
    summary="List a territory's diagnostics sensibles",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_diagnostics(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The diagnostics the caller may read, latest first, each with its number of interviews."""
    interviews = Interview.objects.select_related("interviewee")
    diagnostics = (
        readable_diagnostics(request.user, territory_get(slug))
        .select_related("territory")
        .annotate(interview_count=Count("interviews", distinct=True))
        .order_by("-created_at", "-id")  # an aggregate drops the model's ordering
        .prefetch_related(Prefetch("interviews", queryset=interviews))
    )

    def row(diagnostic: Diagnostic) -> dict[str, Any]:
        hide = pseudonymiser(diagnostic.interviews.all())
        return _summary(diagnostic, hide, diagnostic.interview_count)

    return paginate(request, diagnostics, pages, row)


@router.get(
    ONE,
    response={200: DiagnosticOut, **error_responses(401, 404)},
    summary="Read a diagnostic: its sections and interviews, pseudonymised",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_diagnostic(request: HttpRequest, slug: str, pk: int):
    return _diagnostic_out(request.user, territory_get(slug), pk)


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: DiagnosticOut, **WRITE_ERRORS},
    summary="Write a diagnostic (admins, editors)",
)
def create_diagnostic(request: HttpRequest, slug: str, payload: DiagnosticIn):
    territory = territory_get(slug)
    if not can_write_diagnostic(request.user, territory):
        raise Http404
    values = payload.model_dump()
    diagnostic = service_call(lambda: diagnostic_create(actor=request.user, territory=territory, **values))
    return Status(201, _diagnostic_out(request.user, territory, diagnostic.pk))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: DiagnosticOut, **WRITE_ERRORS},
    summary="Change a diagnostic's title, visibility or sections while unfinished (admins, editors)",
)
def update_diagnostic(request: HttpRequest, slug: str, pk: int, payload: DiagnosticPatch):
    diagnostic = written_diagnostic(request, slug, pk)
    values = payload.model_dump(exclude_unset=True)
    if "visibility" in values and values["visibility"] is None:
        del values["visibility"]
    values = {name: "" if value is None else value for name, value in values.items()}
    service_call(lambda: diagnostic_update(actor=request.user, diagnostic=diagnostic, **values))
    return _diagnostic_out(request.user, diagnostic.territory, pk)


@router.post(
    ONE + "/move",
    auth=SIGNED_IN,
    response={200: DiagnosticOut, **WRITE_ERRORS},
    summary="Move a diagnostic to another status (admins, editors; validating is the admin's)",
)
def move_diagnostic(request: HttpRequest, slug: str, pk: int, payload: DiagnosticMoveIn):
    """draft → in_progress → completed → validated; a finished diagnostic is reopened to
    in_progress. Completing needs every section written and one interview."""
    diagnostic = written_diagnostic(request, slug, pk)
    service_call(lambda: diagnostic_move(actor=request.user, diagnostic=diagnostic, to=payload.to))
    return _diagnostic_out(request.user, diagnostic.territory, pk)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a diagnostic with its interviews (the territory admin)",
)
def delete_diagnostic(request: HttpRequest, slug: str, pk: int):
    diagnostic = managed_diagnostic(request, slug, pk)
    service_call(lambda: diagnostic_delete(actor=request.user, diagnostic=diagnostic))
    return Status(204, None)


@router.post(
    SHARES,
    auth=SIGNED_IN,
    response={201: DiagnosticShareOut, **WRITE_ERRORS},
    summary="Share a finished diagnostic with a partner funder (the territory admin)",
)
def share_diagnostic(request: HttpRequest, slug: str, pk: int, payload: DiagnosticShareIn):
    diagnostic = managed_diagnostic(request, slug, pk)
    funder = Funder.objects.filter(pk=payload.funder).first()
    if funder is None:
        raise invalid({"funder": [_("Choose a funder partnered with this territory.")]})
    share = service_call(lambda: diagnostic_share(actor=request.user, diagnostic=diagnostic, funder=funder))
    out = {"id": share.pk, "funder": funder.pk, "name": funder.name, "shared_on": share.shared_on}
    return Status(201, out)


@router.delete(
    SHARES + "/{int:share}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Stop sharing a diagnostic with a funder (the territory admin)",
)
def unshare_diagnostic(request: HttpRequest, slug: str, pk: int, share: int):
    diagnostic = managed_diagnostic(request, slug, pk)
    found = diagnostic.shares.filter(pk=share).first()
    if found is None:
        raise Http404
    found.diagnostic = diagnostic
    service_call(lambda: diagnostic_unshare(actor=request.user, share=found))
    return Status(204, None)


@router.put(
    ONE + "/note-readers",
    auth=SIGNED_IN,
    response={200: NoteReadersOut, **WRITE_ERRORS},
    summary="Say who, besides the admin, records the interviews and reads their notes (the territory admin)",
)
def set_note_readers(request: HttpRequest, slug: str, pk: int, payload: NoteReadersIn):
    diagnostic = managed_diagnostic(request, slug, pk)
    ids = list(dict.fromkeys(payload.note_readers))
    users = list(User.objects.filter(pk__in=ids))
    if len(users) != len(ids):
        raise invalid({"note_readers": [_("Choose members of this territory.")]})
    service_call(lambda: note_readers_set(actor=request.user, diagnostic=diagnostic, users=users))
    return {"note_readers": sorted(diagnostic.note_readers.values_list("pk", flat=True))}


# Interviews --------------------------------------------------------------------------------------


@router.get(
    INTERVIEWS,
    response={200: InterviewListOut, **error_responses(401, 404, 422)},
    summary="List a diagnostic's interviews (who and the notes for note readers only)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_interviews(request: HttpRequest, slug: str, pk: int, pages: Query[PageQuery]):
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    page = paginate(request, diagnostic.interviews.order_by("number"), pages, lambda interview: interview)
    page["results"] = _interviews_out(request.user, diagnostic, page["results"])
    return page


@router.post(
    INTERVIEWS,
    auth=SIGNED_IN,
    response={201: InterviewOut, **WRITE_ERRORS},
    summary="Record an interview (the note readers)",
)
def add_interview(request: HttpRequest, slug: str, pk: int, payload: InterviewIn):
    """A person of the map or an anonymous profile; a consent with its scope and date; quoted only
    with a recorded consent to be quoted. Numbered in the order recorded."""
    diagnostic = recorded_diagnostic(request, slug, pk)
    values = _interview_values(payload.model_dump())
    interview = service_call(lambda: interview_add(actor=request.user, diagnostic=diagnostic, **values))
    return Status(201, _interview_out(request.user, diagnostic, interview))


@router.patch(
    INTERVIEW,
    auth=SIGNED_IN,
    response={200: InterviewOut, **WRITE_ERRORS},
    summary="Change an interview while the diagnostic is unfinished (the note readers)",
)
def update_interview(request: HttpRequest, slug: str, pk: int, number: int, payload: InterviewPatch):
    interview = recorded_interview(request, slug, pk, number)
    values = _interview_values(payload.model_dump(exclude_unset=True))
    for name in ("interviewed_on", "consent_given", "publishable"):
        if name in values and values[name] is None:
            values.pop(name)
    service_call(lambda: interview_update(actor=request.user, interview=interview, **values))
    return _interview_out(request.user, interview.diagnostic, interview)


@router.post(
    INTERVIEW + "/erase",
    auth=SIGNED_IN,
    response={200: InterviewOut, **error_responses(401, 403, 404, 422)},
    summary="Erase an interview on request: who was met, the profile and the notes (the note readers)",
)
def erase_interview(request: HttpRequest, slug: str, pk: int, number: int):
    """Its number, date and consent are kept, so the diagnostic stays whole; whatever its status."""
    interview = recorded_interview(request, slug, pk, number)
    erased = service_call(lambda: interview_erase(actor=request.user, interview=interview))
    return _interview_out(request.user, interview.diagnostic, erased)
