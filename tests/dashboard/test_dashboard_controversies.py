"""The dashboard's controversies: the open ones by stage, each stage a link to the register filtered
on it, the followed-up ones apart — read through the viewer's visibility, in one query whatever
their number."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.governance.models import Controversy

pytestmark = pytest.mark.django_db

# stage, visibility of each controversy of the fixture
CONTROVERSIES = [
    ("reported", "public"), ("reported", "public"), ("reported", "private"),
    ("instructing", "public"),
    ("decided", "partners"),
    ("followed_up", "public"), ("followed_up", "public"), ("followed_up", "private"),
]  # fmt: skip


def url(territory) -> str:
    return reverse("dashboard:detail", args=[territory.slug])


def controversy(territory, stage: str, visibility: str, n: int = 0) -> Controversy:
    return Controversy.objects.create(
        territory=territory,
        subject=f"Controverse {stage} {visibility} {n}",
        description="Un désaccord travaillé au grand jour.",
        stage=stage,
        visibility=visibility,
    )


@pytest.fixture
def world():
    world = build_world()
    for n, (stage, visibility) in enumerate(CONTROVERSIES):
        controversy(world.territory, stage, visibility, n)
    controversy(world.elsewhere, "deliberating", "public")  # another territory's: never counted
    return world


def test_the_team_reads_every_open_controversy_by_stage(client, world):
    text = page_text(client_as(client, world, "admin").get(url(world.territory)))
    assert (
        "Des controverses instruites plutôt qu’évitées Controverses ouvertes, par étape Étape Controverses "
        "Signalée 3 En instruction 1 En délibération 0 Décidée 1 Ouvertes, au total 5 "
        "3 controverses suivies : leurs décisions sont mises en œuvre. Le registre des controverses"
    ) in text
    # Records readable by each audience: visitors, alliance members, partners, team.
    assert "Controverses 5 5 6 8" in text


def test_a_visitor_counts_only_public_controversies(client, world):
    text = page_text(client.get(url(world.territory)))
    assert (
        "Signalée 2 En instruction 1 En délibération 0 Décidée 0 Ouvertes, au total 3 "
        "2 controverses suivies : leurs décisions sont mises en œuvre."
    ) in text


def test_a_partner_adds_the_controversies_shared_with_partners(client, world):
    text = page_text(client_as(client, world, "partner_funder").get(url(world.territory)))
    assert "Signalée 2 En instruction 1 En délibération 0 Décidée 1 Ouvertes, au total 4" in text


def test_one_followed_up_controversy_reads_in_the_singular(client, world):
    public = Controversy.objects.filter(territory=world.territory, stage="followed_up", visibility="public")
    public.first().delete()
    text = page_text(client.get(url(world.territory)))
    assert "1 controverse suivie : sa décision est mise en œuvre." in text


def test_each_stage_links_to_the_register_filtered_on_it(client, world):
    html = client.get(url(world.territory)).content.decode()
    register = reverse("controversies:index", args=[world.territory.slug])
    links = re.findall(rf'<a href="{register}\?stage=(\w+)">([^<]+)</a>', html)
    assert links == [
        ("reported", "Signalée"),
        ("instructing", "En instruction"),
        ("deliberating", "En délibération"),
        ("decided", "Décidée"),
        ("followed_up", "2 controverses suivies : leurs décisions sont mises en œuvre."),
    ]
    assert f'<a href="{register}">Le registre des controverses</a>' in html
    # The link leads to the register showing that stage only.
    body = page_text(client.get(f"{register}?stage=reported"))
    assert "Controverse reported public 0" in body and "Controverse instructing public 3" not in body


def _controversy_queries(client, territory) -> tuple[int, int]:
    """All the queries of the page, and those that read the controversies."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(territory)).status_code == 200
    reading = [q for q in queries if "governance_controversy" in q["sql"]]
    return len(queries), len(reading)


@pytest.mark.parametrize(("role", "reads"), [("anonymous", 1), ("admin", 2)])
def test_the_counts_take_one_query_whatever_the_number_of_controversies(client, world, role, reads):
    """One query counts them by stage; the team's page adds one for the per-audience table."""
    client = client_as(client, world, role)
    before = _controversy_queries(client, world.territory)
    for n in range(12):
        stage = ("reported", "instructing", "deliberating", "decided", "followed_up")[n % 5]
        controversy(world.territory, stage, ("public", "private", "partners")[n % 3], 100 + n)
    after = _controversy_queries(client, world.territory)
    assert after == before
    assert before[1] == reads
