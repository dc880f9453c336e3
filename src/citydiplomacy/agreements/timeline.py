"""The state of an agreement on a day, from its timeline: the steps of its event log and, for
a record imported with its steps unrecorded, the dates known at import (council decision,
signing, end) and its known state on the import day; `timelines_of` reads them for many
agreements at once. Read by the registry rows (`as_of`), the analytics maps, timelines and
annual report; the rule itself is `rules.state_at`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace
from typing import NamedTuple

from django.utils import timezone

from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Agreement, AgreementEvent
from citydiplomacy.agreements.rules import state_at


def import_snapshots(agreements) -> dict[int, object]:
    """The historical record each imported agreement was created with (dates known at import)."""
    ids = [a.pk for a in agreements if a.is_imported]
    if not ids:
        return {}
    snapshots = {}
    for record in Agreement.history.filter(id__in=ids, history_type="+").order_by("history_date").only(
            "id", "history_date", "state", "council_decision_on", "signed_on", "ended_on"):
        snapshots.setdefault(record.id, record)
    return snapshots


def import_dates(agreements) -> dict[int, SimpleNamespace]:
    """Like `import_snapshots`, but only the date of each creation record (`history_date`)."""
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
        snapshot = snapshot or import_snapshots([agreement]).get(agreement.pk)
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


def timelines_of(agreements: list[Agreement]) -> dict[int, list[tuple[dt.date, str]]]:
    """Each agreement's timeline (`timeline`), reading the events and import snapshots of all
    of them in one query each."""
    snapshots = import_snapshots(agreements)
    events = _events_by_agreement(agreements)
    return {agreement.pk: timeline(agreement, events.get(agreement.pk, []), snapshots.get(agreement.pk))
            for agreement in agreements}
