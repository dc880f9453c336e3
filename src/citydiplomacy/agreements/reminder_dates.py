"""What an agreement reminds of between two dates: its anniversaries (5th, 10th, … 100th, for
a signing date known to the day), its expiry or renewal, and a ministry permission request
waiting longer than CITYDIPLOMACY_PERMISSION_WAIT_DAYS (90). `selectors.reminders` picks the
agreements a user reads; the iCal feed, the API, the dashboard and the e-mailed notices
(`reminder_notices`) show the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import DatePrecision
from citydiplomacy.agreements.rules import add_years

ANNIVERSARIES = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90, 100)


def permission_wait_days() -> int:
    return int(getattr(settings, "CITYDIPLOMACY_PERMISSION_WAIT_DAYS", 90))


@dataclass
class Reminder:
    kind: str  # anniversary | expiry | renewal | permission_waiting
    on: dt.date
    title: str
    agreement_id: int
    organisation_id: int



def reminders_in(queryset, *, start: dt.date, end: dt.date) -> list[Reminder]:
    """The reminders of these agreements between `start` and `end` (see `reminders`)."""
    found: list[Reminder] = []
    for a in queryset:
        name = a.partner_name
        if a.state in lifecycle.IN_FORCE and a.signed_on and a.signed_on_precision == DatePrecision.DAY:
            for years in ANNIVERSARIES:
                if not start.year <= a.signed_on.year + years <= end.year:
                    continue  # that anniversary falls outside the window
                day = add_years(a.signed_on, years)
                if start <= day <= end:
                    found.append(Reminder("anniversary", day, _("%(years)sth anniversary of the tie with %(partner)s") % {
                        "years": years, "partner": name}, a.pk, a.organisation_id))
        if a.state in lifecycle.IN_FORCE and a.expires_on and start <= a.expires_on <= end:
            kind = "renewal" if a.renewal != "none" else "expiry"
            label = (_("Renewal due: agreement with %(partner)s") if kind == "renewal"
                     else _("Agreement with %(partner)s expires"))
            found.append(Reminder(kind, a.expires_on, label % {"partner": name}, a.pk, a.organisation_id))
        if a.state == State.PERMISSION_REQUESTED and a.permission_requested_on:
            due = a.permission_requested_on + dt.timedelta(days=permission_wait_days())
            if due <= end:
                found.append(Reminder("permission_waiting", max(due, start), _(
                    "Ministry permission for the tie with %(partner)s requested on %(date)s is still awaited") % {
                        "partner": name, "date": a.permission_requested_on.isoformat()}, a.pk, a.organisation_id))
    return sorted(found, key=lambda r: (r.on, r.kind, r.agreement_id))

