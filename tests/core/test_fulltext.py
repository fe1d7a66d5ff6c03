"""The full-text index follows every write to the indexed column — inserts, updates, deletes,
plain bulk INSERTs included — and recreating it after a migrate changes nothing."""

import datetime

import pytest

from trajectoires.core.bulk import insert_rows
from trajectoires.core.fulltext import ensure_indexes, matching, stem_document
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    return Territory.objects.create(
        name="Ungersheim", slug="ungersheim", kind="commune", alliance_joined_on=datetime.date(2021, 3, 15)
    )


def entry(territory, text: str) -> JournalEntry:
    return JournalEntry.objects.create(
        territory=territory,
        title=text,
        occurred_on=datetime.date(2026, 5, 4),
        search_document=stem_document(text),
    )


def found(query: str) -> list[str]:
    return sorted(JournalEntry.objects.filter(matching(JournalEntry, query)).values_list("title", flat=True))


def test_every_word_of_the_query_must_be_found_in_any_form(territory):
    entry(territory, "Chantier participatif au verger")
    entry(territory, "Les chantiers de l'école")
    assert found("chantiers") == ["Chantier participatif au verger", "Les chantiers de l'école"]
    assert found("CHANTIER écoles") == ["Les chantiers de l'école"]
    assert found("verger ecole") == []
    assert matching(JournalEntry, "de la et") is None  # nothing to look for


def test_the_index_follows_updates_and_deletes(territory):
    changed = entry(territory, "Réunion publique")
    gone = entry(territory, "Réunion de chantier")
    changed.search_document = stem_document("Assemblée citoyenne")
    changed.save()
    gone.delete()
    assert found("réunion") == []
    assert found("assemblées") == ["Réunion publique"]


def test_bulk_inserts_are_indexed_too(territory):
    at = datetime.datetime(2026, 9, 20, tzinfo=datetime.UTC)
    columns = ("territory_id", "title", "occurred_on", "body", "search_document", "entry_type", "visibility")
    row = (
        territory.pk,
        "Fête des récoltes",
        at.date(),
        "",
        stem_document("fête récoltes"),
        "event",
        "public",
    )
    columns, row = (*columns, "created_at", "updated_at"), (*row, at, at)
    insert_rows(JournalEntry, columns, [row])
    assert found("récolte") == ["Fête des récoltes"]


def test_recreating_the_indexes_changes_nothing(territory):
    ensure_indexes()  # as after every migrate (before any write here: PostgreSQL refuses DDL on a
    ensure_indexes()  # table with deferred constraint checks pending in the transaction)
    entry(territory, "Plantation des haies")
    assert found("haie") == ["Plantation des haies"]


def test_a_search_narrowed_to_its_territory_reads_that_territory_only(territory):
    elsewhere = Territory.objects.create(
        name="Grande-Synthe",
        slug="grande-synthe",
        kind="commune",
        alliance_joined_on=datetime.date(2021, 9, 1),
    )
    entry(territory, "Chantier participatif")
    entry(elsewhere, "Chantier participatif à Grande-Synthe")
    scoped = JournalEntry.objects.filter(matching(JournalEntry, "chantier", scope=elsewhere.pk))
    assert list(scoped.values_list("title", flat=True)) == ["Chantier participatif à Grande-Synthe"]
    assert len(found("chantier")) == 2  # without a scope, every territory
