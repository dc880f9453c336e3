"""Reads: the gazetteer as resolver input, autocomplete search, the review queue."""

from __future__ import annotations

from django.db.models import QuerySet

from citydiplomacy.governments.models import LocalGovernment

from .gazetteer import CountryRecord, Gazetteer, PlaceRecord, RegionRecord
from .models import Country, Place, PlaceName, Region, ReviewChoice
from .normalize import fold


def _split(text: str) -> tuple[str, ...]:
    return tuple(n for n in text.split("|") if n) if text else ()


def gazetteer_from_db(with_places: bool = True) -> Gazetteer:
    places = [] if not with_places else [
        PlaceRecord(gid, name, cc, a1 or "", lat, lng, pop or 0, _split(alts))
        for gid, name, cc, a1, lat, lng, pop, alts in Place.objects.order_by().values_list(
            "geonameid", "name", "country_code", "admin1_code", "latitude", "longitude",
            "population", "alternate_names",
        ).iterator(chunk_size=20000)
    ]
    regions = [
        RegionRecord(code, name, cc, kind, a1, parent, lat, lng, _split(alts),
                     tuple(int(g) for g in _split(namesakes)))
        for code, name, cc, kind, a1, parent, lat, lng, alts, namesakes
        in Region.objects.order_by("code").values_list(
            "code", "name", "country_code", "kind", "admin1_code", "parent_code", "latitude",
            "longitude", "alternate_names", "namesakes",
        ).iterator(chunk_size=20000)
    ]
    countries = [
        CountryRecord(c.code, c.name, c.name_tr, c.continent, c.languages, c.neighbours,
                      _split(c.alternate_names))
        for c in Country.objects.all()
    ]
    return Gazetteer(places=places, regions=regions, countries=countries)


def review_choices() -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (c.name_key, c.country_key): (c.kind, c.ref)
        for c in ReviewChoice.objects.all()
    }


def search_places(q: str, country: str = "", limit: int = 10) -> list[dict]:
    """Exact name matches first, then names starting with the query; biggest places first.

    Any indexed name counts (alternate names included: "Saraybosna" finds Sarajevo). Short
    prefixes (3-4 letters) only look at places of 10,000+ people and two letters match whole
    names only, so the answer stays well under 50 ms on the full gazetteer.
    """
    key = fold(q)
    if len(key) < 2:
        return []
    base = PlaceName.objects.all()
    if country:
        base = base.filter(place__country_code=country.upper()[:2])
    fields = ("place_id", "place__name", "place__country_code", "place__latitude",
              "place__longitude", "place__population", "key")
    exact = list(base.filter(key=key).order_by("-population").values_list(*fields)[:limit])
    prefix = base.filter(key__gt=key, key__lt=key + "\x7f")
    if len(key) < 5 and not country:
        prefix = prefix.filter(population__gte=10000)
    if len(key) < 3:  # two letters: exact names only ("Aş", "Ii"); a prefix scan is too wide
        prefix = prefix.none()
    rows = exact + list(prefix.order_by("-population").values_list(*fields)[: limit * 3])
    seen: dict[int, dict] = {}
    for gid, name, cc, lat, lng, pop, matched in rows:
        if gid not in seen:
            seen[gid] = {"geonameid": gid, "name": name, "country_code": cc, "latitude": lat,
                         "longitude": lng, "population": pop, "matched": matched}
        if len(seen) >= limit:
            break
    return list(seen.values())


def review_queue() -> QuerySet[LocalGovernment]:
    return LocalGovernment.objects.filter(is_unresolved=True).order_by("raw_country", "raw_name", "id")


class DbResolver:
    """Factory for a resolver that looks places up in the database (PlaceName) per query.

    Same rules as the in-memory resolver, but built in well under a second (only countries and
    regions are held in memory), so web pages never pay for indexing 235,000 places. It lacks
    the space-free keys and generic-suffix keys of the in-memory index, so it can miss a few
    names the import resolves; it is used for showing candidates, not for importing.
    """

    @staticmethod
    def build(choices: dict | None = None):
        from .gazetteer import Gazetteer
        from .resolver import Candidate, Resolver

        class _DbResolver(Resolver):
            def _row_candidate(self, row, key: str) -> Candidate:
                gid, name, ascii_name, cc, a1, lat, lng, pop = row
                return Candidate("place", str(gid), name, cc, a1, lat, lng, pop or 0,
                                 ascii_name == key)

            _fields = ("place_id", "place__name", "place__ascii_name", "place__country_code",
                       "place__admin1_code", "place__latitude", "place__longitude",
                       "place__population")

            def _places_for(self, cc: str, key: str) -> list[Candidate]:
                rows = PlaceName.objects.filter(key=key, place__country_code=cc)
                return [self._row_candidate(r, key) for r in rows.values_list(*self._fields)]

            def _compact_places(self, cc: str, key: str) -> list[Candidate]:
                return []

            def _global_places(self, key: str) -> list[Candidate]:
                rows = PlaceName.objects.filter(key=key).values_list(*self._fields)[:200]
                return [self._row_candidate(r, key) for r in rows]

            def place_candidate(self, geonameid: int) -> Candidate | None:
                p = Place.objects.filter(geonameid=geonameid).first()
                if p is None:
                    return None
                return Candidate("place", str(p.geonameid), p.name, p.country_code,
                                 p.admin1_code, p.latitude, p.longitude, p.population, True)

        full = gazetteer_from_db(with_places=False)  # regions and countries are small
        resolver = _DbResolver(Gazetteer(places=[], regions=full.regions,
                                         countries=full.countries), choices)
        resolver.set_countries(full.countries)
        return resolver
