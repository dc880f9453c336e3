"""What a national relation status means for a tie: the one home of the derived policy flags.

Pure Python (no queries). Every reader that shows whether a tie is blocked by national
policy — the registry rows and their flags (web, API, CSV/XLSX exports), the dashboard
alerts, the compliance audit, the impact analysis and the recommender — asks here:

- a *blocking* status (frozen, no diplomatic relations) stops new ties and puts ties in
  force under review;
- `needs_review`: a tie in force with a partner whose country (or region) has a blocking
  status on the day asked — always computed for that day, never stored;
- `policy_blocked`: a tie on its way (not yet signed) under a blocking status;
- `restricted`: a tie on its way or in force under a restricted status (an extra central
  approval, the policy clearance reference, is needed before the next gated step).

The lifecycle gate that refuses the steps themselves is `agreements.lifecycle._policy`.
`in_force_on` is the one rule for a dated row (a relation, a permitting authority) holding
on a day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from citydiplomacy.policy.models import BLOCKING_STATUSES, RelationStatus

POLICY_FLAGS = ("needs_review", "policy_blocked", "restricted")


def in_force_on(row: Any, day: dt.date) -> bool:
    """True when a dated row (valid_from/valid_to, blank = open, both inclusive) holds on `day`."""
    return (row.valid_from is None or row.valid_from <= day) and (
        row.valid_to is None or day <= row.valid_to)


def blocks(status: str | None) -> bool:
    """True when the status stops new ties (frozen, no diplomatic relations)."""
    return status in BLOCKING_STATUSES


def needs_clearance(status: str | None) -> bool:
    """True when the status asks for an extra central approval before the gated steps."""
    return status == RelationStatus.RESTRICTED


def policy_flags(status: str | None, *, in_force: bool, in_progress: bool) -> list[str]:
    """The policy flags of a tie in force / on its way under `status` (see the module doc)."""
    flags = []
    if in_force and blocks(status):
        flags.append("needs_review")
    if in_progress and blocks(status):
        flags.append("policy_blocked")
    if needs_clearance(status) and (in_force or in_progress):
        flags.append("restricted")
    return flags


def review_note(relation) -> str:
    """Why a tie needs review: "<area>: <status> since <date> — review this tie."."""
    if relation is None or not blocks(relation.status):
        return ""
    return _("%(country)s: %(status)s since %(date)s — review this tie.") % {
        "country": relation.area_code, "status": relation.get_status_display(),
        "date": relation.valid_from or "…"}
