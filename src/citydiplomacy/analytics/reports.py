"""The annual report of an organisation for a year (HTML page and WeasyPrint PDF): its new,
renewed, suspended, ended and undated ties, the year's activities and their cost by area,
dormant ties, the timeline up to the year's end and a map of the partners
(`annual_report`); the years a report may be asked for (from the organisation's first
recorded tie to the current year); and the year's national-policy context (relations frozen,
restricted or without diplomatic ties during the year, e.g. the 2017 freeze with the
Netherlands)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Activity, CooperationArea
from citydiplomacy.agreements.rules import state_at
from citydiplomacy.agreements.timeline import timelines_of
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.analytics.selectors import organisation_agreements
from citydiplomacy.analytics.timelines import build_timeline
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.models import CountryRelation

EARLIEST_YEAR = 1950  # before any tie a Turkish municipality has recorded


def report_years(first_year: int | None, this_year: int) -> range:
    """The years an annual report can be asked for, oldest first."""
    start = max(EARLIEST_YEAR, min(first_year or this_year, this_year))
    return range(start, this_year + 1)


def policy_context(year: int) -> list[CountryRelation]:
    """The dated central-government relation statuses in force during `year` (long-standing
    ones without a start date are the standing policy, not the year's story)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(CountryRelation.objects.filter(valid_from__isnull=False, valid_from__lte=end)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
                .order_by("valid_from", "country_code"))


def annual_report(user, organisation: LocalGovernment, year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    agreements = organisation_agreements(user, organisation)
    timelines = timelines_of(agreements)
    new, renewed, suspended, terminated, expired, undated = [], [], [], [], [], []
    for agreement in agreements:
        points = timelines[agreement.pk]
        previous = None
        for day, state in points:
            if start <= day <= end:
                if state in (State.SIGNED, State.ACTIVE) and previous not in lifecycle.IN_FORCE:
                    if agreement.is_imported and agreement.signed_on is None:
                        undated.append(agreement)  # imported in force, start unknown: not new
                    else:
                        new.append((day, agreement))
                elif state == State.ACTIVE and previous in (State.SUSPENDED, State.EXPIRED):
                    renewed.append((day, agreement))
                elif state == State.SUSPENDED:
                    suspended.append((day, agreement))
                elif state == State.TERMINATED:
                    terminated.append((day, agreement))
                elif state == State.EXPIRED:
                    expired.append((day, agreement))
            previous = state
    activities = list(agreement_selectors.activities_for(user).filter(
        organisation=organisation, starts_on__gte=start, starts_on__lte=end))
    by_area = Counter(a.area or "" for a in activities if a.status == Activity.Status.HELD)
    area_labels = dict(CooperationArea.choices)
    cost = sum((a.cost_try or 0) for a in activities if a.status == Activity.Status.HELD)
    dormant = [row for row in agreement_selectors.agreement_rows(
        user, organisation=organisation.pk, as_of=end) if "dormant" in row.flags]
    in_force_end = [a for a in agreements if state_at(timelines[a.pk], end) in lifecycle.IN_FORCE]
    points = []
    for a in agreements:
        state = state_at(timelines[a.pk], end)
        place = coordinates(a.partner) if a.partner_id else None
        if state and place:
            points.append({"lat": place[0], "lng": place[1], "state": state,
                           "label": f"{a.partner_name} · {State(state).label}"})
    return {
        "organisation": organisation, "year": year,
        "new": sorted(new, key=lambda x: x[0]), "renewed": renewed,
        "suspended": suspended, "terminated": sorted(terminated, key=lambda x: x[0]),
        "expired": expired, "undated": undated,
        "activities": activities, "held": sum(1 for a in activities if a.status == Activity.Status.HELD),
        "by_area": [(str(area_labels.get(k, _("Unspecified"))), v) for k, v in by_area.most_common()],
        "cost": cost, "dormant": dormant, "in_force_end": len(in_force_end),
        "timeline": build_timeline(agreements, until=end),
        "map_points": points, "origin": coordinates(organisation),
        "cost_by_area": sorted(
            ((str(area_labels.get(k, _("Unspecified"))), v) for k, v in _costs(activities).items()),
            key=lambda x: -x[1]),
    }


def _costs(activities) -> dict:
    result: dict = defaultdict(float)
    for a in activities:
        if a.status == Activity.Status.HELD and a.cost_try:
            result[a.area or ""] += float(a.cost_try)
    return result
