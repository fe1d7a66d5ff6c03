"""Plain multi-row INSERTs for bulk loads (the geography import, the bench's synthetic data).

The ORM's bulk_create builds and compiles a model instance per row, which costs about ten times
more on 100,000+ rows (docs/decisions/0002). Table and column names come from the models.
These inserts bypass save() and signals: use them only for loads that need neither.
"""

from django.db import connection, models

BATCH = 10_000


def insert_rows(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(field).column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
