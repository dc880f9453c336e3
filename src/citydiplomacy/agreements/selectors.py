"""Reads over the agreements registry, scoped to what the user may see.

- `agreements_for` / `get_agreement`: querysets and objects (another organisation's → 404).
- `agreement_rows` / `row_of`: the registry list with state and flags, now or *as of* a past
  date (rows built by `registry_rows`; the state on a date from `timeline`).
- `policy_impact`: "if country X becomes status S on date D", without saving anything.
- `dormant_agreements`, `reminders` (dates from `reminder_dates`), `alerts_for`: monitoring
  (the iCal feed is agreements/ical.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, prefetch_related_objects
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
    Document,
    InternationalOrganisation,
)
from citydiplomacy.agreements.partner_country import policy_country_of
from citydiplomacy.agreements.registry_rows import ROW_COLUMNS, AgreementRow, LazyRows, build_rows
from citydiplomacy.agreements.reminder_dates import Reminder, reminders_in
from citydiplomacy.places.countries import country_name
from citydiplomacy.policy import rules as policy_rules
from citydiplomacy.policy.models import CountryRelation, RelationStatus
from citydiplomacy.policy.selectors import PolicyIndex


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
        return LazyRows(queryset, lambda agreements: build_rows(agreements, as_of=None, index=index))
    # The event log is only read to derive a past state (as_of); today's state is stored.
    agreements = list(queryset.prefetch_related("events") if as_of is not None else queryset)
    return build_rows(agreements, as_of=as_of, index=index, status=status, flag=flag,
                 partner_country=partner_country)


def row_of(agreement: Agreement, *, as_of: dt.date | None = None) -> AgreementRow | None:
    """One agreement's registry row, now or as of a date (None: it did not exist yet), for an
    agreement already read with `get_agreement` (i.e. readable by the user)."""
    if as_of is not None:
        prefetch_related_objects([agreement], "events")
    rows = build_rows([agreement], as_of=as_of)
    return rows[0] if rows else None


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


# --- dashboard alerts ------------------------------------------------------------------------
def alerts_for(user, *, on: dt.date | None = None) -> dict:
    """Figures and alert texts for the dashboard, per organisation the user may read."""
    on = on or today()
    readable = agreements_for(user)
    # Only ties in force or on their way can carry an alert flag (needs review, restricted,
    # dormant): their flags are computed by the one rule (`registry_rows.build_rows`); the rest are counted.
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
