"""Which database errors are an outage (answered 503 with Retry-After: the request may simply
be repeated) and which are real errors (answered 500, and logged as such).

Django raises ``OperationalError`` for both: a server restarting or a SQLite write lock held
too long, but also "too many SQL variables" or a statement timeout. Only the first kind is an
outage; reporting a real error as "not reachable for a moment" hides a bug behind a retry
that fails the same way every time (finding F5).
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# PostgreSQL SQLSTATE classes and codes of an unreachable or restarting server:
# 08 connection exception, 53 insufficient resources (too many connections),
# 57P01-57P05 admin/crash shutdown, cannot connect now, idle session timeout.
OUTAGE_SQLSTATE_PREFIXES = ("08", "53", "57P")
# Messages of an outage when the driver gives no SQLSTATE (SQLite; psycopg's connection
# failures): lower-case fragments.
OUTAGE_MESSAGES = (
    "database is locked", "database table is locked", "unable to open database",
    "could not connect", "connection refused", "connection failed", "connection timed out",
    "server closed the connection", "connection is closed", "connection already closed",
    "terminating connection", "the database system is", "no connection to the server",
)


def is_outage(exc: BaseException | None) -> bool:
    """True when ``exc`` means the database cannot be reached for now."""
    if isinstance(exc, InterfaceError):  # the connection is gone
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(OUTAGE_SQLSTATE_PREFIXES)
    message = str(exc).lower()
    return any(fragment in message for fragment in OUTAGE_MESSAGES)
