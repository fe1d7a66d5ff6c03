"""A contributor may write a private record (a journal entry, a narrative, a celebration): it is then
the team's to read, not theirs. After saving, they land on the list with the confirmation — never on
a 404 for what they just wrote — and the record is written."""

import pytest

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.steering.models import Celebration, JournalEntry, Narrative

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim"


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize(
    ("new", "data", "model", "listing", "message"),
    [
        (
            "/journal/nouveau/",
            {"title": "Réunion privée", "occurred_on": "2026-05-04", "body": "Notes."},
            JournalEntry,
            ["/journal/"],
            "L'entrée du journal a été enregistrée.",
        ),
        (
            "/recits/nouveau/",
            {"title": "Réunion privée", "format": "exhibition", "told_on": "2026-06-20", "body": "Photos."},
            Narrative,
            ["/recits/"],
            "Le récit a été enregistré.",
        ),
        (
            "/celebrations/nouvelle/",
            {"title": "Réunion privée", "achieved_on": "2026-09-12", "achievement": "Deux tonnes."},
            Celebration,
            ["/celebrations/", "/journal/?type=celebration"],  # the list is the journal's celebrations
            "La célébration a été enregistrée.",
        ),
    ],
    ids=["journal entry", "narrative", "celebration"],
)
def test_a_contributor_who_writes_a_private_record_lands_on_the_list(
    client, world, new, data, model, listing, message
):
    client_as(client, world, "contributor")
    response = client.post(BASE + new, data | {"visibility": "private"}, follow=True)
    record = model.objects.get()
    assert (record.title, record.visibility, record.author) == (
        "Réunion privée",
        "private",
        world.people["contributor"],
    )
    assert response.redirect_chain == [(BASE + url, 302) for url in listing]
    body = page_text(response)
    assert message in body
    assert "Réunion privée" not in body
