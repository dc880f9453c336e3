"""The network fingerprint (`selectors.network_fingerprint`) held per process under a cheap
change key, so that pages reading the stored network results do not scan every agreement in
force on each request (0.9 s at national size: 50,000 agreements, 35,000 pairs in force).

The change key is the largest value of indexed columns that any change to the fingerprint's
inputs moves (web/ops/change_keys.py): a new or changed agreement (its id, its history
record), a step (the event id), a reported tie, a user (organisations in focus) and the
registry of local governments. When it moved, the fingerprint is computed again; otherwise
the held one is answered. The background task always computes the fingerprint itself.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_HELD: list = [None, None]  # [change key, fingerprint]


def change_key() -> tuple:
    from citydiplomacy.accounts.models import User
    from citydiplomacy.agreements.models import Agreement, AgreementEvent
    from citydiplomacy.governments.selectors import REGISTRY_VERSION_COLUMNS
    from citydiplomacy.places.models import ReportedTie
    from citydiplomacy.web.ops.change_keys import latest

    return latest((Agreement, "id"), (Agreement.history.model, "history_id"),
                  (AgreementEvent, "id"), (ReportedTie, "id"), (User, "id"),
                  *REGISTRY_VERSION_COLUMNS)


def current_fingerprint() -> str:
    from citydiplomacy.analytics.selectors import network_fingerprint

    key = change_key()
    with _lock:
        if _HELD[0] == key:
            return _HELD[1]
    fingerprint = network_fingerprint()
    with _lock:
        _HELD[:] = [key, fingerprint]
    return fingerprint


def forget() -> None:
    """Drop the held fingerprint (tests: ids repeat after a rollback)."""
    with _lock:
        _HELD[:] = [None, None]
