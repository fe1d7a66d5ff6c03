"""The pages of the diagnostic sensible: the diagnostics, one diagnostic read as a document — its six
sections, its status, the funders it is shared with, its interviews — with its downloads, and the
writes — write, change, move, delete, share a diagnostic; say who reads the notes; record, change
and erase an interview.

- Every page reads through the services' selectors; a diagnostic the viewer may not read, and a
  write page the viewer may not use, answer 404 like a missing one.
- Who was met and the notes are read by the note readers (the admin and the members the admin
  allows) only; anyone else sees each interview by its number. Someone who neither writes the
  diagnostic nor reads the notes reads its sections pseudonymised, as the downloads give them.
- The downloads are built from `diagnostic_export`: pseudonymised, with the notes for note readers
  only.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.core.csvfile import csv_template
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .diagnostic_forms import DiagnosticForm, InterviewForm, NoteReadersForm, ShareForm
from .diagnostics import (
    MOVES,
    access_diagnostic,
    can_read_notes,
    diagnostic_create,
    diagnostic_delete,
    diagnostic_export,
    diagnostic_interviews,
    diagnostic_move,
    diagnostic_share,
    diagnostic_unshare,
    diagnostic_update,
    interview_add,
    interview_erase,
    interview_update,
    note_readers_set,
    readable_diagnostics,
    shareable_funders,
)
from .models import DIAGNOSTIC_SECTIONS, ConsentScope, Diagnostic, DiagnosticStatus
from .permissions import can_manage_diagnostic, can_write_diagnostic
from .pseudonyms import pseudonymiser

# The button of each move, by (from, to).
MOVE_LABELS = {
    (DiagnosticStatus.DRAFT, DiagnosticStatus.IN_PROGRESS): gettext_lazy("Start the diagnostic"),
    (DiagnosticStatus.IN_PROGRESS, DiagnosticStatus.COMPLETED): gettext_lazy("Mark as completed"),
    (DiagnosticStatus.COMPLETED, DiagnosticStatus.IN_PROGRESS): gettext_lazy("Reopen"),
    (DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED): gettext_lazy("Validate for the team"),
    (DiagnosticStatus.VALIDATED, DiagnosticStatus.IN_PROGRESS): gettext_lazy("Reopen"),
}


@dataclass(frozen=True)
class Move:
    to: str
    label: str


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    text: str


def allowed_moves(user, diagnostic: Diagnostic) -> list[Move]:
    """The moves `user` may make from the diagnostic's status."""
    territory = diagnostic.territory
    if not can_write_diagnostic(user, territory):
        return []
    admin = can_manage_diagnostic(user, territory)
    return [
        Move(to, str(MOVE_LABELS[(start, to)]))
        for (start, to), who in MOVES.items()
        if start == diagnostic.status and (who == "writer" or admin)
    ]


def written_diagnostic(request, slug: str, pk: int):
    """The territory and the diagnostic `request.user` may write, or a 404."""
    territory = territory_get(slug)
    diagnostic = access_diagnostic(request.user, territory, pk)
    if not can_write_diagnostic(request.user, territory):
        raise Http404
    return territory, diagnostic


def managed_diagnostic(request, slug: str, pk: int):
    """The territory and the diagnostic `request.user` manages (the admin), or a 404."""
    territory = territory_get(slug)
    diagnostic = access_diagnostic(request.user, territory, pk)
    if not can_manage_diagnostic(request.user, territory):
        raise Http404
    return territory, diagnostic


def recorded_diagnostic(request, slug: str, pk: int):
    """The territory and the diagnostic whose interviews `request.user` records, or a 404."""
    territory = territory_get(slug)
    diagnostic = access_diagnostic(request.user, territory, pk)
    if not can_read_notes(request.user, diagnostic):
        raise Http404
    return territory, diagnostic


def recorded_interview(request, slug: str, pk: int, number: int):
    """The territory, diagnostic and interview (not erased) `request.user` records, or a 404."""
    territory, diagnostic = recorded_diagnostic(request, slug, pk)
    interview = diagnostic.interviews.filter(number=number, erased_on__isnull=True).first()
    if interview is None:
        raise Http404
    interview.diagnostic = diagnostic
    return territory, diagnostic, interview


def saved_and_back(request, diagnostic, message: str):
    """After a write: back to the diagnostic, with what was done."""
    messages.success(request, message)
    return redirect("diagnostics:detail", slug=diagnostic.territory.slug, pk=diagnostic.pk)


# The diagnostics ---------------------------------------------------------------------------------


def diagnostics_page(request, slug: str):
    territory = territory_get(slug)
    diagnostics = (
        readable_diagnostics(request.user, territory)
        .annotate(interview_count=Count("interviews", distinct=True))
        .order_by("-created_at", "-id")  # an aggregate drops the model's ordering
    )
    context = {
        "territory": territory,
        "diagnostics": list(diagnostics),
        "can_write": can_write_diagnostic(request.user, territory),
    }
    return render(request, "evaluation/diagnostics.html", context)


def diagnostic_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    user = request.user
    diagnostic = access_diagnostic(user, territory, pk)
    readers = can_read_notes(user, diagnostic)
    writer = can_write_diagnostic(user, territory)
    admin = can_manage_diagnostic(user, territory)
    interviews = diagnostic_interviews(user, diagnostic)
    hide = (lambda text: text) if writer or readers else pseudonymiser(view.interview for view in interviews)
    finished = diagnostic.is_finished
    moves = allowed_moves(user, diagnostic)
    context = {
        "territory": territory,
        "diagnostic": diagnostic,
        "sections": [
            Section(name, str(label), hide(getattr(diagnostic, name))) for name, label in DIAGNOSTIC_SECTIONS
        ],
        "validated_by": diagnostic.validated_by if diagnostic.validated_by_id else None,
        "shares": list(diagnostic.shares.select_related("funder").order_by("funder__name")),
        "share_form": _share_form(diagnostic) if admin and finished else None,
        "finished": finished,
        "interviews": interviews,
        "readers": readers,
        "moves": moves,
        "can_edit": writer and not finished,
        "can_record": readers and not finished,
        "admin": admin,
        "has_actions": writer or readers,
    }
    return render(request, "evaluation/diagnostic.html", context)


def _share_form(diagnostic: Diagnostic) -> ShareForm | None:
    """The form to share it with a partner funder, or None when none is left."""
    funders = shareable_funders(diagnostic)
    return ShareForm(funders=funders) if funders.exists() else None


# The downloads -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def diagnostic_json(request, slug: str, pk: int):
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    body = json.dumps(
        diagnostic_export(request.user, diagnostic), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="diagnostic-{diagnostic.pk}.json"'
    return response


def diagnostic_csv(request, slug: str, pk: int):
    """The interviews, one a line: pseudonymised, the notes for note readers only."""
    diagnostic = access_diagnostic(request.user, territory_get(slug), pk)
    export = diagnostic_export(request.user, diagnostic)
    readers = can_read_notes(request.user, diagnostic)
    scopes = dict(ConsentScope.choices)
    columns = [
        _("Interview"),
        _("Interviewed on"),
        _("Consent given"),
        _("Scope of the consent"),
        _("May be quoted"),
        _("Erased"),
    ]
    if readers:
        columns.append(_("Notes"))
    rows = []
    for interview in export["interviews"]:
        row = [
            interview["label"],
            interview["interviewed_on"].isoformat(),
            _yes_no(interview["consent_given"]),
            str(scopes.get(interview["consent_scope"], "")),
            _yes_no(interview["publishable"]),
            _yes_no(interview["erased"]),
        ]
        if readers:
            row.append(interview["notes"] or "")
        rows.append(row)
    response = HttpResponse(csv_template(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="diagnostic-{diagnostic.pk}-entretiens.csv"'
    return response


# Write, change, move, delete ---------------------------------------------------------------------


@login_required
def diagnostic_new(request, slug: str):
    territory = territory_get(slug)
    if not can_write_diagnostic(request.user, territory):
        raise Http404
    form = DiagnosticForm(request.POST or None)

    def save():
        return diagnostic_create(actor=request.user, territory=territory, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        return saved_and_back(request, saved, _("The diagnostic was created."))
    context = {"territory": territory, "form": form, "diagnostic": None}
    return render(request, "evaluation/diagnostic_form.html", context)


@login_required
def diagnostic_edit(request, slug: str, pk: int):
    territory, diagnostic = written_diagnostic(request, slug, pk)
    form = DiagnosticForm.for_diagnostic(diagnostic, request.POST or None)

    def save():
        return diagnostic_update(actor=request.user, diagnostic=diagnostic, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, diagnostic, _("The diagnostic was saved."))
    context = {"territory": territory, "form": form, "diagnostic": diagnostic}
    return render(request, "evaluation/diagnostic_form.html", context)


@login_required
def diagnostic_move_page(request, slug: str, pk: int, to: str):
    territory, diagnostic = written_diagnostic(request, slug, pk)
    if to not in DiagnosticStatus.values:
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            diagnostic_move(actor=request.user, diagnostic=diagnostic, to=to)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = error.messages
        else:
            status = DiagnosticStatus(to).label
            return saved_and_back(
                request, diagnostic, _("The diagnostic is now « %(status)s ».") % {"status": status}
            )
    label = MOVE_LABELS.get((diagnostic.status, to))
    context = {
        "territory": territory,
        "diagnostic": diagnostic,
        "to": to,
        "to_label": DiagnosticStatus(to).label,
        "title": label or _("Change the status"),
        "reopen": to == DiagnosticStatus.IN_PROGRESS and diagnostic.is_finished,
        "errors": errors,
    }
    return render(request, "evaluation/diagnostic_move.html", context)


@login_required
def diagnostic_remove(request, slug: str, pk: int):
    territory, diagnostic = managed_diagnostic(request, slug, pk)
    if request.method == "POST":
        diagnostic_delete(actor=request.user, diagnostic=diagnostic)
        messages.success(request, _("The diagnostic was deleted."))
        return redirect("diagnostics:index", slug=territory.slug)
    context = {"territory": territory, "diagnostic": diagnostic, "interviews": diagnostic.interviews.count()}
    return render(request, "evaluation/diagnostic_delete.html", context)


# Shares and note readers -------------------------------------------------------------------------


@login_required
def share_new(request, slug: str, pk: int):
    territory, diagnostic = managed_diagnostic(request, slug, pk)
    form = ShareForm(request.POST or None, funders=shareable_funders(diagnostic))

    def save():
        return diagnostic_share(actor=request.user, diagnostic=diagnostic, funder=form.cleaned_data["funder"])

    if saved := saved_through(request, form, save):
        return saved_and_back(
            request,
            diagnostic,
            _("The diagnostic is shared with %(funder)s.") % {"funder": saved.funder.name},
        )
    context = {"territory": territory, "diagnostic": diagnostic, "form": form}
    return render(request, "evaluation/diagnostic_share.html", context)


@login_required
def share_remove(request, slug: str, pk: int, share: int):
    territory, diagnostic = managed_diagnostic(request, slug, pk)
    found = diagnostic.shares.select_related("funder").filter(pk=share).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        diagnostic_unshare(actor=request.user, share=found)
        return saved_and_back(
            request,
            diagnostic,
            _("The diagnostic is no longer shared with %(funder)s.") % {"funder": found.funder.name},
        )
    context = {"territory": territory, "diagnostic": diagnostic, "share": found}
    return render(request, "evaluation/diagnostic_unshare.html", context)


@login_required
def note_readers_page(request, slug: str, pk: int):
    territory, diagnostic = managed_diagnostic(request, slug, pk)
    form = NoteReadersForm(request.POST or None, diagnostic=diagnostic)

    def save():
        note_readers_set(actor=request.user, diagnostic=diagnostic, users=form.cleaned_data["note_readers"])
        return diagnostic

    if saved_through(request, form, save):
        return saved_and_back(request, diagnostic, _("The note readers were saved."))
    context = {"territory": territory, "diagnostic": diagnostic, "form": form}
    return render(request, "evaluation/diagnostic_readers.html", context)


# Interviews --------------------------------------------------------------------------------------


@login_required
def interview_new(request, slug: str, pk: int):
    territory, diagnostic = recorded_diagnostic(request, slug, pk)
    form = InterviewForm(request.POST or None, viewer=request.user, diagnostic=diagnostic)

    def save():
        return interview_add(actor=request.user, diagnostic=diagnostic, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, diagnostic, _("The interview was recorded."))
    context = {"territory": territory, "diagnostic": diagnostic, "form": form, "interview": None}
    return render(request, "evaluation/interview_form.html", context)


@login_required
def interview_edit(request, slug: str, pk: int, number: int):
    territory, diagnostic, interview = recorded_interview(request, slug, pk, number)
    form = InterviewForm.for_interview(interview, request.POST or None, viewer=request.user)

    def save():
        return interview_update(actor=request.user, interview=interview, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, diagnostic, _("The interview was saved."))
    context = {"territory": territory, "diagnostic": diagnostic, "form": form, "interview": interview}
    return render(request, "evaluation/interview_form.html", context)


@login_required
def interview_erase_page(request, slug: str, pk: int, number: int):
    territory, diagnostic, interview = recorded_interview(request, slug, pk, number)
    errors = []
    if request.method == "POST":
        try:
            interview_erase(actor=request.user, interview=interview)
        except ValidationError as error:  # erased meanwhile
            errors = error.messages
        else:
            return saved_and_back(request, diagnostic, _("The interview was erased."))
    context = {"territory": territory, "diagnostic": diagnostic, "interview": interview, "errors": errors}
    return render(request, "evaluation/interview_erase.html", context)
