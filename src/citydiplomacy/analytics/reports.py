"""The annual report around its figures (analytics.selectors.annual_report): the years it may
be asked for (from the organisation's first recorded tie to the current year), the year's
national-policy context (relations frozen, restricted or without diplomatic ties during the
year, e.g. the 2017 freeze with the Netherlands) and the context its page and its PDF are
rendered from (`report_context`: the same for a request and for the background task that
produces the PDF, analytics/report_pdf.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

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


def report_context(reader, organisation, year: int, *, pdf: bool = False) -> dict:
    """What the report's templates show: the figures `reader` reads of `organisation` in
    `year`, the charts and the map (its land as an image in a PDF). Raises NoReportForYear
    for a year outside the organisation's valid range."""
    from citydiplomacy.analytics import charts, selectors
    from citydiplomacy.analytics.geo import world_svg

    this_year = selectors.today().year
    check_year_range(year, this_year)
    report = selectors.annual_report(reader, organisation, year)
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
