"""The network fingerprint (`selectors.network_fingerprint`) kept in Django's cache under a
cheap change key, so that pages reading the stored network results do not scan every agreement
in force on each request (0.9 s at national size: 50,000 agreements, 35,000 pairs in force).
Every worker process (and host, with a shared CACHE_URL) reads the same entry.

The change key is the largest value of indexed columns that any change to the fingerprint's
inputs moves (core/change_keys.py): a new or changed agreement (its id, its history
record), a step (the event id), a reported tie, a user (organisations in focus) and the
registry of local governments. When it moved, the fingerprint is computed again; otherwise
the cached one is answered. The background task always computes the fingerprint itself.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

TIMEOUT = 24 * 3600  # an entry under a key that no longer moves is dropped after a day


def change_key() -> tuple:
    from citydiplomacy.accounts.models import User
    from citydiplomacy.agreements.models import Agreement, AgreementEvent
    from citydiplomacy.core.change_keys import latest
    from citydiplomacy.governments.selectors import REGISTRY_VERSION_COLUMNS
    from citydiplomacy.places.models import ReportedTie

    return latest((Agreement, "id"), (Agreement.history.model, "history_id"),
                  (AgreementEvent, "id"), (ReportedTie, "id"), (User, "id"),
                  *REGISTRY_VERSION_COLUMNS)


def current_fingerprint() -> str:
    from citydiplomacy.analytics.selectors import network_fingerprint

    key = "network-fingerprint:" + hashlib.sha256(repr(change_key()).encode()).hexdigest()[:32]
    fingerprint = cache.get(key)
    if fingerprint is None:
        fingerprint = network_fingerprint()
        cache.set(key, fingerprint, TIMEOUT)
    return fingerprint
