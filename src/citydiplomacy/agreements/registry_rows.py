"""Registry rows: an agreement with its state and flags now or as of a day (imported, the
policy flags of `policy.rules` for the row judging its partner, dormant, year-only date,
archived), built for a list of agreements at once (`build_rows`) or a page at a time
(`LazyRows`). `selectors.agreement_rows` scopes and filters; web, API, exports, the dashboard
and the analytics read these rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils import timezone

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Activity, Agreement, DatePrecision
from citydiplomacy.agreements.partner_country import policy_country_of
from citydiplomacy.agreements.rules import is_dormant
from citydiplomacy.agreements.timeline import import_dates, import_snapshots, state_on
from citydiplomacy.places.countries import country_name
from citydiplomacy.policy import rules as policy_rules
from citydiplomacy.policy.models import CountryRelation, RelationStatus
from citydiplomacy.policy.selectors import PolicyIndex


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


def build_rows(agreements: list[Agreement], *, as_of: dt.date | None, index: PolicyIndex | None = None,
          status: str | None = None, flag: str | None = None,
          partner_country: str | None = None) -> list[AgreementRow]:
    """State and flags of these agreements now (`as_of` None) or as of a date."""
    if partner_country:
        code = partner_country.strip().upper()
        agreements = [a for a in agreements if policy_country_of(a) == code]
    if not agreements:
        return []
    day = as_of or timezone.localdate()
    index = index or PolicyIndex()
    # Import snapshots give past states (as_of) and the start of undated imported ties (for
    # which the date of the import record is enough).
    snapshots = import_snapshots(agreements) if as_of is not None else import_dates(
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


# What the dashboard's alerts show of a row and `flags_for` reads
ROW_COLUMNS = ("id", "organisation_id", "instrument", "state", "is_imported", "signed_on",
               "signed_on_precision", "effective_on", "ended_on", "archived_at", "partner_id",
               "partner_organisation_id", "organisation__name", "partner__name",
               "partner__country_code", "partner__raw_country", "partner__geonameid",
               "partner__region_code", "partner_organisation__name",
               "partner_organisation__country_code")

