"""French full-text search behind one small interface: SQLite FTS5 and PostgreSQL text search.

A searchable model keeps, in one text column, the French Snowball stems of its words — accent-folded,
lower-cased, stop words left out, each stem once (`stem_document`). The database indexes that column:
an FTS5 table kept up to date by triggers on SQLite, a GIN index on its `tsvector` on PostgreSQL.
`matching(field, query)` is the filter requiring every stem of the query.

The stemming is done here, in Python, because SQLite has no French stemmer; PostgreSQL then indexes
the stems as they are (the `simple` configuration). Both databases index the same stems, so they
return the same results, and PostgreSQL's `french` configuration would use the same Snowball
algorithm anyway. Models register with `register(model, field)`; the indexes are (re)created after
every `migrate` (`ensure_indexes`, idempotent), so a later migration that rebuilds a table on SQLite
cannot silently drop its triggers.
"""

from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import Model, Q
from django.db.models.expressions import RawSQL

from .text import search_key

# Words too common to say anything, in their accent-folded form.
STOP_WORDS = frozenset(
    (  # noqa: SIM905 — a line of words reads better than a list
        "a au aux avec ce ces d dans de des du elle en et il ils j l la le les leur leurs lui m ma mais "
        "me mes n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes toi "
        "ton tu un une vos votre vous y est sont ete etre"
    ).split()
)


@dataclass(frozen=True)
class Indexed:
    table: str
    column: str
    scope: str  # the column that searches are always narrowed by (a territory), or ""

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def fts_columns(self) -> str:
        return ", ".join(filter(None, [self.scope, self.column]))


_REGISTRY: dict[type[Model], Indexed] = {}


def register(model: type[Model], field: str, *, scope: str = "") -> None:
    """Declare `model.field` (a text column of stems) as searchable; call it from AppConfig.ready.
    `scope` names the foreign key every search is narrowed by (a territory): SQLite's index then
    holds it too, so a search reads one territory's entries, not every match of the alliance."""
    meta = model._meta
    scope_column = meta.get_field(scope).column if scope else ""
    _REGISTRY[model] = Indexed(meta.db_table, meta.get_field(field).column, scope_column)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


def stems(text: str) -> list[str]:
    """The distinct stems of `text`, in their order of appearance."""
    words = [word for word in search_key(text).split() if word not in STOP_WORDS]
    seen: dict[str, None] = {}
    for stem in _stemmer().stemWords(words):
        seen.setdefault(_singular(stem), None)
    return list(seen)


def _singular(stem: str) -> str:
    # Snowball keeps the plural mark after a vowel (« vélos » stays « velos »): drop it both in the
    # documents and in the queries, so singular and plural meet.
    return stem[:-1] if len(stem) > 3 and stem[-1] in "sx" else stem


def stem_document(*texts: str) -> str:
    """The column's value: every stem of `texts`, once, separated by spaces."""
    return " ".join(stems(" ".join(texts)))


def matching(model: type[Model], query: str, *, scope: int | None = None) -> Q | None:
    """A filter on `model` requiring every stem of `query`; None when the query has no word to look
    for. `scope`: the value of the registered scope column the caller narrows to anyway (it makes
    the SQLite index read only that scope)."""
    query_stems = stems(query)
    if not query_stems:
        return None
    indexed = _REGISTRY[model]
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT id FROM {indexed.table} "  # noqa: S608 — table and column names from the models
            f"WHERE to_tsvector('simple', {indexed.column}) @@ to_tsquery('simple', %s)"
        )
        params: list = [" & ".join(query_stems)]
        if indexed.scope and scope is not None:
            sql, params = f"{sql} AND {indexed.scope} = %s", [*params, int(scope)]
        return Q(pk__in=RawSQL(sql, params))  # noqa: S611 — the query is a parameter
    # Stems are made of [a-z0-9] only (search_key), so quoting them is enough for FTS5.
    match = f"{indexed.column}:(" + " ".join(f'"{stem}"' for stem in query_stems) + ")"
    if indexed.scope and scope is not None:
        match = f'{indexed.scope}:"{int(scope)}" AND {match}'
    sql = f"SELECT rowid FROM {indexed.fts_table} WHERE {indexed.fts_table} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [match]))  # noqa: S611


def ensure_indexes(**kwargs) -> None:
    """Create the missing full-text indexes (post_migrate): idempotent on both databases."""
    for indexed in _REGISTRY.values():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {indexed.table}_fts_idx ON {indexed.table} "
                    f"USING gin (to_tsvector('simple', {indexed.column}))"
                )
            elif connection.vendor == "sqlite":
                _ensure_fts5(cursor, indexed)


TRIGGERS = ("ai", "ad", "au")


def _ensure_fts5(cursor, indexed: Indexed) -> None:
    """An external-content FTS5 table over the (scope and) column, and the triggers that keep it in
    step; an index of another shape (an older version) is dropped and rebuilt."""
    fts, table, columns = indexed.fts_table, indexed.table, indexed.fts_columns
    create = (
        f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [fts])
    existing = cursor.fetchone()
    if existing and existing[0] != create:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{name}")
        cursor.execute(f"DROP TABLE {fts}")
    if not existing or existing[0] != create:
        cursor.execute(create)
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
    old = ", ".join(f"old.{column}" for column in columns.split(", "))
    new = ", ".join(f"new.{column}" for column in columns.split(", "))
    delete = f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608
    insert = f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
    for name, event, body in zip(
        TRIGGERS,
        ("AFTER INSERT", "AFTER DELETE", f"AFTER UPDATE OF {columns}"),
        (insert, delete, delete + " " + insert),
        strict=True,
    ):
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_{name} {event} ON {table} BEGIN {body} END")
