"""Change keys for the per-process caches of read-heavy pages: the largest value of a few
indexed columns (ids, history ids, timestamps), read in one query. A new, edited or deleted
record moves one of them; reading them costs index lookups, not a scan."""

from __future__ import annotations

from django.db import connection


def latest(*columns: tuple[type, str]) -> tuple:
    """MAX(column) of each (model, column) in one query; the columns should be indexed."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT MAX({quote(model._meta.get_field(name).column)}) "
                                f"FROM {quote(model._meta.db_table)})" for model, name in columns)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())
