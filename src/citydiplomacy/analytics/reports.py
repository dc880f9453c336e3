"""What the annual report needs beside its figures: the years it may be asked for (from the
organisation's first recorded tie to the current year) and the year's national-policy context
(relations frozen, restricted or without diplomatic ties during the year, e.g. the 2017 freeze
with the Netherlands)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

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
