"""The organisation's iCalendar feed: its reminders (anniversaries, expiries, renewals, waiting
permission requests) and its planned activities (delegations, events, projects), as all-day
events. Served by the web export and by the API's calendar feeds."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.agreements.models import Activity
from citydiplomacy.agreements.selectors import reminders, today


class _OrganisationReader:
    """A stand-in user that reads exactly one organisation (for the token-authenticated feed)."""

    is_authenticated = True
    is_active = True
    role = "viewer"

    def __init__(self, organisation_id: int):
        self.organisation_id = organisation_id


def _planned_activities(organisation, *, start: dt.date, end: dt.date):
    """Planned, not archived, and on a day between start and end (or spanning start)."""
    return (Activity.objects.filter(organisation=organisation, status=Activity.Status.PLANNED,
                                    archived_at__isnull=True, starts_on__lte=end)
            .filter(Q(starts_on__gte=start) | Q(ends_on__gte=start))
            .select_related("partner").order_by("starts_on", "pk"))


def calendar_ics(organisation, *, start: dt.date | None = None, days: int = 730) -> bytes:
    """The organisation's reminders and planned activities as an iCalendar feed."""
    from icalendar import Calendar, Event

    start = start or today() - dt.timedelta(days=30)
    end = start + dt.timedelta(days=days)
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//citydiplomacy//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{organisation.name} · citydiplomacy")
    for reminder in reminders(_OrganisationReader(organisation.pk), start=start, days=days):
        event = Event()
        event.add("uid", f"{reminder.kind}-{reminder.agreement_id}-{reminder.on.isoformat()}@citydiplomacy")
        event.add("summary", reminder.title)
        event.add("dtstart", reminder.on)
        event.add("dtend", reminder.on + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("categories", [reminder.kind])
        calendar.add_component(event)
    for activity in _planned_activities(organisation, start=start, end=end):
        event = Event()
        event.add("uid", f"activity-{activity.pk}@citydiplomacy")
        summary = activity.title
        if activity.partner_id:
            summary = _("%(title)s (with %(partner)s)") % {"title": activity.title, "partner": activity.partner.name}
        event.add("summary", summary)
        event.add("dtstart", activity.starts_on)
        event.add("dtend", (activity.ends_on or activity.starts_on) + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("status", "TENTATIVE")
        event.add("categories", ["activity", activity.kind])
        calendar.add_component(event)
    return calendar.to_ical()
