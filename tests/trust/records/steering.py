import datetime

from django.urls import reverse
from django.utils import timezone

from trajectoires.referential.selectors import referential_item
from trajectoires.steering.services import journal_entry_create
from trajectoires.steering.vision import OrientationInput, vision_save

from . import RecordCase

CASES = [
    RecordCase(
        name="journal entry",
        create=lambda territory, visibility, author: journal_entry_create(
            actor=author,
            territory=territory,
            title=f"Chantier participatif ({visibility})",
            occurred_on=datetime.date(2026, 5, 4),
            body="Plantation du verger communal.",
            visibility=visibility,
        ),
        read_url=lambda entry: reverse("steering:journal_entry", args=[entry.territory.slug, entry.pk]),
        write_url=lambda entry: reverse("steering:journal_edit", args=[entry.territory.slug, entry.pk]),
        api_url=lambda entry: f"/api/v1/territories/{entry.territory.slug}/journal/{entry.pk}",
        title=lambda entry: entry.title,
    ),
    RecordCase(
        name="vision",
        create=lambda territory, visibility, author: vision_save(
            actor=author,
            territory=territory,
            expected_version=0,
            horizon_year=timezone.localdate().year + 15,
            statement=f"Un territoire nourricier ({visibility})",
            visibility=visibility,
            reason="Conseil",
            orientations=[OrientationInput("Se nourrir", [referential_item("essential_need", "food")])],
        ),
        read_url=lambda vision: reverse("vision:detail", args=[vision.territory.slug]),
        write_url=lambda vision: reverse("vision:edit", args=[vision.territory.slug]),
        api_url=lambda vision: f"/api/v1/territories/{vision.territory.slug}/vision",
        title=lambda vision: vision.statement,
        api_text=lambda body: body.get("statement"),
    ),
]
