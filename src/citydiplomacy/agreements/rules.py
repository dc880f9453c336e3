"""Derived rules of the agreements registry that every reader shares (pure, no queries):
the flag vocabulary (names, labels, badge level), year-precision date arithmetic, the state
of a tie on a day from its dated timeline, and dormancy. The registry rows (web, API, exports), the dashboard, the reminders, the
reports and the health score all ask here; the policy flags live in `policy.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citydiplomacy.agreements.lifecycle import State


class Flag(models.TextChoices):
    """What a registry row may be flagged with (computed for a day, never stored)."""

    IMPORTED = "imported", _("imported, steps not recorded")
    NEEDS_REVIEW = "needs_review", _("needs review")
    POLICY_BLOCKED = "policy_blocked", _("blocked by national policy")
    RESTRICTED = "restricted", _("restricted by national policy")
    DORMANT = "dormant", _("dormant")
    YEAR_ONLY_DATE = "year_only_date", _("year only")
    ARCHIVED = "archived", _("archived")


BAD_FLAGS = frozenset({Flag.NEEDS_REVIEW, Flag.POLICY_BLOCKED})  # badge levels
WARN_FLAGS = frozenset({Flag.IMPORTED, Flag.DORMANT, Flag.RESTRICTED})


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
