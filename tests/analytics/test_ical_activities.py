"""The iCal feed carries planned activities (not held, cancelled or archived ones) besides the
reminders, and still parses."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.django_db
def test_ical_carries_planned_activities(client_for, ibb_relations, istanbul):
    from django.utils import timezone
    from icalendar import Calendar

    from citydiplomacy.agreements.models import Activity

    tie = ibb_relations.filter(state="active", partner__isnull=False).first()
    soon = timezone.localdate() + dt.timedelta(days=20)
    common = {"organisation": istanbul, "agreement": tie, "partner": tie.partner, "kind": "delegation"}
    Activity.objects.create(title="Heyet ziyareti şğİ", starts_on=soon, ends_on=soon + dt.timedelta(days=2),
                            status="planned", **common)
    Activity.objects.create(title="Held festival", starts_on=soon, status="held", **common)
    Activity.objects.create(title="Archived plan", starts_on=soon, status="planned",
                            archived_at=timezone.now(), **common)
    Activity.objects.create(title="Long past plan", starts_on=soon - dt.timedelta(days=400),
                            status="planned", **common)
    calendar = Calendar.from_ical(client_for("viewer").get("/analytics/export/reminders.ics").content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    planned = [e for s, e in events.items() if s.startswith("Heyet ziyareti şğİ")]
    assert len(planned) == 1 and tie.partner.name in str(planned[0]["summary"])
    assert planned[0].decoded("dtstart") == soon
    assert planned[0].decoded("dtend") == soon + dt.timedelta(days=3)
    assert not any(s.startswith(("Held festival", "Archived plan", "Long past plan")) for s in events)
