"""Reads over the central-government policy tables: a country's status on a date, the
permitting authority on a date, and which country a partner counts as for policy.

`PolicyIndex` loads the (small) relation table once so that list views can ask about many
agreements and dates without a query each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from citydiplomacy.policy.models import CountryRelation, PermittingAuthority, RelationStatus

NORTHERN_CYPRUS_CODE = "XC"  # the places app's pseudo code for Northern Cyprus (not ISO)
_NORTHERN_CYPRUS_WORDS = ("northern cyprus", "kuzey kıbrıs", "kktc", "trnc")


def policy_country(partner: Any) -> str:
    """The country a partner counts as for central-government policy.

    Partners in Northern Cyprus are never the Republic of Cyprus (CY): the places app stores
    them under the pseudo code XC or with territory "northern_cyprus"; raw country text is
    checked too, defensively, for records imported before the places app existed.
    """
    if partner is None:
        return ""
    code = (getattr(partner, "country_code", "") or "").upper()
    territory = (getattr(partner, "territory", "") or "").lower()
    raw = (getattr(partner, "raw_country", "") or "").lower()
    if code == NORTHERN_CYPRUS_CODE or territory == "northern_cyprus" or any(
        word in raw for word in _NORTHERN_CYPRUS_WORDS
    ):
        return NORTHERN_CYPRUS_CODE
    return code


def _pick(rows, day: dt.date):
    """The row in force on `day`; when several overlap the most recently started wins."""
    holding = [row for row in rows if row.holds_on(day)]
    if not holding:
        return None
    return max(holding, key=lambda r: (r.valid_from or dt.date.min, r.pk or 0))


class PolicyIndex:
    """The relation table in memory: status_on(country, day) without a query per call."""

    def __init__(self, extra: list[CountryRelation] | None = None):
        self._rows: dict[str, list[CountryRelation]] = defaultdict(list)
        for row in CountryRelation.objects.all():
            self._rows[row.country_code].append(row)
        for row in extra or []:  # hypothetical rows for impact analysis, never saved
            self._rows[row.country_code].append(row)

    def relation_on(self, country_code: str, day: dt.date) -> CountryRelation | None:
        return _pick(self._rows.get((country_code or "").upper(), []), day)

    def status_on(self, country_code: str, day: dt.date) -> str:
        row = self.relation_on(country_code, day)
        return row.status if row else RelationStatus.NORMAL

    def countries_not_normal_on(self, day: dt.date) -> set[str]:
        """Every country code whose status on `day` is not normal."""
        return {code for code in self._rows if self.status_on(code, day) != RelationStatus.NORMAL}


def relation_on(country_code: str, day: dt.date) -> CountryRelation | None:
    rows = CountryRelation.objects.filter(country_code=(country_code or "").upper())
    return _pick(list(rows), day)


def status_on(country_code: str, day: dt.date) -> str:
    """normal | restricted | frozen | no_relations for the country on that day."""
    row = relation_on(country_code, day)
    return row.status if row else RelationStatus.NORMAL


def permitting_authority_on(day: dt.date) -> PermittingAuthority | None:
    """The ministry that grants art. 74 permission for a request made on `day`."""
    return _pick(list(PermittingAuthority.objects.all()), day)


def country_relations(*, country: str | None = None, as_of: dt.date | None = None,
                      status: str | None = None) -> QuerySet[CountryRelation] | list:
    """The relation table, optionally for one country, status, and/or as it stood on a date."""
    queryset = CountryRelation.objects.all()
    if country:
        queryset = queryset.filter(country_code=country.strip().upper())
    if status:
        queryset = queryset.filter(status=status)
    if as_of is None:
        return queryset
    return [row for row in queryset if row.holds_on(as_of) and _pick(
        [r for r in queryset if r.country_code == row.country_code], as_of) == row]


def permitting_authorities() -> QuerySet[PermittingAuthority]:
    return PermittingAuthority.objects.all()
