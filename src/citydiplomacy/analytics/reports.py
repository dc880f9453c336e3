"""The annual report of an organisation for a year (HTML page and WeasyPrint PDF): its new,
renewed, suspended, ended and undated ties, the year's activities and their cost by area,
dormant ties, the timeline up to the year's end and a map of the partners
(`annual_report`); the years a report may be asked for (from the organisation's first
recorded tie to the current year); the year's national-policy context (relations frozen,
restricted or without diplomatic ties during the year, e.g. the 2017 freeze with the
Netherlands); and the context its page and its PDF are rendered from (`report_context`: the
same for a request and for the background task that produces the PDF, analytics/report_pdf.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Q
from django.http import Http404
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
# Years a report can be asked for at most: the oldest twinnings are from the 1940s; none lies in the future.
FIRST_REPORT_YEAR = 1900


class NoReportForYear(Http404):
    """A year outside the valid range: the 404 page says which years there are."""


def no_report(year: int, first: int, last: int) -> NoReportForYear:
    return NoReportForYear(_("There is no annual report for %(year)s: choose a year from %(first)s to %(last)s.") % {
        "year": year, "first": first, "last": last})


def check_year_range(year: int, this_year: int) -> None:
    """Refuse, before any work, a year no report can cover."""
    if not FIRST_REPORT_YEAR <= year <= this_year:
        raise no_report(year, FIRST_REPORT_YEAR, this_year)


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


def report_context(reader, organisation, year: int, *, pdf: bool = False) -> dict:
    """What the report's templates show: the figures `reader` reads of `organisation` in
    `year`, the charts and the map (its land as an image in a PDF). Raises NoReportForYear
    for a year outside the organisation's valid range."""
    from citydiplomacy.analytics import charts, selectors
    from citydiplomacy.analytics.geo import world_svg

    this_year = selectors.today().year
    check_year_range(year, this_year)
    report = annual_report(reader, organisation, year)
    timeline = report["timeline"]
    valid_years = report_years(timeline.years[0] if timeline.years else None, this_year)
    if year not in valid_years:
        raise no_report(year, valid_years[0], valid_years[-1])
    years = [str(y) for y in timeline.years]
    return {
        "report": report, "organisation": organisation, "year": year,
        "report_years": list(reversed(valid_years)), "policy_context": policy_context(year),
        "map_svg": world_svg(report["origin"], report["map_points"],
                             title=_("Partners of %(name)s at the end of %(year)s") % {
                                 "name": organisation.name, "year": year}, raster_land=pdf),
        "chart_events": charts.stacked_bars(years, [
            (_("New"), timeline.new), (_("Suspended"), timeline.suspended),
            (_("Terminated"), timeline.terminated), (_("Expired"), timeline.expired)],
            title=_("New, suspended and terminated ties per year")),
        "chart_areas": charts.horizontal_bars(report["by_area"], title=_("Activities by area")),
    }
