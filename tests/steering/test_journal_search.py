"""French full-text search over the journal: stems, accents and case do not matter, every word of
the query must be found, and a search costs the same queries whatever the journal's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.fulltext import stem_document, stems
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.models import JournalEntry
from trajectoires.steering.services import journal_entry_create, journal_entry_update

pytestmark = pytest.mark.django_db
JOURNAL = "/territoires/ungersheim/journal/"
API = "/api/v1/territories/ungersheim/journal/"


@pytest.fixture
def world():
    return build_world()


def add(world, title, body="", visibility="public", **values):
    return journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title=title,
        body=body,
        occurred_on=values.pop("occurred_on", "2026-05-04"),
        visibility=visibility,
        **values,
    )


def found(client, query: str) -> list[str]:
    return sorted(entry["title"] for entry in client.get(API, {"q": query}).json()["results"])


def test_documents_hold_each_french_stem_once_accent_folded():
    assert stems("Les chantiers participatifs de l'École") == ["chanti", "particip", "ecol"]
    assert stem_document("Écoles, école et ÉCOLE !") == "ecol"
    assert stem_document("Vélos et vélo") == "velo"
    assert stem_document("de la et") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chantiers participatifs", ["Chantier participatif au verger"]),
        ("CHANTIER", ["Chantier participatif au verger"]),
        ("écoles", ["Rentrée à l'école"]),
        ("ecole", ["Rentrée à l'école"]),
        ("vélos", ["Atelier vélo"]),
        ("chantier école", []),  # every word must be found
        ("verger atelier", []),
        ("alimentation", ["Atelier vélo"]),  # the labels of the tags are searched too
        ("du la de", ["Atelier vélo", "Chantier participatif au verger", "Rentrée à l'école"]),
        ("<script>alert(1)</script>", []),
    ],
)
def test_search_finds_french_words_whatever_their_form(client, world, query, expected):
    add(world, "Chantier participatif au verger", "Quarante bénévoles ont taillé les pommiers.")
    add(world, "Rentrée à l'école", "La cantine passe au bio.")
    food = referential_item("essential_need", "food")
    add(world, "Atelier vélo", "Réparation des vélos des enfants.", needs=[food])
    assert found(client, query) == expected


def test_a_wildcard_in_the_query_matches_nothing_more(client, world):
    add(world, "Chantier participatif")
    assert found(client, "chan%") == []
    assert found(client, "chan_ti") == []


def test_the_document_follows_each_edit(client, world):
    entry = add(world, "Réunion publique")
    journal_entry_update(actor=world.people["admin"], entry=entry, title="Assemblée citoyenne")
    entry.refresh_from_db()
    assert entry.search_document == "assemble citoyen"
    assert (found(client, "réunion"), found(client, "assemblées citoyennes")) == ([], ["Assemblée citoyenne"])


def test_search_is_limited_to_what_the_viewer_may_read_and_ranked_by_date(client, world):
    add(world, "Chantier d'hiver", occurred_on="2025-12-01")
    add(world, "Chantier de printemps", occurred_on="2026-04-01")
    add(world, "Chantier secret", visibility="private")
    titles = [entry["title"] for entry in client.get(API, {"q": "chantier"}).json()["results"]]
    assert titles == ["Chantier de printemps", "Chantier d'hiver"]
    client_as(client, world, "viewer")
    body = page_text(client.get(JOURNAL, {"q": "chantiers"}))
    assert "3 éléments" in body
    assert (
        body.index("Chantier secret") < body.index("Chantier de printemps") < body.index("Chantier d'hiver")
    )


def test_a_search_leaves_the_celebrations_out_and_says_when_nothing_matches(client, world):
    add(world, "Plantation")
    body = page_text(client.get(JOURNAL, {"q": "inondation"}))
    assert "0 élément" in body and "Rien ne correspond à ces filtres." in body


def test_search_costs_the_same_queries_with_1_and_50_entries(client, world):
    client_as(client, world, "viewer")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "chantiers participatifs"}).status_code == 200
        return len(queries)

    add(world, "Chantier participatif 0", visibility="private")
    one = (count(JOURNAL), count(API))
    for index in range(1, 50):
        add(world, f"Chantier participatif {index}", visibility="private")
    assert JournalEntry.objects.count() == 50
    assert (count(JOURNAL), count(API)) == one
