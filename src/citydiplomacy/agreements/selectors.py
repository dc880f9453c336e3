"""Reads over the agreements registry, scoped to what the user may see.

- `agreements_for` / `get_agreement`: querysets and objects (another organisation's → 404).
- `agreement_rows`: the registry list with state and flags, now or *as of* a past date
  (the state on a date is derived from the event log and, for imported records, from the
  dates known at import — see `timeline`).
- `policy_impact`: "if country X becomes status S on date D", without saving anything.
- `dormant_agreements`, `reminders`, `alerts_for`: monitoring (the iCal feed is agreements/ical.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import (
    Activity,
    Agreement,
    AgreementEvent,
    DatePrecision,
    Document,
    InternationalOrganisation,
)
from citydiplomacy.agreements.partner_country import policy_country_of
from citydiplomacy.agreements.rules import add_years, is_dormant, state_at
from citydiplomacy.places.countries import country_name
from citydiplomacy.policy import rules as policy_rules
from citydiplomacy.policy.models import CountryRelation, RelationStatus
from citydiplomacy.policy.selectors import PolicyIndex

ANNIVERSARIES = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90, 100)


def permission_wait_days() -> int:
    return int(getattr(settings, "CITYDIPLOMACY_PERMISSION_WAIT_DAYS", 90))


def today() -> dt.date:
    return timezone.localdate()


# --- agreements ------------------------------------------------------------------------------
def agreements_for(user, *, include_archived: bool = False) -> QuerySet[Agreement]:
    queryset = Agreement.objects.select_related("organisation", "partner", "partner_organisation",
                                                "permitting_authority")
    if permissions.reads_requested_agreements_only(user):
        queryset = queryset.filter(pk__in=AgreementEvent.objects.filter(
            to_state=State.PERMISSION_REQUESTED).values("agreement_id"))
    else:
        queryset = permissions.scope_to_readable(queryset, user)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.order_by("organisation__name", "-signed_on", "id")


def get_agreement(user, pk: int) -> Agreement:
    # no ORDER BY for one primary key: the registry order joins the organisation table and
    # compiling it was a fifth of an agreement request's CPU
    found = list(agreements_for(user, include_archived=True).filter(pk=pk).order_by()[:1])
    if not found:
        raise Http404
    return found[0]


def events_of(agreement: Agreement) -> QuerySet[AgreementEvent]:
    return agreement.events.select_related("actor", "document").order_by("recorded_at", "id")


def documents_of(agreement: Agreement) -> QuerySet[Document]:
    return agreement.documents.order_by("uploaded_at", "id")


def international_organisations() -> QuerySet[InternationalOrganisation]:
    return InternationalOrganisation.objects.order_by("name")


def _import_snapshots(agreements) -> dict[int, object]:
    """The historical record each imported agreement was created with (dates known at import)."""
    ids = [a.pk for a in agreements if a.is_imported]
    if not ids:
        return {}
    snapshots = {}
    for record in Agreement.history.filter(id__in=ids, history_type="+").order_by("history_date").only(
            "id", "history_date", "state", "council_decision_on", "signed_on", "ended_on"):
        snapshots.setdefault(record.id, record)
    return snapshots


def _import_dates(agreements) -> dict[int, SimpleNamespace]:
    """Like `_import_snapshots`, but only the date of each creation record (`history_date`)."""
    ids = [a.pk for a in agreements if a.is_imported]
    if not ids:
        return {}
    dates: dict[int, SimpleNamespace] = {}
    for pk, history_date in Agreement.history.filter(id__in=ids, history_type="+").order_by(
            "history_date").values_list("id", "history_date"):
        dates.setdefault(pk, SimpleNamespace(history_date=history_date))
    return dates


def timeline(agreement: Agreement, events=None, snapshot=None) -> list[tuple[dt.date, str]]:
    """(date, state) points in order. For records entered step by step these are the events;
    an imported record contributes the dates known at import (council decision, signing,
    end), then its known state on the import date if no dated step reached it."""
    events = list(events if events is not None else agreement.events.order_by("recorded_at", "id"))
    points: list[tuple[dt.date, str]] = []
    if agreement.is_imported:
        snapshot = snapshot or _import_snapshots([agreement]).get(agreement.pk)
        final = snapshot.state if snapshot else agreement.state
        if snapshot is not None:
            if snapshot.council_decision_on:
                points.append((snapshot.council_decision_on,
                               State.COUNCIL_REJECTED if final == State.COUNCIL_REJECTED
                               else State.COUNCIL_APPROVED))
            if snapshot.signed_on:
                points.append((snapshot.signed_on, State.ACTIVE if final in (
                    State.ACTIVE, State.SUSPENDED, State.EXPIRED, State.TERMINATED) else State.SIGNED))
            if snapshot.ended_on:
                points.append((snapshot.ended_on, final))
            points.sort(key=lambda p: p[0])
            if not points or points[-1][1] != final:
                points.append((timezone.localtime(snapshot.history_date).date(), final))
    for event in events:
        if event.kind == AgreementEvent.Kind.IMPORTED:
            continue
        day = event.occurred_on or timezone.localtime(event.recorded_at).date()
        points.append((day, event.to_state))
    return points


def state_on(agreement: Agreement, day: dt.date, events=None, snapshot=None) -> str | None:
    """The agreement's state on `day`, or None when it did not (yet) exist in the record."""
    return state_at(timeline(agreement, events, snapshot), day)


@dataclass
class AgreementRow:
    agreement: Agreement
    state: str
    flags: list[str] = field(default_factory=list)
    as_of: dt.date | None = None
    last_activity_on: dt.date | None = None
    relation: CountryRelation | None = None  # the policy row judging the partner on the day

    @property
    def needs_review(self) -> bool:
        return "needs_review" in self.flags

    @property
    def review_note(self) -> str:
        """Why the tie needs review ("" when it does not): computed, never stored."""
        return policy_rules.review_note(self.relation) if self.needs_review else ""

    @property
    def state_label(self) -> str:
        """The state's name in the active language ("" for an unknown state)."""
        return str(State(self.state).label) if self.state in State.values else ""

    @property
    def country_label(self) -> str:
        """The partner's country as national policy sees it (XC for the north of Cyprus, the
        seat of a partner organisation), named in the active language; "" when unknown."""
        return country_name(policy_country_of(self.agreement))


def _last_held_activity(agreement_ids, day: dt.date) -> dict[int, dt.date]:
    rows = (Activity.objects.filter(agreement_id__in=agreement_ids, archived_at__isnull=True,
                                    status=Activity.Status.HELD, starts_on__lte=day)
            .values("agreement_id").annotate(last=Max("starts_on")))
    return {row["agreement_id"]: row["last"] for row in rows}


def _start_of(agreement: Agreement, snapshot) -> dt.date | None:
    if agreement.effective_on or agreement.signed_on:
        return agreement.effective_on or agreement.signed_on
    if snapshot is not None:
        return timezone.localtime(snapshot.history_date).date()
    return None


def policy_relation_of(agreement: Agreement, day: dt.date, index: PolicyIndex) -> CountryRelation | None:
    """The policy row judging the agreement's partner (its region's or country's) on `day`."""
    partner = None if agreement.partner_organisation_id else agreement.partner
    return index.relation_for(partner, day, country_code=policy_country_of(agreement))


def flags_for(agreement: Agreement, state: str, day: dt.date, relation: CountryRelation | None, *,
              last_activity: dt.date | None, snapshot=None) -> list[str]:
    flags = []
    if agreement.is_imported:
        flags.append("imported")
    flags += policy_rules.policy_flags(relation.status if relation else RelationStatus.NORMAL,
                                       in_force=state in lifecycle.IN_FORCE,
                                       in_progress=state in lifecycle.IN_PROGRESS)
    if is_dormant(state, started_on=_start_of(agreement, snapshot), last_activity=last_activity, day=day):
        flags.append("dormant")
    if agreement.signed_on_precision == DatePrecision.YEAR:
        flags.append("year_only_date")
    if agreement.archived_at:
        flags.append("archived")
    return flags


class LazyRows(Sequence):
    """Registry rows computed only for the part asked for: `len()` counts in the database and
    a slice (a page) reads just those agreements and computes their state and flags."""

    def __init__(self, queryset: QuerySet[Agreement], build):  # build(list of agreements) -> rows
        self._queryset, self._build, self._count = queryset, build, None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(list(self._queryset[index]))
        rows = self._build(list(self._queryset[index:index + 1])) if index >= 0 else []
        if not rows:
            raise IndexError(index)
        return rows[0]


def _rows(agreements: list[Agreement], *, as_of: dt.date | None, index: PolicyIndex | None = None,
          status: str | None = None, flag: str | None = None,
          partner_country: str | None = None) -> list[AgreementRow]:
    """State and flags of these agreements now (`as_of` None) or as of a date."""
    if partner_country:
        code = partner_country.strip().upper()
        agreements = [a for a in agreements if policy_country_of(a) == code]
    if not agreements:
        return []
    day = as_of or today()
    index = index or PolicyIndex()
    # Import snapshots give past states (as_of) and the start of undated imported ties (for
    # which the date of the import record is enough).
    snapshots = _import_snapshots(agreements) if as_of is not None else _import_dates(
        [a for a in agreements if not (a.effective_on or a.signed_on)])
    last = _last_held_activity([a.pk for a in agreements], day)
    rows = []
    for agreement in agreements:
        snapshot = snapshots.get(agreement.pk)
        state = agreement.state
        if as_of is not None:
            events = sorted(agreement.events.all(), key=lambda e: (e.recorded_at, e.pk))
            state = state_on(agreement, as_of, events, snapshot)
            if state is None or (status and state != status):
                continue
        relation = policy_relation_of(agreement, day, index)
        flags = flags_for(agreement, state, day, relation, last_activity=last.get(agreement.pk),
                          snapshot=snapshot)
        if flag and flag not in flags:
            continue
        rows.append(AgreementRow(agreement, state, flags, as_of, last.get(agreement.pk), relation))
    return rows


def agreement_rows(user, *, partner_country: str | None = None, status: str | None = None,
                   instrument: str | None = None, organisation: int | None = None,
                   as_of: dt.date | None = None, flag: str | None = None,
                   include_archived: bool = False, index: PolicyIndex | None = None,
                   queryset: QuerySet[Agreement] | None = None,
                   lazy: bool = False) -> list[AgreementRow] | LazyRows:
    """The registry as the user may see it, now or as it stood on `as_of`.

    With `as_of`, each agreement's state is derived for that date (records that did not yet
    exist are left out) and flags are computed against the policy table on that date.
    With `lazy`, and when the database can answer every filter (no `as_of`, `partner_country`
    or `flag`), the answer is a `LazyRows` in the same order: a page of it computes the flags
    of that page only (the API list paginates before computing).
    """
    if queryset is None:
        queryset = agreements_for(user, include_archived=include_archived)
    if instrument:
        queryset = queryset.filter(instrument=instrument)
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if as_of is None and status:
        queryset = queryset.filter(state=status)
    if lazy and as_of is None and not partner_country and not flag:
        return LazyRows(queryset, lambda agreements: _rows(agreements, as_of=None, index=index))
    # The event log is only read to derive a past state (as_of); today's state is stored.
    agreements = list(queryset.prefetch_related("events") if as_of is not None else queryset)
    return _rows(agreements, as_of=as_of, index=index, status=status, flag=flag,
                 partner_country=partner_country)


def row_of(agreement: Agreement, *, as_of: dt.date | None = None) -> AgreementRow | None:
    """One agreement's registry row, now or as of a date (None: it did not exist yet), for an
    agreement already read with `get_agreement` (i.e. readable by the user)."""
    if as_of is not None:
        prefetch_related_objects([agreement], "events")
    rows = _rows([agreement], as_of=as_of)
    return rows[0] if rows else None


# What the dashboard's alerts show of a row and `flags_for` reads
ROW_COLUMNS = ("id", "organisation_id", "instrument", "state", "is_imported", "signed_on",
               "signed_on_precision", "effective_on", "ended_on", "archived_at", "partner_id",
               "partner_organisation_id", "organisation__name", "partner__name",
               "partner__country_code", "partner__raw_country", "partner__geonameid",
               "partner__region_code", "partner_organisation__name",
               "partner_organisation__country_code")


def dormant_agreements(user, *, on: dt.date | None = None) -> list[AgreementRow]:
    """Active agreements without a held activity for `CITYDIPLOMACY_DORMANCY_YEARS` (3)."""
    return agreement_rows(user, status=State.ACTIVE, as_of=on, flag="dormant")


# --- impact analysis -------------------------------------------------------------------------
EFFECTS = {  # lazy: translated in the reader's language, not at import
    "needs_review": gettext_lazy("in force: would be flagged “needs review”"),
    "policy_blocked": gettext_lazy("on its way: could not pass council approval, permission or signing"),
    "restricted": gettext_lazy("would need an extra central approval"),
}


def policy_impact(user, *, country: str, status: str, on: dt.date) -> dict:
    """What would change if `country` took `status` from `on` — nothing is saved.

    Lists every agreement (across organisations for oversight users, else the user's own)
    whose state on `on` would be affected, and every planned activity from `on` onward with
    a partner in that country.
    """
    country = country.strip().upper()
    hypothetical = CountryRelation(country_code=country, status=status, valid_from=on)
    index = PolicyIndex(extra=[hypothetical])
    rows = agreement_rows(user, partner_country=country, as_of=on, index=index)
    affected = []
    for row in rows:
        effects = [flag for flag in policy_rules.POLICY_FLAGS if flag in row.flags]
        if effects:
            affected.append({"row": row, "effects": effects,
                             "effect_labels": [str(EFFECTS[e]) for e in effects]})
    activities = [
        activity for activity in activities_for(user).filter(
            status=Activity.Status.PLANNED, starts_on__gte=on).select_related("partner")
        if activity.partner_id and policy_country_of_activity(activity) == country
    ] if status != RelationStatus.NORMAL else []
    return {"country": country, "status": status, "on": on, "agreements": affected,
            "activities": activities, "saved": False}


def policy_country_of_activity(activity: Activity) -> str:
    from citydiplomacy.policy.selectors import policy_country

    return policy_country(activity.partner)


# --- activities ------------------------------------------------------------------------------
def activities_for(user, *, agreement: int | None = None, status: str | None = None,
                   include_archived: bool = False) -> QuerySet[Activity]:
    queryset = permissions.scope_to_readable(
        Activity.objects.select_related("organisation", "agreement", "partner"), user)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if agreement:
        queryset = queryset.filter(agreement_id=agreement)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-starts_on", "id")


def get_activity(user, pk: int) -> Activity:
    activity = activities_for(user, include_archived=True).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


# --- reminders and calendar ------------------------------------------------------------------
@dataclass
class Reminder:
    kind: str  # anniversary | expiry | renewal | permission_waiting
    on: dt.date
    title: str
    agreement_id: int
    organisation_id: int


def reminders(user, *, start: dt.date | None = None, days: int = 365,
              organisation: int | None = None, waiting_only: bool = False) -> list[Reminder]:
    """Anniversaries (5th, 10th, 20th, 25th …), expiries and renewals within `days` of
    `start`, and ministry permission requests waiting longer than
    CITYDIPLOMACY_PERMISSION_WAIT_DAYS (90); with `waiting_only`, just the latter."""
    start = start or today()
    end = start + dt.timedelta(days=days)
    # Only agreements in force (anniversaries, expiries) or waiting for permission can remind.
    states = Q(state=State.PERMISSION_REQUESTED)
    if not waiting_only:
        states |= Q(state__in=lifecycle.IN_FORCE)
    queryset = agreements_for(user).filter(states).select_related(None).select_related("partner", "partner_organisation").only(
        "state", "signed_on", "signed_on_precision", "expires_on", "renewal",
        "permission_requested_on", "organisation_id", "partner__name", "partner_organisation__name")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    return reminders_in(queryset, start=start, end=end)


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


# --- dashboard alerts ------------------------------------------------------------------------
def alerts_for(user, *, on: dt.date | None = None) -> dict:
    """Figures and alert texts for the dashboard, per organisation the user may read."""
    on = on or today()
    readable = agreements_for(user)
    # Only ties in force or on their way can carry an alert flag (needs review, restricted,
    # dormant): their flags are computed by the one rule (`_rows`); the rest are counted.
    candidates = readable.filter(state__in=lifecycle.IN_FORCE | lifecycle.IN_PROGRESS).select_related(
        None).select_related("organisation", "partner", "partner_organisation").only(*ROW_COLUMNS, "title")
    rows = agreement_rows(user, queryset=candidates)
    counts = readable.order_by().aggregate(
        active=Count("pk", filter=Q(state=State.ACTIVE)),
        in_progress=Count("pk", filter=Q(state__in=lifecycle.IN_PROGRESS)))
    by_flag: dict[str, list[AgreementRow]] = defaultdict(list)
    for row in rows:
        for flag in row.flags:
            by_flag[flag].append(row)
    waiting = [r for r in reminders(user, start=on, days=0, waiting_only=True) if r.kind == "permission_waiting"]
    alerts = []
    for row in by_flag["needs_review"]:
        alerts.append(_("Needs review: %(title)s — the national government's relations with %(country)s block new ties.") % {
            "title": row.agreement.title, "country": country_name(policy_country_of(row.agreement))})
    for row in by_flag["restricted"]:
        alerts.append(_("Restricted country: %(title)s needs an extra central approval.") % {"title": row.agreement.title})
    for reminder in waiting:
        alerts.append(reminder.title)
    return {
        "active": counts["active"],
        "in_progress": counts["in_progress"],
        "needs_review": len(by_flag["needs_review"]),
        "dormant": len(by_flag["dormant"]),
        "permission_waiting": len(waiting),
        "alerts": alerts,
    }
