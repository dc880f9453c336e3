"""The pages that read the world network keep working after a large import (finding F5):
queries over the imported local governments are chunked below the database's variable
limit, and a real database error is answered 500, never "not reachable for a moment"."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection

from citydiplomacy.core.dberrors import is_outage
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.models import ImportBatch, ReportedTie

LIMIT = 999  # SQLite's historical default; the shared library here allows 250,000


@pytest.fixture
def low_variable_limit(db):
    """SQLite's variable limit lowered for this test, so that a few thousand imported local
    governments stand in for the 400,000 of a 200,000-row import."""
    if connection.vendor != "sqlite":
        pytest.skip("the variable limit is SQLite's")
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def _import_unplaced_ties(count: int) -> None:
    """What import-pairs leaves for unresolved names: local governments without coordinates."""
    batch = ImportBatch.objects.create(source="big.csv", sha256="0" * 64, rows_read=count)
    LocalGovernment.objects.bulk_create(
        [LocalGovernment(name=f"Nowhere {i}", raw_name=f"Nowhere {i}", raw_country="Atlantis",
                         is_unresolved=True) for i in range(2 * count)], batch_size=500)
    ids = sorted(LocalGovernment.objects.filter(is_unresolved=True).values_list("id", flat=True))
    ReportedTie.objects.bulk_create(
        [ReportedTie(low_id=ids[2 * i], high_id=ids[2 * i + 1], source="big.csv", batch=batch)
         for i in range(count)], batch_size=300)


def test_world_data_after_a_large_import(client_for, users, low_variable_limit, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _import_unplaced_ties(1500)  # 3,000 local governments without coordinates > LIMIT
    from citydiplomacy.analytics.tasks import refresh_network_results

    refresh_network_results.call()  # what the background worker runs after an import
    response = client_for("viewer").get("/analytics/world/data.json")
    assert response.status_code == 200
    data = response.json()
    assert data["ties"] == 1500 and data["unplaced_ties"] == 1500


def test_a_real_database_error_is_500_not_an_outage(client_for, users, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client = client_for("viewer")
    client.raise_request_exception = False

    def broken(self):
        raise OperationalError("too many SQL variables")

    monkeypatch.setattr(SessionStore, "load", broken)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 500 and "Retry-After" not in page
    assert b"not reachable" not in page.content


def _wrapped(cause: BaseException) -> OperationalError:
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as exc:
        return exc


def _pg(sqlstate: str, message: str) -> OperationalError:
    """A psycopg error of that SQLSTATE as Django raises it."""
    return _wrapped(psycopg.errors.lookup(sqlstate)(message))


@pytest.mark.parametrize(("exc", "outage"), [
    (_wrapped(sqlite3.OperationalError("database is locked")), True),
    (_wrapped(sqlite3.OperationalError("unable to open database file")), True),
    (_wrapped(sqlite3.OperationalError("too many SQL variables")), False),
    (_wrapped(sqlite3.OperationalError("no such column: x")), False),
    (_pg("57P01", "terminating connection due to administrator command"), True),
    (_pg("57P03", "the database system is starting up"), True),
    (_pg("08006", "connection failure"), True),
    (_pg("57014", "canceling statement due to statement timeout"), False),
    (_wrapped(psycopg.OperationalError(
        "sending query and params failed: number of parameters must be between 0 and 65535")), False),
    (_wrapped(psycopg.OperationalError("connection failed: Connection refused")), True),
    (InterfaceError("connection already closed"), True),
    (ZeroDivisionError("x"), False),
])
def test_outage_or_real_error(exc, outage):
    assert is_outage(exc) is outage
