"""Queries over long lists of values, in chunks.

A filter such as ``pk__in=ids`` binds one SQL variable per value: after a large import
(hundreds of thousands of local governments) one such query breaks SQLite's variable limit
("too many SQL variables") and PostgreSQL's 65,535 parameters. Every query whose list of
values grows with the data goes through ``filter_in`` instead, which asks in chunks well
below every backend's limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# Below SQLite's historical default of 999 variables, leaving room for a query's other ones.
CHUNK_SIZE = 900


def chunked(values: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    """``values`` in lists of at most ``size``."""
    chunk: list = []
    for value in values:
        chunk.append(value)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def filter_in(queryset, field: str, values: Iterable, size: int = CHUNK_SIZE) -> Iterator:
    """The rows of ``queryset`` whose ``field`` is one of ``values`` (model instances, or
    whatever ``values()``/``values_list()`` on the queryset gives), asked chunk by chunk."""
    for chunk in chunked(dict.fromkeys(values), size):
        yield from queryset.filter(**{f"{field}__in": chunk})
