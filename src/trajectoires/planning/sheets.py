"""Transferability sheets (K9, A1): what another territory needs to replicate a pilot — its context,
prerequisites, costs, pitfalls and contacts.

- Those who edit the pilot write its sheet (one per pilot, made on its first save).
- An unpublished sheet reads exactly as its pilot.
- Publishing makes it readable by every signed-in member of the alliance whatever the pilot's
  visibility (and by anyone when the pilot is public): the assembly gathers these sheets. Only the
  sheet travels: its readers see the pilot's title, territory, status and hypothesis, never its
  iterations unless they may read the pilot itself.
- A published sheet has all five sections written: publishing with empty sections is refused with
  one error per empty section, and so is emptying a section of a published sheet.
- Publishing and unpublishing are audited like any write.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import viewer_scope, visible_to
from trajectoires.territories.services import territory_scope

from .models import Pilot, PilotIteration, TransferabilitySheet
from .permissions import can_edit_pilot

SECTIONS = TransferabilitySheet.SECTIONS
SECTION_TITLES = {
    "context": gettext_lazy("Context"),
    "prerequisites": gettext_lazy("Prerequisites"),
    "costs": gettext_lazy("Costs"),
    "pitfalls": gettext_lazy("Pitfalls"),
    "contacts": gettext_lazy("Contacts"),
}


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    text: str


def sheet_sections(sheet: TransferabilitySheet | None) -> list[Section]:
    """The five sections in order, empty before the sheet is written."""
    return [
        Section(name, str(SECTION_TITLES[name]), getattr(sheet, name) if sheet else "") for name in SECTIONS
    ]


@dataclass(frozen=True)
class SheetPage:
    """What the sheet's page shows: the pilot, its sheet (None before the first save), and the
    iterations — only to those who may read the pilot itself."""

    pilot: Pilot
    sheet: TransferabilitySheet | None
    pilot_readable: bool
    iterations: list[PilotIteration]

    @property
    def published(self) -> bool:
        return self.sheet is not None and self.sheet.published_at is not None

    @property
    def sections(self) -> list[Section]:
        return sheet_sections(self.sheet)


def _published_to(viewer) -> Q:
    """Published sheets reach every signed-in member; anonymous visitors only through a public pilot."""
    if viewer_scope(viewer).signed_in:
        return Q(sheet__published_at__isnull=False)
    return Q(sheet__published_at__isnull=False, visibility=Visibility.PUBLIC)


def sheet_page(viewer, territory: Territory, pk: int) -> SheetPage:
    """The pilot's sheet as `viewer` may read it, or the same 404 as a pilot that does not exist."""
    readable = Exists(visible_to(Pilot.objects.filter(pk=OuterRef("pk")), viewer))
    pilot = (
        Pilot.objects.filter(territory=territory, pk=pk)
        .annotate(readable=readable)
        .filter(Q(readable=True) | _published_to(viewer))
        .select_related("territory", "sheet", "sheet__published_by")
        .first()
    )
    if pilot is None:
        raise Http404
    sheet = getattr(pilot, "sheet", None)
    iterations = list(pilot.iterations.order_by("number")) if pilot.readable else []
    return SheetPage(pilot, sheet, pilot.readable, iterations)


def published_sheets(viewer) -> QuerySet[TransferabilitySheet]:
    """Every published sheet of the alliance `viewer` may read, latest published first, with its
    pilot and territory."""
    sheets = TransferabilitySheet.objects.filter(published_at__isnull=False)
    if not viewer_scope(viewer).signed_in:
        sheets = sheets.filter(pilot__visibility=Visibility.PUBLIC)
    return sheets.select_related("pilot", "pilot__territory").order_by("-published_at", "-id")


def _snapshot(sheet: TransferabilitySheet) -> dict[str, Any]:
    return {section: getattr(sheet, section) for section in SECTIONS}


def _missing_sections(sheet: TransferabilitySheet) -> dict[str, list[str]]:
    """One error per empty section, naming it."""
    errors = {}
    for section in SECTIONS:
        if not getattr(sheet, section).strip():
            errors[section] = [
                _("Write the section “%(section)s”: a published sheet has all its sections.")
                % {"section": SECTION_TITLES[section]}
            ]
    return errors


def _sheet_of(pilot: Pilot) -> TransferabilitySheet:
    """The pilot's sheet, or a new unsaved one."""
    try:
        return pilot.sheet
    except TransferabilitySheet.DoesNotExist:
        return TransferabilitySheet(pilot=pilot)


def _audit(actor: Any, action: str, sheet: TransferabilitySheet, changes: dict[str, list[Any]]) -> None:
    audit_record(
        actor=actor, action=action, obj=sheet, scope=territory_scope(sheet.pilot.territory), changes=changes
    )


def sheet_save(*, actor: Any, pilot: Pilot, **sections: str) -> TransferabilitySheet:
    """Write some of the sheet's sections (the sheet is made on its first save)."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    for section in sections:
        if section not in SECTIONS:
            raise TypeError(f"transferability sheets have no section {section!r}")
    with transaction.atomic():
        # Lock the pilot's row: two first saves at once are made one after the other (the second
        # finds the sheet the first made) instead of both inserting it.
        Pilot.objects.select_for_update().filter(pk=pilot.pk).first()
        sheet = TransferabilitySheet.objects.filter(pilot=pilot).first() or TransferabilitySheet(pilot=pilot)
        before = _snapshot(sheet) if sheet.pk else {}
        for section, text in sections.items():
            setattr(sheet, section, text.strip())
        sheet.full_clean()
        if sheet.published_at is not None and (missing := _missing_sections(sheet)):
            raise ValidationError(missing)
        created = sheet.pk is None
        sheet.save()
        changes = changed_fields(before, _snapshot(sheet))
        if created or changes:
            action = "transferability_sheet.create" if created else "transferability_sheet.update"
            _audit(actor, action, sheet, changes)
    pilot.sheet = sheet
    return sheet


def sheet_publish(*, actor: Any, pilot: Pilot) -> TransferabilitySheet:
    """Publish the sheet to the alliance, if every section is written; publishing a published
    sheet changes nothing."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    sheet = _sheet_of(pilot)
    if missing := _missing_sections(sheet):
        raise ValidationError(missing)
    if sheet.published_at is not None:
        return sheet
    with transaction.atomic():
        sheet.published_at = timezone.now()
        sheet.published_by = actor if getattr(actor, "is_authenticated", False) else None
        sheet.save()
        _audit(actor, "transferability_sheet.publish", sheet, {"published": [False, True]})
    return sheet


def sheet_unpublish(*, actor: Any, pilot: Pilot) -> TransferabilitySheet:
    """Withdraw the sheet from the alliance: it reads as its pilot again."""
    if not can_edit_pilot(actor, pilot):
        raise PermissionDenied
    sheet = _sheet_of(pilot)
    if sheet.published_at is None:
        return sheet
    with transaction.atomic():
        sheet.published_at, sheet.published_by = None, None
        sheet.save()
        _audit(actor, "transferability_sheet.unpublish", sheet, {"published": [True, False]})
    return sheet
