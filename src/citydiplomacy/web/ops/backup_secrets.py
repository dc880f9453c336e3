"""What a backup leaves out: the credentials that let whoever holds a copy act as a user.

- API tokens (django-rest-knox; stored hashed, but a hash is still a lookup key to protect),
- web sessions (a session key is a signed-in browser),
- calendar feed tokens (the secret address of an organisation's iCal feed).

Password hashes stay (without them nobody could sign in after a restore). Restoring a backup
therefore empties those tables: everybody signs in again, API clients ask POST /api/auth/token/
for a new token, and each organisation makes a new calendar feed address (POST /api/calendar/feed/).
"""

from __future__ import annotations

SECRET_TABLES = frozenset({"knox.authtoken", "sessions.session", "agreements.calendarfeed"})

RESTORE_NOTE = ("API tokens, web sessions and calendar feed addresses are never in a backup: "
                "users sign in again, API clients ask for a new token (POST /api/auth/token/), "
                "and each organisation makes a new calendar feed address (POST /api/calendar/feed/).")


def is_secret(model_or_label) -> bool:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    return label in SECRET_TABLES
