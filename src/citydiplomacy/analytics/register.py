"""The national public register: every published tie of every organisation in the installation.

A tie is published when `accounts.permissions.is_public_agreement` says so (signed, in force,
suspended or ended, and not archived). Reads only; the register's filters live in
`analytics.filters.PublicRegisterFilter`, its pages in `analytics.register_views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.analytics.register_cost import plain_published_ties
from citydiplomacy.governments.models import LocalGovernment

PAGE_SIZE = 50
ENDED_STATES = frozenset({"expired", "terminated"})


def default_order():
    return F("signed_on").desc(nulls_last=True), "id"


def with_partner_label(ties: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """`partner_label`: the partner organisation's or local government's name (for sorting)."""
    return ties.annotate(partner_label=Coalesce("partner_organisation__name", "partner__name", Value("")))


def published_ties() -> QuerySet[Agreement]:
    """Every published tie, with what a register row shows, in a stable default order."""
    return with_partner_label(
        plain_published_ties().select_related("organisation", "partner", "partner_organisation")
    ).order_by(*default_order())


def last_change():
    """The day the register last changed (a published tie's latest change), or None."""
    from django.db.models import Max
    from django.utils import timezone

    latest = published_ties().order_by().aggregate(latest=Max("updated_at"))["latest"]
    return timezone.localdate(latest) if latest else None


def register_organisations() -> QuerySet[LocalGovernment]:
    """Organisations with at least one published tie (the register's organisation choices),
    with what an option shows (`LocalGovernment.__str__`): 1,400 of them at national size."""
    ids = plain_published_ties().values("organisation_id")
    return LocalGovernment.objects.filter(pk__in=ids).only("id", "name", "country_code").order_by("name")


def province_code(official_code: str) -> str:
    """The ISO 3166-2 province of a Turkish local government from its official code
    (TR-34 for İstanbul, TR-34-D1234 for one of its districts); "" elsewhere."""
    return official_code[:5] if official_code.startswith("TR-") and len(official_code) >= 5 else ""


@lru_cache(maxsize=1)
def _provinces() -> tuple[tuple[str, str], ...]:
    import pycountry

    from citydiplomacy.places.normalize import fold

    units = [(s.code, s.name) for s in pycountry.subdivisions.get(country_code="TR")]
    return tuple(sorted(units, key=lambda unit: fold(unit[1])))


def province_choices() -> list[tuple[str, str]]:
    """Turkey's 81 provinces as (ISO 3166-2 code, name), in alphabetical order."""
    return list(_provinces())


def province_name(code: str) -> str:
    return dict(_provinces()).get(code, "")


@dataclass(frozen=True)
class RegisterRow:
    agreement: Agreement
    province: str
    country: str

    @property
    def is_ended(self) -> bool:
        return self.agreement.state in ENDED_STATES


def register_rows(agreements) -> list[RegisterRow]:
    """One row per tie: its municipality's province and its partner's country by name (the
    country as national policy counts it, so Northern Cyprus is never Cyprus)."""
    from citydiplomacy.agreements.partner_country import policy_country_of
    from citydiplomacy.places.countries import country_name

    return [RegisterRow(a, province_name(province_code(a.organisation.official_code)),
                        country_name(policy_country_of(a))) for a in agreements]


def register_map(ties: QuerySet[Agreement]) -> dict:
    """The filtered ties as a compact network for the canvas map: `nodes` is a flat list of
    longitude, latitude pairs and `edges` a flat list of node index pairs."""
    from citydiplomacy.analytics.geo import coordinates

    pairs = list(ties.filter(partner__isnull=False).order_by()
                 .values_list("organisation_id", "partner_id").distinct())
    used = {pk for pair in pairs for pk in pair}
    places = {pk: (lat, lng) for pk, lat, lng in LocalGovernment.objects.filter(
        pk__in=used, latitude__isnull=False, longitude__isnull=False).values_list("id", "latitude", "longitude")}
    for lg in LocalGovernment.objects.filter(pk__in=used - places.keys()):
        place = coordinates(lg)
        if place:
            places[lg.pk] = place
    index: dict[int, int] = {}
    nodes: list[float] = []
    for pk in sorted(places):
        index[pk] = len(index)
        lat, lng = places[pk]
        nodes += [round(lng, 4), round(lat, 4)]
    edges: list[int] = []
    for a, b in pairs:
        if a in index and b in index:
            edges += [index[a], index[b]]
    return {"nodes": nodes, "edges": edges}
