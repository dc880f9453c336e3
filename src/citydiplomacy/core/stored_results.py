"""Stored results of heavy computations (network statistics, the world network map, ...):
computed by background tasks (django-tasks with the database backend, run by `db_worker`)
when their inputs change, kept in Django's cache framework, and read by pages that never
compute them inside a request.

Storage: the `results` cache (settings.CACHES; a database table, so that web workers and task
workers on any host see the same entries). Each kind of result is ONE cache entry holding the
key of the inputs it was computed from (`inputs`, e.g. the network fingerprint), when it was
computed and the value; a new result replaces the entry with one `set` (one row written in
one statement), so a reader sees the previous result or the new one, never half of one.

Reading: `read(kind, inputs, task)` answers a `Stored`: the value held (or None), its date,
and `updating` when the held value was computed from other inputs than today's (or there is
none). Then the task is enqueued unless one for the same kind is already waiting or running
(`request_refresh`). A page shows what there is with a "being updated" note and never waits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

RESULTS_CACHE = "results"
FOREVER = None  # stored results do not expire; a newer one replaces them


@dataclass(frozen=True)
class Stored:
    """A stored result as a page sees it."""

    value: Any | None
    computed_at: dt.datetime | None
    updating: bool

    @property
    def ready(self) -> bool:
        return self.value is not None


def _cache():
    return caches[RESULTS_CACHE]


def _key(kind: str) -> str:
    return f"result:{kind}"


def held(kind: str) -> dict | None:
    """The stored entry of `kind` ({"inputs", "computed_at", "value"}) or None."""
    return _cache().get(_key(kind))


def write(kind: str, inputs: str, value: Any) -> dt.datetime:
    """Store `value` as the result of `kind` computed from `inputs` (replaces the previous
    entry in one write)."""
    now = timezone.now()
    _cache().set(_key(kind), {"inputs": inputs, "computed_at": now, "value": value}, FOREVER)
    return now


def read(kind: str, inputs: str, task=None, *args) -> Stored:
    """The result of `kind` for `inputs`; if it is absent or older, what is held (if anything)
    with `updating=True`, and the refresh `task` (called with `args`) is enqueued."""
    entry = held(kind)
    if entry is not None and entry.get("inputs") == inputs:
        return Stored(entry["value"], entry["computed_at"], False)
    if task is not None:
        request_refresh(task, *args)
    if entry is None:
        return Stored(None, None, True)
    return Stored(entry["value"], entry["computed_at"], True)


# --- tasks ---------------------------------------------------------------------------------
def pending(task, *args) -> bool:
    """Is a run of `task` with these arguments waiting or running?"""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=("READY", "RUNNING"),
        args_kwargs={"args": list(args), "kwargs": {}}).exists()


def request_refresh(task, *args) -> bool:
    """Enqueue `task(*args)` unless a run is already waiting or running. True if enqueued."""
    if pending(task, *args):
        return False
    task.enqueue(*args)
    return True


def refresh_after_commit(task, *args) -> None:
    """Enqueue `task(*args)` when the current transaction commits (services call this when
    they change a result's inputs: the worker then recomputes before anyone asks)."""
    transaction.on_commit(lambda: request_refresh(task, *args))
