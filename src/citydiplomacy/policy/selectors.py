"""Reads over the central-government policy tables: the status of a partner's country — or
of its ISO 3166-2 region, where the table has rows for that region — on a date, the
permitting authority on a date, and which country a partner counts as for policy.

`PolicyIndex` loads the (small) relation table once so that list views can ask about many
agreements and dates without a query each. A partner inside a region with rows of its own
(e.g. UA-43 Crimea) is judged by the region's row in force on the day, every other partner
by its country's. What a status means for a tie is `policy.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from citydiplomacy.places.countries import country_of
from citydiplomacy.policy.models import CountryRelation, PermittingAuthority, RelationStatus
from citydiplomacy.policy.rules import in_force_on


def policy_country(partner: Any) -> str:
    """The country a partner counts as for central-government policy: its country as the
    national government sees it (XC for Northern Cyprus, see places.countries)."""
    return country_of(partner)


def _pick(rows, day: dt.date):
    """The row in force on `day`; when several overlap the most recently started wins."""
    holding = [row for row in rows if in_force_on(row, day)]
    if not holding:
        return None
    return max(holding, key=lambda r: (r.valid_from or dt.date.min, r.pk or 0))


class PolicyIndex:
    """The relation table in memory: the status of a partner (by its country or region) on a
    day without a query per call."""

    def __init__(self, extra: list[CountryRelation] | None = None):
        self._rows: dict[str, list[CountryRelation]] = defaultdict(list)
        for row in [*CountryRelation.objects.all(), *(extra or [])]:  # extra: impact analysis
            self._rows[row.area_code].append(row)
        self.regions = frozenset(code for code in self._rows if "-" in code)
        self._region_of_place: dict[int, str] = {}
        self._region_of_region: dict[str, str] = {code: code for code in self.regions}
        self.admin1_regions: dict[tuple[str, str], str] = {}
        if self.regions:
            self._load_regions()

    def _load_regions(self) -> None:
        """Which gazetteer places and sub-regions lie in the regions that have rows."""
        from citydiplomacy.places.models import Place, Region

        for code, parent, country, admin1 in Region.objects.filter(
                Q(code__in=self.regions) | Q(parent_code__in=self.regions)).values_list(
                "code", "parent_code", "country_code", "admin1_code"):
            area = code if code in self.regions else parent
            self._region_of_region[code] = area
            if code in self.regions and admin1:
                self.admin1_regions[(country, admin1)] = code
        self._region_of_place = dict(Place.objects.filter(region_code__in=self.regions)
                                     .values_list("geonameid", "region_code"))

    def region_of(self, partner: Any) -> str:
        """The region with rows of its own that the partner lies in ("" for none)."""
        if partner is None or not self.regions:
            return ""
        region = (getattr(partner, "region_code", "") or "").upper()
        if region in self._region_of_region:
            return self._region_of_region[region]
        return self._region_of_place.get(getattr(partner, "geonameid", None), "")

    def relation_on(self, country_code: str, day: dt.date, region: str = "") -> CountryRelation | None:
        """The row in force on `day` for the region (when it has one) or else the country."""
        regional = _pick(self._rows.get(region.upper(), []), day) if region else None
        return regional or _pick(self._rows.get((country_code or "").upper(), []), day)

    def status_on(self, country_code: str, day: dt.date, region: str = "") -> str:
        row = self.relation_on(country_code, day, region)
        return row.status if row else RelationStatus.NORMAL

    def relation_for(self, partner: Any, day: dt.date, country_code: str | None = None):
        """The row that judges this partner on `day` (its region's or its country's)."""
        country = policy_country(partner) if country_code is None else country_code
        return self.relation_on(country, day, self.region_of(partner)) if country else None


def in_region_q(region_code: str, prefix: str = "partner__") -> Q:
    """Local governments (under `prefix`) that lie in an ISO 3166-2 region: the region itself
    or one of its sub-regions, or a gazetteer place inside it — `PolicyIndex.region_of` in SQL."""
    from citydiplomacy.places.models import Place, Region

    code = (region_code or "").strip().upper()
    regions = [code, *Region.objects.filter(parent_code=code).values_list("code", flat=True)]
    return (Q(**{f"{prefix}region_code__in": regions})
            | Q(**{f"{prefix}geonameid__in": Place.objects.filter(region_code=code).values("geonameid")}))


def status_on(country_code: str, day: dt.date, region: str = "") -> str:
    """normal | restricted | frozen | no_relations for a country (or one of its regions)."""
    return PolicyIndex().status_on(country_code, day, region)


def permitting_authority_on(day: dt.date) -> PermittingAuthority | None:
    """The ministry that grants art. 74 permission for a request made on `day`."""
    return _pick(list(PermittingAuthority.objects.all()), day)


def country_relations(*, country: str | None = None, as_of: dt.date | None = None,
                      status: str | None = None) -> QuerySet[CountryRelation] | list:
    """The relation table, optionally for one country, status, and/or as it stood on a date
    (then only the row in force for each country or region)."""
    queryset = CountryRelation.objects.all()
    if country:
        queryset = queryset.filter(country_code=country.strip().upper())
    if status:
        queryset = queryset.filter(status=status)
    if as_of is None:
        return queryset
    return [row for row in queryset if in_force_on(row, as_of) and _pick(
        [r for r in queryset if r.area_code == row.area_code], as_of) == row]


def permitting_authorities() -> QuerySet[PermittingAuthority]:
    return PermittingAuthority.objects.all()
