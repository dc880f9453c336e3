"""Derived rules of the agreements registry that every reader shares (pure, no queries):
year-precision date arithmetic, the state of a tie on a day from its dated timeline, and
dormancy. The registry rows (web, API, exports), the dashboard, the reminders, the
reports and the health score all ask here; the policy flags live in `policy.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.conf import settings

from citydiplomacy.agreements.lifecycle import State


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years (negative: back); 29 February falls on 28 February."""
    return day + relativedelta(years=years)


def state_at(points: Iterable[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The state in force on `day` from a timeline's (date, state) points in recorded order
    (the last point on or before the day wins); None before the first point."""
    current = None
    for point_day, state in points:
        if point_day <= day:
            current = state
    return current


def dormancy_years() -> int:
    return int(getattr(settings, "CITYDIPLOMACY_DORMANCY_YEARS", 3))


def dormancy_cutoff(day: dt.date) -> dt.date:
    """An active tie started on or before this date without a held activity since is dormant."""
    return add_years(day, -dormancy_years())


def is_dormant(state: str, *, started_on: dt.date | None, last_activity: dt.date | None,
               day: dt.date) -> bool:
    """Active, started at least `dormancy_years()` before `day`, and no held activity since."""
    if state != State.ACTIVE or started_on is None:
        return False
    cutoff = dormancy_cutoff(day)
    return started_on <= cutoff and (last_activity is None or last_activity < cutoff)
