"""The demo diagnostics sensibles: in every demo territory, a diagnostic completed and validated by
the team, its six sections written from four to six interviews — some with people of the map, some
with anonymous profiles, each with a recorded consent and its scope, one or two that may be quoted.
The interview notes are read by the territory's admin and, where the demo has one, its editor; the
diagnostic stays with the team and is handed to the territory's partner funder when it has one. In
Ungersheim, one interview was erased on request. The texts are in demo_diagnostics.toml.

Everything is written through the services — diagnostic_create, note_readers_set, interview_add,
diagnostic_move, diagnostic_share, interview_erase — so every write is validated and audited; then
the business dates the services set to today are dated back (`_date_the_diagnostic`): the audit
trail keeps the moment the demo recorded them. A territory that already has a diagnostic is left
as it is.
"""

import datetime
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.diagnostics import (
    diagnostic_create,
    diagnostic_move,
    diagnostic_share,
    interview_add,
    interview_erase,
    note_readers_set,
    shareable_funders,
)
from trajectoires.evaluation.models import DIAGNOSTIC_SECTIONS, Diagnostic, DiagnosticStatus, Interview
from trajectoires.territories.models import Territory, TerritoryMembership

from .demo_workspace import PLACES

DIAGNOSTICS_FILE = Path(__file__).with_name("demo_diagnostics.toml")

# The people of the map who were interviewed, by the start of their name in demo_workspace.CAST.
PEOPLE = {
    "executive": "L'exécutif",
    "farmer": "L'agricultrice élue consulaire",
    "journalist": "Le journaliste",
    "technician": "Le responsable technique",
}
SECTIONS = [name for name, _label in DIAGNOSTIC_SECTIONS]
WORKING_HOURS = (datetime.time(9), datetime.time(17))


@cache
def diagnostics_file() -> dict[str, Any]:
    return tomllib.loads(DIAGNOSTICS_FILE.read_text(encoding="utf-8"))


def diagnostics_load() -> list[str]:
    """Write the diagnostic sensible of each demo territory that has none yet."""
    created = []
    users = get_user_model().objects
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.diagnostics.exists():
            continue
        admin = users.get(email=place.admin)
        editor = next(
            (m.user for m in TerritoryMembership.objects.filter(territory=territory, role="editor")), None
        )
        _diagnostic(territory, admin, editor, diagnostics_file()["territories"][place.territory])
        created.append(f"diagnostic sensible of {place.territory}")
    return created


def _diagnostic(territory: Territory, admin, editor, spec: dict[str, Any]) -> Diagnostic:
    timeline = diagnostics_file()["timeline"]
    today = timezone.localdate()

    def day(days_ago: int) -> datetime.date:
        return today - datetime.timedelta(days=days_ago)

    diagnostic = diagnostic_create(
        actor=admin,
        territory=territory,
        title=spec["title"],
        visibility=Visibility.PRIVATE,
        **{name: spec[name] for name in SECTIONS},
    )
    diagnostic = diagnostic_move(actor=admin, diagnostic=diagnostic, to=DiagnosticStatus.IN_PROGRESS)
    note_readers_set(actor=admin, diagnostic=diagnostic, users=[admin, *([editor] if editor else [])])
    people = Actor.objects.filter(territory=territory, kind="person")
    first = timeline["first_interview_days_ago"]
    for index, said in enumerate(spec["interviews"]):
        held_on = day(first - index * timeline["days_between_interviews"])
        recorder = editor if said["by"] == "editor" and editor else admin
        quotable = said["consent"] == "quotable"
        interview_add(
            actor=recorder,
            diagnostic=diagnostic,
            interviewed_on=held_on,
            interviewer=recorder.full_name if said["by"] in ("admin", "editor") else said["by"],
            interviewee=people.get(name__startswith=PEOPLE[said["who"]]) if said["who"] else None,
            profile=said.get("profile", ""),
            consent_given=True,
            consent_scope=said["consent"],
            consent_recorded_on=held_on,
            publishable=quotable and said.get("quoted", False),
            notes=said["notes"],
        )
    for status in (DiagnosticStatus.COMPLETED, DiagnosticStatus.VALIDATED):
        diagnostic = diagnostic_move(actor=admin, diagnostic=diagnostic, to=status)
    funder = shareable_funders(diagnostic).first()
    if funder is not None:
        diagnostic_share(actor=admin, diagnostic=diagnostic, funder=funder)
    if "erase" in spec:
        interview_erase(actor=admin, interview=diagnostic.interviews.get(number=spec["erase"]))
    _date_the_diagnostic(diagnostic, spec, day)
    return diagnostic


def _date_the_diagnostic(diagnostic: Diagnostic, spec: dict[str, Any], day) -> None:
    """Date the diagnostic back: begun with the first interview, completed and validated some weeks
    after the last one, then shared; an erased interview on the day it was erased."""
    timeline = diagnostics_file()["timeline"]

    def at(date: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(date, time))

    begun, validated = day(timeline["first_interview_days_ago"]), day(timeline["validated_days_ago"])
    Diagnostic.objects.filter(pk=diagnostic.pk).update(
        created_at=at(begun, WORKING_HOURS[0]),
        updated_at=at(validated, WORKING_HOURS[1]),
        completed_on=day(timeline["completed_days_ago"]),
        validated_on=validated,
    )
    diagnostic.shares.update(shared_on=day(timeline["shared_days_ago"]))
    if "erase" in spec:
        Interview.objects.filter(diagnostic=diagnostic, number=spec["erase"]).update(
            erased_on=day(spec["erased_days_ago"])
        )
