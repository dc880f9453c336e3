"""Timelines of ties over the years (analytics page "Timeline" and the annual report): new
ties, suspensions, ends and ties active at each year's end, by instrument and decade, from
each tie's recorded steps (`agreements.timeline`); which ties a timeline covers (an
organisation's, a country's, or all the user may see); the world network's reported ties,
which carry no dates, counted by country."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.rules import state_at
from citydiplomacy.agreements.timeline import timelines_of
from citydiplomacy.analytics.selectors import cross_organisation_agreements, today
from citydiplomacy.governments.models import LocalGovernment


@dataclass
class Timeline:
    years: list[int]
    new: list[int]
    suspended: list[int]
    terminated: list[int]
    expired: list[int]
    active_end: list[int]
    new_by_instrument: dict[str, list[int]]
    decades: list[str]
    decade_by_instrument: dict[str, list[int]]
    by_status: list[tuple[str, int]]
    by_instrument: list[tuple[str, int]]
    ever_in_force: int
    active_now: int
    unknown_start: int = 0

    @property
    def share_active(self) -> float | None:
        return round(100 * self.active_now / self.ever_in_force, 1) if self.ever_in_force else None

    def rows(self):
        return [{"year": y, "new": self.new[i], "suspended": self.suspended[i],
                 "terminated": self.terminated[i], "expired": self.expired[i],
                 "active_end": self.active_end[i]} for i, y in enumerate(self.years)]


def build_timeline(agreements: list[Agreement], *, until: dt.date | None = None) -> Timeline:
    until = until or today()
    timelines = timelines_of(agreements)
    start_year = {}
    unknown_start = 0
    events: dict[str, Counter] = {k: Counter() for k in ("suspended", "terminated", "expired")}
    for agreement in agreements:
        points = [(d, s) for d, s in timelines[agreement.pk] if d <= until]
        started = [d for d, s in points if s in lifecycle.IN_FORCE]
        if started:
            known = agreement.signed_on or agreement.effective_on
            if known is None and agreement.is_imported:
                unknown_start += 1  # imported without a date: its import day is no start
            else:
                start_year[agreement.pk] = min(known or min(started), until).year
        for day, state in points:
            if state in events:
                events[state][day.year] += 1
    years_seen = set(start_year.values()) | {y for c in events.values() for y in c}
    first = min(years_seen) if years_seen else until.year
    years = list(range(first, until.year + 1))
    new = Counter(start_year.values())
    active_end = []
    for year in years:
        day = min(dt.date(year, 12, 31), until)
        active_end.append(sum(1 for a in agreements if state_at(timelines[a.pk], day) == State.ACTIVE))
    instruments = sorted({a.instrument for a in agreements if a.pk in start_year})
    by_instr = {i: [0] * len(years) for i in instruments}
    decades = sorted({f"{(y // 10) * 10}s" for y in start_year.values()})
    by_decade = {i: [0] * len(decades) for i in instruments}
    for agreement in agreements:
        if agreement.pk in start_year:
            year = start_year[agreement.pk]
            by_instr[agreement.instrument][years.index(year)] += 1
            by_decade[agreement.instrument][decades.index(f"{(year // 10) * 10}s")] += 1
    statuses = Counter(a.state for a in agreements)
    return Timeline(
        years=years, new=[new[y] for y in years],
        suspended=[events["suspended"][y] for y in years],
        terminated=[events["terminated"][y] for y in years],
        expired=[events["expired"][y] for y in years], active_end=active_end,
        new_by_instrument={str(Instrument(i).label): v for i, v in by_instr.items()},
        decades=decades,
        decade_by_instrument={str(Instrument(i).label): v for i, v in by_decade.items()},
        by_status=[(str(State(s).label), n) for s, n in statuses.most_common()],
        by_instrument=[(str(Instrument(i).label), n)
                       for i, n in Counter(a.instrument for a in agreements).most_common()],
        ever_in_force=len(start_year) + unknown_start,
        active_now=sum(1 for a in agreements if state_at(timelines[a.pk], until) == State.ACTIVE),
        unknown_start=unknown_start,
    )


def timeline_agreements(user, *, scope: str, organisation: LocalGovernment | None = None,
                        country: str = "") -> list[Agreement]:
    queryset = cross_organisation_agreements(user).prefetch_related("events")
    if scope == "organisation" and organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    elif scope == "country":
        queryset = queryset.filter(organisation__country_code=country.upper()[:2])
    return list(queryset)


def reported_ties_by_country(limit: int = 20) -> list[tuple[str, int]]:
    """The world network's reported ties carry no dates: counted by country instead."""
    from citydiplomacy.places.models import ReportedTie

    counts = Counter()
    for low, high in ReportedTie.objects.values_list("low__country_code", "high__country_code").iterator(
            chunk_size=20000):
        counts[low or "?"] += 1
        if high != low:
            counts[high or "?"] += 1
    return counts.most_common(limit)
