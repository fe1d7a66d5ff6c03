"""Role × visibility × action for every territory-owned record (SPEC §4).

Each record type registers a `RecordCase` in a module of tests/trust/records/; the whole matrix
then runs on it, in the pages and the API. Expected rights come from the specification, not from
the code under test:
- read: public → anyone; alliance → every signed-in person; partners → the team, the
  contributors and the partner funder; private → the team (admin, editor, viewer);
- write: the territory's admin and editor;
- admin (see the record in the territory's history of changes): the territory admin and staff.
A refusal is a 404, exactly like a record that does not exist.
"""

import re

import pytest
from django.urls import reverse

from tests.pages import page_text
from trajectoires.territories.models import Territory

from .records import all_cases
from .world import ROLES, build_world, client_as

pytestmark = pytest.mark.django_db

SIGNED_IN = set(ROLES) - {"anonymous"}
TEAM = {"admin", "editor", "viewer"}
READERS = {
    "public": set(ROLES),
    "alliance": SIGNED_IN,
    "partners": TEAM | {"contributor", "partner_funder"},
    "private": TEAM,
}
WRITERS = {"admin", "editor"}
ADMINS = {"admin", "staff"}


RECORDS = all_cases()


def audit_url(territory: Territory) -> str:
    return reverse("territories:audit", args=[territory.slug])


@pytest.mark.parametrize("case", RECORDS, ids=lambda case: case.name)
@pytest.mark.parametrize("visibility", ["private", "partners", "alliance", "public"])
@pytest.mark.parametrize("role", ROLES)
def test_read_write_and_admin_rights(client, case, visibility, role):
    world = build_world()
    record = case.create(world.territory, visibility, world.people["admin"])
    client = client_as(client, world, role)

    page = client.get(case.read_url(record))
    may_read = role in READERS[visibility]
    assert page.status_code == (200 if may_read else 404)
    assert (case.title(record) in page.content.decode()) is may_read

    api = client.get(case.api_url(record))
    assert api.status_code == (200 if may_read else 404)
    assert (case.api_text(api.json()) == case.title(record)) is may_read

    edit = client.get(case.write_url(record))
    expected = 200 if role in WRITERS else (302 if role == "anonymous" else 404)
    assert edit.status_code == expected

    history = client.get(audit_url(world.territory))
    expected = 200 if role in ADMINS else (302 if role == "anonymous" else 404)
    assert history.status_code == expected
    if role in ADMINS:
        assert case.history_text(record) in page_text(history)


@pytest.mark.parametrize("case", RECORDS, ids=lambda case: case.name)
def test_a_forbidden_record_answers_exactly_like_a_missing_one(client, case):
    world = build_world()
    record = case.create(world.territory, "private", world.people["admin"])
    client = client_as(client, world, "member_elsewhere")
    forbidden_url = case.read_url(record)
    missing_url = forbidden_url.replace(f"/{record.pk}/", f"/{record.pk + 1000}/")
    forbidden, missing = client.get(forbidden_url), client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404
    # Byte for byte the same page, once each address and the per-response CSRF token are blanked out.
    assert _blank(forbidden.content, forbidden_url) == _blank(missing.content, missing_url)


def _blank(content: bytes, url: str) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return content.replace(url.encode(), b"URL")
