import datetime

from django.urls import reverse

from trajectoires.planning.pilots import pilot_create
from trajectoires.planning.sheets import sheet_save

from . import RecordCase


def _pilot(territory, visibility, author):
    return pilot_create(
        actor=author,
        territory=territory,
        title=f"Cantine 100 % locale ({visibility})",
        hypothesis="Si la cantine achète aux maraîchers, alors les repas seront locaux.",
        scope="L’école du centre, un trimestre.",
        started_on=datetime.date(2026, 3, 2),
        visibility=visibility,
    )


def _pilot_with_unpublished_sheet(territory, visibility, author):
    pilot = _pilot(territory, visibility, author)
    sheet_save(actor=author, pilot=pilot, context="Une commune rurale.", costs="0,40 € par repas.")
    return pilot


CASES = [
    RecordCase(
        name="pilot",
        create=_pilot,
        read_url=lambda pilot: reverse("pilots:detail", args=[pilot.territory.slug, pilot.pk]),
        write_url=lambda pilot: reverse("pilots:edit", args=[pilot.territory.slug, pilot.pk]),
        api_url=lambda pilot: f"/api/v1/territories/{pilot.territory.slug}/pilots/{pilot.pk}",
        title=lambda pilot: pilot.title,
    ),
    # An unpublished sheet reads as its pilot (published ones: tests/planning/test_sheets.py). The
    # record is the pilot, whose id the sheet's addresses carry.
    RecordCase(
        name="transferability sheet (unpublished)",
        create=_pilot_with_unpublished_sheet,
        read_url=lambda pilot: reverse("pilots:sheet", args=[pilot.territory.slug, pilot.pk]),
        write_url=lambda pilot: reverse("pilots:sheet_edit", args=[pilot.territory.slug, pilot.pk]),
        api_url=lambda pilot: f"/api/v1/territories/{pilot.territory.slug}/pilots/{pilot.pk}/sheet",
        title=lambda pilot: pilot.title,
        api_text=lambda body: body.get("pilot", {}).get("title"),
    ),
]
