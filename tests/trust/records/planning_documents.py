import datetime

from django.urls import reverse

from trajectoires.planning.documents import document_create
from trajectoires.referential.selectors import referential_item

from . import RecordCase


def _create(territory, visibility, author):
    """A PLU written by the territory's commune, so it binds the territory."""
    return document_create(
        actor=author,
        territory=territory,
        doc_type=referential_item("planning_document_type", "plu"),
        title=f"PLU de la commune ({visibility})",
        writer=territory.areas.get(),
        status="adopted",
        adopted_on=datetime.date(2019, 3, 12),
        review_due_on=datetime.date(2031, 3, 12),
        visibility=visibility,
    )


CASES = [
    RecordCase(
        name="planning document",
        create=_create,
        read_url=lambda document: reverse("documents:detail", args=[document.territory.slug, document.pk]),
        write_url=lambda document: reverse("documents:edit", args=[document.territory.slug, document.pk]),
        api_url=lambda document: f"/api/v1/territories/{document.territory.slug}/documents/{document.pk}",
        title=lambda document: document.title,
    ),
]
