"""Finding a partner: one ranked search over the registry of local governments *and* the
gazetteer (a selector; reads only).

Used by every place where a user picks a partner (the new-agreement form, the list of local
governments). A name matches in any of its forms: the registry's name, official name and raw
text, and every Latin name GeoNames knows for a place, Turkish exonyms included (Saraybosna →
Sarajevo, Kahire → Cairo, Şam → Damascus). A gazetteer place that is already in the registry
(same GeoNames id) is answered as the registry entry; one that is not is offered with its
GeoNames id so that it can be added in one click (governments.services.create_from_gazetteer).

Ranking: match quality first (a whole name, primary or alternate; the primary name's
beginning; an alternate name's beginning; words found inside the name), then size
(population), then name. Each hit carries its country and region names in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.governments.naming import search_key
from citydiplomacy.places.countries import country_name, region_name
from citydiplomacy.places.gazetteer import is_geonames_unit
from citydiplomacy.places.models import Place, PlaceName, Region
from citydiplomacy.places.normalize import fold

# match quality, best first. A whole alternate name is as good as the whole primary name:
# "Üsküp" is Skopje (474,000 people) before the Turkish village named Üsküp (2,000).
EXACT_NAME, PREFIX_NAME, PREFIX_ALTERNATE, CONTAINS = range(4)
EXACT_ALTERNATE = EXACT_NAME
MIN_QUERY = 2
DEFAULT_LIMIT = 15


@dataclass
class PartnerHit:
    """One answer: a registry entry (`government`) or a gazetteer place not yet in it."""

    name: str
    country_code: str
    region_code: str
    population: int
    quality: int
    government: LocalGovernment | None = None
    geonameid: int | None = None
    also_known_as: str = ""  # the alternate name that matched ("Saraybosna")
    unresolved: bool = False

    @property
    def choice(self) -> str:
        """The form value: a registry id ("12") or a gazetteer place ("g3191281")."""
        return str(self.government.pk) if self.government else f"g{self.geonameid}"

    @property
    def in_registry(self) -> bool:
        return self.government is not None

    @property
    def country(self) -> str:
        return country_name(self.country_code) if self.country_code else _("country not known")

    @property
    def region(self) -> str:
        return _region_label(self.region_code, self.country_code)

    @property
    def sort_key(self) -> tuple:
        return (self.quality, -(self.population or 0), fold(self.name))


def _region_label(code: str, country_code: str) -> str:
    if not code:
        return ""
    if is_geonames_unit(code):
        return Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
    label = region_name(code)
    if label == code:  # not an ISO code pycountry knows: the gazetteer's own name
        label = Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
    return label


def _quality(key: str, primary: str, matched: str) -> int:
    if primary == key:
        return EXACT_NAME
    if matched == key:
        return EXACT_ALTERNATE
    if primary.startswith(key):
        return PREFIX_NAME
    return PREFIX_ALTERNATE


def _gazetteer_hits(key: str, limit: int) -> list[PartnerHit]:
    """Places whose name or an alternate name is the query or begins with it."""
    exact = list(PlaceName.objects.filter(key=key).order_by("-population")
                 .values_list("place_id", "key")[: limit * 2])
    prefix: list = []
    if len(key) >= 3:
        query = PlaceName.objects.filter(key__gt=key, key__lt=key + "\x7f")
        if len(key) < 5:  # short beginnings: only towns of some size, to stay fast
            query = query.filter(population__gte=10000)
        prefix = list(query.order_by("-population").values_list("place_id", "key")[: limit * 3])
    matched: dict[int, str] = {}
    for gid, name_key in exact + prefix:
        matched.setdefault(gid, name_key)
    places = Place.objects.in_bulk(list(matched))
    hits = []
    for gid, name_key in matched.items():
        place = places.get(gid)
        if place is None:
            continue
        primary = fold(place.name)
        alias = ""
        if name_key != primary:
            alias = next((a for a in place.alternate_names.split("|") if fold(a) == name_key), "")
        hits.append(PartnerHit(
            name=place.name, country_code=place.country_code, region_code=place.region_code,
            population=place.population, quality=_quality(key, primary, name_key),
            geonameid=gid, also_known_as=alias))
    return hits


def _registry_hits(query: str, limit: int) -> list[PartnerHit]:
    words = search_key(query).split()
    if not words:
        return []
    queryset = LocalGovernment.objects.all()
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    key = search_key(query)
    found = list(queryset.order_by(F("population").desc(nulls_last=True), "name", "id")[: limit * 4])
    places = Place.objects.in_bulk([g.geonameid for g in found if g.geonameid])
    hits = []
    for government in found:
        names = [search_key(n) for n in (government.name, government.official_name,
                                         government.raw_name) if n]
        if key == names[0]:
            quality = EXACT_NAME
        elif key in names:
            quality = EXACT_ALTERNATE
        elif names[0].startswith(key):
            quality = PREFIX_NAME
        elif any(n.startswith(key) for n in names):
            quality = PREFIX_ALTERNATE
        else:
            quality = CONTAINS
        hits.append(_registry_hit(government, quality, place=places.get(government.geonameid)))
    return hits


def _registry_hit(government: LocalGovernment, quality: int, also_known_as: str = "",
                  place: Place | None = None) -> PartnerHit:
    return PartnerHit(
        name=government.name, country_code=government.country_code,
        region_code=government.region_code or (place.region_code if place else ""),
        population=government.population or (place.population if place else 0) or 0,
        quality=quality, government=government, geonameid=government.geonameid,
        also_known_as=also_known_as, unresolved=government.is_unresolved)


def search_partners(query: str, *, limit: int = DEFAULT_LIMIT) -> list[PartnerHit]:
    """The best `limit` partners for what the user typed, registry and gazetteer together."""
    key = fold(query or "")
    if len(key) < MIN_QUERY:
        return []
    by_choice: dict[str, PartnerHit] = {}

    def keep(hit: PartnerHit) -> None:
        current = by_choice.get(hit.choice)
        if current is None or hit.sort_key < current.sort_key:
            by_choice[hit.choice] = hit

    gazetteer = _gazetteer_hits(key, limit)
    registered = {g.geonameid: g for g in LocalGovernment.objects.filter(
        geonameid__in=[h.geonameid for h in gazetteer])}
    places = Place.objects.in_bulk([h.geonameid for h in gazetteer if h.geonameid in registered])
    for hit in gazetteer:
        government = registered.get(hit.geonameid)
        if government is not None:
            hit = _registry_hit(government, hit.quality, hit.also_known_as, places.get(hit.geonameid))
        keep(hit)
    for hit in _registry_hits(query, limit):
        keep(hit)
    return sorted(by_choice.values(), key=lambda h: h.sort_key)[:limit]


def place_for_choice(choice: str) -> Place | None:
    """The gazetteer place behind a form value "g<geonameid>" (None for anything else)."""
    text = (choice or "").strip()
    if text[:1] != "g" or not text[1:].isdigit():
        return None
    return Place.objects.filter(geonameid=int(text[1:])).first()
