"""The diagnostic sensible (C1, F2): a structured qualitative diagnostic written from interviews, which
a territory hands to its funders once completed.

Rules:
- the territory's writers (admin, editor) write it; its life is draft → in progress → completed →
  validated by the team (the admin); completing it needs every section written and one interview;
  a finished diagnostic is frozen until it is reopened (back to in progress);
- interviews are recorded and read by the people the admin allows (`note_readers`) and the admin:
  who was met and the notes are personal data; anyone else who reads the diagnostic sees each
  interview by its number only;
- an interview names a person of the map or describes an anonymous profile; consent, when given,
  has a scope and a date; an interview may be quoted only with a recorded consent to be quoted;
- an interview is erased on request (identity, profile and notes cleared; number, date and consent
  kept), whatever the diagnostic's status; its trail never holds the notes or who was met;
- the admin shares a finished diagnostic with funders partnered with the territory; their members
  then read it while it stays finished.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.accounts.models import Funder
from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory, TerritoryMembership, TerritoryPartnership
from trajectoires.territories.permissions import is_territory_admin, viewer_scope, visible_to
from trajectoires.territories.services import territory_scope

from .models import (
    DIAGNOSTIC_SECTIONS,
    ConsentScope,
    Diagnostic,
    DiagnosticShare,
    DiagnosticStatus,
    Interview,
)
from .permissions import can_manage_diagnostic, can_write_diagnostic
from .pseudonyms import interview_label, pseudonymiser

SECTION_FIELDS = tuple(name for name, _label in DIAGNOSTIC_SECTIONS)
DIAGNOSTIC_FIELDS = ("title", "visibility", *SECTION_FIELDS)
INTERVIEW_FIELDS = (
    "interviewee",
    "profile",
    "interviewed_on",
    "interviewer",
    "consent_given",
    "consent_scope",
    "consent_recorded_on",
    "publishable",
    "notes",
)
# Status moves: (from, to) → who may make it.
MOVES = {
    (DiagnosticStatus.DRAFT, DiagnosticStatus.IN_PROGRESS): "writer",
    (DiagnosticStatus.IN_PROGRESS, DiagnosticStatus.COMPLETED): "writer",
    (DiagnosticStatus.COMPLETED, DiagnosticStatus.IN_PROGRESS): "writer",
    (DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED): "admin",
    (DiagnosticStatus.VALIDATED, DiagnosticStatus.IN_PROGRESS): "admin",
}


# Reads -------------------------------------------------------------------------------------------


def readable_diagnostics(viewer, territory: Territory) -> QuerySet[Diagnostic]:
    """By visibility, and for members of a funder it was shared with while it stays finished."""
    own = Diagnostic.objects.filter(territory=territory)
    funders = list(viewer_scope(viewer).funder_roles)
    visible = visible_to(own, viewer).values("pk")
    shared = Q(
        shares__funder_id__in=funders, status__in=[DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED]
    )
    return own.filter(Q(pk__in=visible) | shared).distinct() if funders else own.filter(pk__in=visible)


def access_diagnostic(viewer, territory: Territory, pk: int) -> Diagnostic:
    """The diagnostic, or the same 404 whether it does not exist or `viewer` may not read it."""
    diagnostic = readable_diagnostics(viewer, territory).filter(pk=pk).select_related("territory").first()
    if diagnostic is None:
        raise Http404
    return diagnostic


def can_read_notes(viewer, diagnostic: Diagnostic) -> bool:
    """The admin, and the members of the territory the admin allowed."""
    if is_territory_admin(viewer, diagnostic.territory):
        return True
    if (
        not getattr(viewer, "is_authenticated", False)
        or viewer_scope(viewer).role_in(diagnostic.territory) is None
    ):
        return False
    return diagnostic.note_readers.filter(pk=viewer.pk).exists()


@dataclass(frozen=True)
class InterviewView:
    """An interview as `viewer` may see it: who and the notes only when they may read the notes."""

    interview: Interview
    label: str  # « Entretien n° 3 »
    who: str  # the person or profile for note readers; "" for anyone else
    notes: str | None


def diagnostic_interviews(viewer, diagnostic: Diagnostic) -> list[InterviewView]:
    readers = can_read_notes(viewer, diagnostic)
    interviews = diagnostic.interviews.select_related("interviewee").order_by("number")
    views = []
    for interview in interviews:
        who = ""
        if readers and interview.erased_on is None:
            who = interview.interviewee.name if interview.interviewee_id else interview.profile
        views.append(
            InterviewView(interview, interview_label(interview), who, interview.notes if readers else None)
        )
    return views


def diagnostic_export(viewer, diagnostic: Diagnostic) -> dict[str, Any]:
    """The diagnostic as exported files and the API give it: pseudonymised throughout — no
    interviewee's name appears, in the sections or the notes; notes only for those who read them."""
    interviews = list(diagnostic.interviews.select_related("interviewee").order_by("number"))
    hide = pseudonymiser(interviews)
    readers = can_read_notes(viewer, diagnostic)
    return {
        "title": hide(diagnostic.title),
        "status": diagnostic.status,
        "completed_on": diagnostic.completed_on,
        "validated_on": diagnostic.validated_on,
        "sections": [
            {"code": name, "title": str(label), "text": hide(getattr(diagnostic, name))}
            for name, label in DIAGNOSTIC_SECTIONS
        ],
        "interviews": [
            {
                "number": interview.number,
                "label": interview_label(interview),
                "interviewed_on": interview.interviewed_on,
                "consent_given": interview.consent_given,
                "consent_scope": interview.consent_scope,
                "publishable": interview.publishable,
                "erased": interview.erased_on is not None,
                "notes": hide(interview.notes) if readers else None,
            }
            for interview in interviews
        ],
    }


# Writes: the diagnostic --------------------------------------------------------------------------


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


def _snapshot(diagnostic: Diagnostic) -> dict[str, Any]:
    # Sections may quote interviews: the trail keeps their length, not their text.
    values: dict[str, Any] = {"title": diagnostic.title, "visibility": diagnostic.visibility}
    values |= {f"{name}_length": len(getattr(diagnostic, name)) for name in SECTION_FIELDS}
    values["status"] = diagnostic.status
    return values


def _validate(diagnostic: Diagnostic) -> None:
    try:
        diagnostic.full_clean(exclude=["territory"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _refuse_if_finished(diagnostic: Diagnostic) -> None:
    if diagnostic.is_finished:
        raise ValidationError({"status": [_("This diagnostic is finished: reopen it to change it.")]})


def diagnostic_create(
    *, actor: Any, territory: Territory, title: str, visibility: str = Visibility.PRIVATE, **sections: str
) -> Diagnostic:
    if not can_write_diagnostic(actor, territory):
        raise PermissionDenied
    if unknown := set(sections) - set(SECTION_FIELDS):
        raise TypeError(f"diagnostics have no section {sorted(unknown)!r}")
    diagnostic = Diagnostic(
        territory=territory,
        title=title.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: text.strip() for name, text in sections.items()},
    )
    _validate(diagnostic)
    with transaction.atomic():
        diagnostic.save()
        _audit(actor, "diagnostic.create", diagnostic, territory, changed_fields({}, _snapshot(diagnostic)))
    return diagnostic


def diagnostic_update(*, actor: Any, diagnostic: Diagnostic, **values: Any) -> Diagnostic:
    if not can_write_diagnostic(actor, diagnostic.territory):
        raise PermissionDenied
    _refuse_if_finished(diagnostic)
    before = _snapshot(diagnostic)
    for name, value in values.items():
        if name not in DIAGNOSTIC_FIELDS:
            raise TypeError(f"diagnostics have no field {name!r}")
        setattr(diagnostic, name, value.strip() if isinstance(value, str) else value)
    try:
        _validate(diagnostic)
    except ValidationError:
        diagnostic.refresh_from_db()
        raise
    with transaction.atomic():
        diagnostic.save()
        if changes := changed_fields(before, _snapshot(diagnostic)):
            _audit(actor, "diagnostic.update", diagnostic, diagnostic.territory, changes)
    return diagnostic


def _completion_errors(diagnostic: Diagnostic) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    labels = dict(DIAGNOSTIC_SECTIONS)
    for name in SECTION_FIELDS:
        if not getattr(diagnostic, name).strip():
            errors[name] = [
                _("Write the section « %(section)s » before completing the diagnostic.")
                % {"section": labels[name]}
            ]
    if not diagnostic.interviews.exists():
        errors["interviews"] = [_("Record at least one interview before completing the diagnostic.")]
    return errors


def diagnostic_move(*, actor: Any, diagnostic: Diagnostic, to: str) -> Diagnostic:
    """Move the diagnostic to another status, as `MOVES` allows."""
    territory = diagnostic.territory
    if not can_write_diagnostic(actor, territory):
        raise PermissionDenied
    with transaction.atomic():
        current = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk).status
        who = MOVES.get((current, to))
        if who is None:
            raise ValidationError(
                {
                    "status": [
                        _("A diagnostic cannot go from « %(from)s » to « %(to)s ».")
                        % {"from": DiagnosticStatus(current).label, "to": _status_label(to)}
                    ]
                }
            )
        if who == "admin" and not can_manage_diagnostic(actor, territory):
            raise ValidationError(
                {
                    "status": [
                        _("Only the territory admin validates the diagnostic or reopens it once validated.")
                    ]
                }
            )
        if to == DiagnosticStatus.COMPLETED and (errors := _completion_errors(diagnostic)):
            raise ValidationError(errors)
        before = _snapshot(diagnostic) | {"status": current}
        today = timezone.localdate()
        diagnostic.status = to
        if to == DiagnosticStatus.COMPLETED:
            diagnostic.completed_on = today
        elif to == DiagnosticStatus.VALIDATED:
            diagnostic.validated_on, diagnostic.validated_by = today, actor
        else:
            diagnostic.completed_on = diagnostic.validated_on = diagnostic.validated_by = None
        diagnostic.save()
        _audit(actor, "diagnostic.move", diagnostic, territory, changed_fields(before, _snapshot(diagnostic)))
    return diagnostic


def _status_label(value: str) -> str:
    try:
        return DiagnosticStatus(value).label
    except ValueError:
        return value


def diagnostic_delete(*, actor: Any, diagnostic: Diagnostic) -> None:
    if not can_manage_diagnostic(actor, diagnostic.territory):
        raise PermissionDenied
    with transaction.atomic():
        snapshot = _snapshot(diagnostic) | {"interviews": diagnostic.interviews.count()}
        _audit(actor, "diagnostic.delete", diagnostic, diagnostic.territory, changed_fields(snapshot, {}))
        diagnostic.delete()


def note_readers_set(*, actor: Any, diagnostic: Diagnostic, users) -> None:
    """Who, besides the admin, records interviews and reads their notes: members of the territory."""
    territory = diagnostic.territory
    if not can_manage_diagnostic(actor, territory):
        raise PermissionDenied
    chosen = {user.pk: user for user in users}
    members = set(
        TerritoryMembership.objects.filter(territory=territory, user_id__in=chosen).values_list(
            "user_id", flat=True
        )
    )
    if set(chosen) - members:
        raise ValidationError({"note_readers": [_("Choose members of this territory.")]})
    before = sorted(diagnostic.note_readers.values_list("pk", flat=True))
    with transaction.atomic():
        diagnostic.note_readers.set(chosen.values())
        if changes := changed_fields({"note_readers": before}, {"note_readers": sorted(chosen)}):
            _audit(actor, "diagnostic.readers", diagnostic, territory, changes)


def diagnostic_share(*, actor: Any, diagnostic: Diagnostic, funder: Funder) -> DiagnosticShare:
    """Hand the finished diagnostic to a funder partnered with the territory."""
    territory = diagnostic.territory
    if not can_manage_diagnostic(actor, territory):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not diagnostic.is_finished:
        errors["status"] = [_("Only a completed diagnostic can be shared with a funder.")]
    if not TerritoryPartnership.objects.filter(territory=territory, funder=funder).exists():
        errors["funder"] = [_("Choose a funder partnered with this territory.")]
    elif diagnostic.shares.filter(funder=funder).exists():
        errors["funder"] = [_("This diagnostic is already shared with this funder.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        share = DiagnosticShare.objects.create(
            diagnostic=diagnostic, funder=funder, shared_on=timezone.localdate(), shared_by=actor
        )
        _audit(actor, "diagnostic.share", diagnostic, territory, {"shared_with": [None, funder.pk]})
    return share


def diagnostic_unshare(*, actor: Any, share: DiagnosticShare) -> None:
    diagnostic = share.diagnostic
    if not can_manage_diagnostic(actor, diagnostic.territory):
        raise PermissionDenied
    with transaction.atomic():
        _audit(
            actor,
            "diagnostic.unshare",
            diagnostic,
            diagnostic.territory,
            {"shared_with": [share.funder_id, None]},
        )
        share.delete()


# Writes: interviews ------------------------------------------------------------------------------


def _interview_snapshot(interview: Interview) -> dict[str, Any]:
    """What the trail keeps of an interview: never who was met nor the notes."""
    return {
        "number": interview.number,
        "interviewed_on": interview.interviewed_on.isoformat() if interview.interviewed_on else None,
        "consent_given": interview.consent_given,
        "consent_scope": interview.consent_scope,
        "publishable": interview.publishable,
        "notes_length": len(interview.notes),
        "erased": interview.erased_on is not None,
    }


def _interview_errors(viewer, interview: Interview, before_interviewee: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not interview.interviewee_id and not interview.profile:
        errors["interviewee"] = [
            _("Name the person of the map who was interviewed, or describe an anonymous profile.")
        ]
    elif interview.interviewee_id and interview.interviewee_id != before_interviewee:
        nameable = nameable_actors(viewer, interview.diagnostic.territory)
        if not nameable.filter(pk=interview.interviewee_id).exists():
            errors["interviewee"] = [_("Choose an actor of this territory.")]
    if interview.interviewed_on and interview.interviewed_on > today:
        errors["interviewed_on"] = [
            _("An interview is recorded once held: the date cannot be in the future.")
        ]
    if interview.consent_given:
        if not interview.consent_scope:
            errors["consent_scope"] = [_("Say what the consent covers.")]
        if not interview.consent_recorded_on:
            errors["consent_recorded_on"] = [_("Give the date the consent was recorded.")]
        elif interview.consent_recorded_on > today:
            errors["consent_recorded_on"] = [
                _("The consent is recorded once given: the date cannot be in the future.")
            ]
    elif interview.consent_scope:
        errors["consent_scope"] = [_("A scope is given only with the consent.")]
    quotable = interview.consent_given and interview.consent_scope == ConsentScope.QUOTABLE
    if interview.publishable and not quotable:
        errors["publishable"] = [
            _("An interview may be quoted only with the interviewee’s recorded consent to be quoted.")
        ]
    return errors


def _validate_interview(viewer, interview: Interview, before_interviewee: int | None = None) -> None:
    try:
        interview.full_clean(exclude=["diagnostic", "interviewee", "number"], validate_constraints=False)
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    for name, messages in _interview_errors(viewer, interview, before_interviewee).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    if unknown := set(values) - set(INTERVIEW_FIELDS):
        raise TypeError(f"interviews have no field {sorted(unknown)!r}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


def interview_add(
    *, actor: Any, diagnostic: Diagnostic, interviewed_on: datetime.date, interviewer: str, **values: Any
) -> Interview:
    if not can_read_notes(actor, diagnostic):
        raise PermissionDenied
    _refuse_if_finished(diagnostic)
    interview = Interview(
        diagnostic=diagnostic,
        interviewed_on=interviewed_on,
        interviewer=interviewer.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_clean_values(values),
    )
    _validate_interview(actor, interview)
    with transaction.atomic():
        Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)  # numbers are given one at a time
        interview.number = (diagnostic.interviews.aggregate(last=Max("number"))["last"] or 0) + 1
        interview.save()
        changes = changed_fields({}, _interview_snapshot(interview))
        _audit(actor, "interview.create", interview, diagnostic.territory, changes)
    return interview


def interview_update(*, actor: Any, interview: Interview, **values: Any) -> Interview:
    diagnostic = interview.diagnostic
    if not can_read_notes(actor, diagnostic):
        raise PermissionDenied
    _refuse_if_finished(diagnostic)
    if interview.erased_on is not None:
        raise ValidationError(
            {"erased_on": [_("This interview was erased on request: it can no longer be changed.")]}
        )
    before, before_interviewee = _interview_snapshot(interview), interview.interviewee_id
    for name, value in _clean_values(values).items():
        setattr(interview, name, value)
    try:
        _validate_interview(actor, interview, before_interviewee)
    except ValidationError:
        interview.refresh_from_db()
        raise
    with transaction.atomic():
        interview.save()
        if changes := changed_fields(before, _interview_snapshot(interview)):
            _audit(actor, "interview.update", interview, diagnostic.territory, changes)
    return interview


def interview_erase(*, actor: Any, interview: Interview) -> Interview:
    """Erase an interview on request: who was met, the profile and the notes go; the diagnostic
    keeps the interview's number, date and consent, so its count and its sections stay whole."""
    diagnostic = interview.diagnostic
    if not can_read_notes(actor, diagnostic):
        raise PermissionDenied
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        if interview.erased_on is not None:
            raise ValidationError({"erased_on": [_("This interview was already erased.")]})
        before = _interview_snapshot(interview)
        _hide_everywhere(interview)
        interview.interviewee, interview.profile, interview.notes = None, "", ""
        interview.publishable = False
        interview.erased_on = timezone.localdate()
        interview.save()
        _audit(
            actor,
            "interview.erase",
            interview,
            diagnostic.territory,
            changed_fields(before, _interview_snapshot(interview)),
        )
    return interview


def _hide_everywhere(interview: Interview, *, own_notes: bool = False) -> None:
    """Before the person's name can no longer be recognised, write their interview's label in its
    place in the diagnostic's sections and the interviews' notes: exports could no longer hide it."""
    hide = pseudonymiser([interview])
    diagnostic = Diagnostic.objects.select_for_update().get(pk=interview.diagnostic_id)
    for name in SECTION_FIELDS:
        setattr(diagnostic, name, hide(getattr(diagnostic, name)))
    diagnostic.save(update_fields=[*SECTION_FIELDS, "updated_at"])
    notes = diagnostic.interviews.all() if own_notes else diagnostic.interviews.exclude(pk=interview.pk)
    for other in notes:
        if (hidden := hide(other.notes)) != other.notes:
            other.notes = hidden
            other.save(update_fields=["notes"])


def hide_erased_person(sender, record: Actor, **kwargs) -> None:
    """A person of the map is erased (GDPR): their name, about to become a pseudonym, is replaced by
    their interview's label in every diagnostic that met them — sections and notes."""
    for interview in Interview.objects.filter(interviewee=record).select_related("interviewee"):
        _hide_everywhere(interview, own_notes=True)


def shareable_funders(diagnostic: Diagnostic) -> QuerySet[Funder]:
    """The territory's partner funders it is not shared with yet."""
    partners = TerritoryPartnership.objects.filter(territory=diagnostic.territory).values("funder_id")
    return (
        Funder.objects.filter(pk__in=partners)
        .exclude(pk__in=diagnostic.shares.values("funder_id"))
        .order_by("name")
    )


def interviewee_choices(viewer, diagnostic: Diagnostic) -> QuerySet[Actor]:
    return nameable_actors(viewer, diagnostic.territory)
