"""The resolver's in-memory index over a :class:`Gazetteer` (no Django).

Owns how names become lookup keys: places by every folded Latin name (primary names marked),
space-free keys ("Yamatotakada" / "Yamato-Takada"), names without generic tails ("Guro-gu"),
regions by strong keys (their own name, region_aliases.csv) and weak keys (GeoNames names,
names without generic words), Slavic adjective stems, and the country field's keys. The
lookups return :class:`Candidate` rows; what to answer is decided in resolver_rules.py.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import fields

from rapidfuzz import fuzz, process  # country names only ("Kazakhstah")

from .gazetteer import (
    Gazetteer,
    PlaceRecord,
    RegionRecord,
    is_gazetteer_unit,
    load_country_aliases,
    load_region_aliases,
)
from .normalize import admin_keys_folded, fold, is_latin, slavic_level, slavic_stem
from .resolution import Candidate, CountryParse

SLAVIC_STEM_COUNTRIES = frozenset({"RU", "BY", "KZ"})  # normalize.slavic_stem
_REGION_TAILS = (" sheng", " shi", " zizhiqu", " huizu zizhiqu", " zhuangzu zizhiqu",
                 " uygur zizhiqu", " weiwu er zizhiqu", " county", " parish", " borough",
                 " province", " city", " prefecture", " region", " oblast", " kray", " krai")
_PLACE_FIELDS = tuple(f.name for f in fields(PlaceRecord))
_REGION_FIELDS = tuple(f.name for f in fields(RegionRecord))
_GENERIC_TAILS = {"gu", "ku", "qu", "shi", "si", "gun", "district", "dong", "ward", "raion",
                  "rayon", "municipality", "city"}


class ResolverIndex:
    def __init__(self, gazetteer: Gazetteer, choices: dict | None = None):
        self.places: list[PlaceRecord] = gazetteer.places
        self.regions: list[RegionRecord] = gazetteer.regions
        self.choices: dict[tuple[str, str], tuple[str, str]] = dict(choices or {})
        self._place_index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._primary: set[tuple[int, str]] = set()
        self._region_index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._weak_region_keys: set[tuple[int, str]] = set()
        self._named_region_keys: set[tuple[int, str]] = set()  # a unit's own names, folded
        self._stem_index: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        self._global_index: dict[str, list[int]] = defaultdict(list)
        self._compact_index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._country_keys: dict[str, CountryParse] = {}
        self._region_by_code = {r.code: r for r in self.regions}
        self._region_pos = {r.code: j for j, r in enumerate(self.regions)}
        self._namesake_of: dict[int, set[str]] = defaultdict(set)  # place id -> unit codes
        self._place_by_id = {}
        gc_was_on = gc.isenabled()
        gc.disable()  # millions of small keys and lists, no cycles: the collector only rescans them
        try:
            self._index_places()
            self._index_regions()
        finally:
            if gc_was_on:
                gc.enable()

    # ---------------------------------------------------------------- on disk (resolver_cache)
    def __getstate__(self) -> dict:
        """The records as plain tuples (pickled several times faster than slotted dataclasses);
        the code lookup is rebuilt on loading."""
        state = dict(self.__dict__)
        state["places"] = [tuple(getattr(p, f) for f in _PLACE_FIELDS) for p in self.places]
        state["regions"] = [tuple(getattr(r, f) for f in _REGION_FIELDS) for r in self.regions]
        del state["_region_by_code"]
        return state

    def __setstate__(self, state: dict) -> None:
        state["places"] = [PlaceRecord(*row) for row in state["places"]]
        state["regions"] = [RegionRecord(*row) for row in state["regions"]]
        state["_region_by_code"] = {r.code: r for r in state["regions"]}
        self.__dict__.update(state)

    # ---------------------------------------------------------------- index
    def _index_places(self) -> None:
        for i, p in enumerate(self.places):
            self._place_by_id[p.geonameid] = i
            primary = fold(p.name)
            keys = {primary}
            if "(" in p.name:
                keys.add(fold(p.name.split("(")[0]))
            for alt in p.alternate_names:
                if is_latin(alt):
                    k = fold(alt)
                    if len(k) >= 2:
                        keys.add(k)
            self._primary.add((i, primary))
            for k in list(keys):  # noqa: PERF101 - the loop adds to keys ("Guro-gu" -> "guro")
                head, _, tail = k.rpartition(" ")
                if head and tail in _GENERIC_TAILS and len(head) >= 3:
                    keys.add(head)
                    if k == primary:
                        self._primary.add((i, head))
            for k in keys:
                self._place_index[(p.country_code, k)].append(i)
                self._global_index[k].append(i)
                if " " in k:  # "Yamatotakada" / "Yamato-Takada"
                    self._compact_index[(p.country_code, k.replace(" ", ""))].append(i)

    def _index_regions(self) -> None:
        strong_aliases = {(row["region_code"], fold(row["alias"])) for row in load_region_aliases()}
        for j, r in enumerate(self.regions):
            # Strong keys (an ISO region's own name, our region_aliases.csv) beat a place that
            # has the name only as an alternate name ("Brandenburg" the Land); GeoNames names of
            # units and "G" units are weak keys: used when no place has the name.
            folded = [fold(n) for n in (r.name, *r.alternate_names)]
            keys = {folded[0]} | {f for f in folded[1:] if (r.code, f) in strong_aliases}
            if is_gazetteer_unit(r.code):
                keys = set()
            for gid in r.namesakes:
                self._namesake_of[gid].add(r.code)
            for k in list(keys):
                for suffix in _REGION_TAILS:
                    if k.endswith(suffix) and len(k) > len(suffix) + 2:
                        keys.add(k[: -len(suffix)])
            for part in r.name.split("/") if keys else ():  # bilingual "Bozen/Bolzano"
                keys.add(fold(part))
            # the name without generic words ("Gemeente Smallingerland", "Seocho-gu"): a weak
            # key, which does not beat a place of that name (Masty the town, not Masty District)
            weak = set().union(*(admin_keys_folded(f) for f in folded)) - keys
            for k in keys:
                self._region_index[(r.country_code, k)].append(j)
            self._named_region_keys.update((j, f) for f in folded)
            for k in weak:
                self._region_index[(r.country_code, k)].append(j)
                self._weak_region_keys.add((j, k))
            if r.country_code in SLAVIC_STEM_COUNTRIES:
                for f in folded:
                    stem = slavic_stem(f)
                    if stem and j not in self._stem_index[(r.country_code, slavic_level(f), stem)]:
                        self._stem_index[(r.country_code, slavic_level(f), stem)].append(j)

    def set_countries(self, countries) -> None:
        for c in countries:
            for name in (c.name, c.name_tr, c.code, *c.alternate_names):
                if name and len(name) > 2 or name == c.code:
                    self._country_keys.setdefault(fold(name), CountryParse(c.code))
        for row in load_country_aliases():
            self._country_keys[fold(row["alias"])] = CountryParse(
                row["country_code"], row.get("region_code") or "", row.get("territory") or ""
            )
        self._country_key_list = list(self._country_keys)

    # ---------------------------------------------------------------- country
    def parse_country(self, text: str) -> CountryParse | None:
        key = fold(text)
        key = key.removeprefix("in ")
        if not key:
            return None
        if key in self._country_keys:
            return self._country_keys[key]
        if "," in text:
            head, _, tail = text.rpartition(",")
            country = self.parse_country(tail)
            if country is None:
                return None
            head_key = fold(head)
            alias = self._country_keys.get(head_key)
            if alias:  # "Åland Islands, Finland", "Réunion, France", "England, United Kingdom"
                return alias
            regions = self._region_index.get((country.code, head_key), [])
            if len(regions) > 1:  # "New York": the state, not New York County
                regions = [j for j in regions if not self.regions[j].code[3:].isdigit()]
            if len(regions) == 1:
                return CountryParse(country.code, self.regions[regions[0]].code, country.territory)
            return country
        match = process.extractOne(key, self._country_key_list, scorer=fuzz.ratio, score_cutoff=82)
        if match:
            found = self._country_keys[match[0]]
            return CountryParse(found.code, found.region_code, found.territory, match[1] / 100)
        return None

    # ---------------------------------------------------------------- candidates
    def _place_candidate(self, i: int, key: str) -> Candidate:
        p = self.places[i]
        return Candidate(
            "place", str(p.geonameid), p.name, p.country_code, p.admin1_code, p.latitude,
            p.longitude, p.population, (i, key) in self._primary,
        )

    def _region_candidate(self, j: int, key: str = "") -> Candidate:
        r = self.regions[j]
        return Candidate(
            "region", r.code, r.name, r.country_code, r.admin1_code, r.latitude, r.longitude, 0,
            (j, key) not in self._weak_region_keys,
        )

    def top_admin1(self, code: str) -> str:
        """The GeoNames admin1 code of the first-level region a region lies in: a commune's
        through its département or province, which may carry a code of their own level."""
        region, seen = self._region_by_code.get(code), set()
        while region is not None and region.parent_code and region.code not in seen:
            seen.add(region.code)
            parent = self._region_by_code.get(region.parent_code)
            if parent is None:
                break
            region = parent
        return region.admin1_code if region is not None else ""

    def place_candidate(self, geonameid: int) -> Candidate | None:
        i = self._place_by_id.get(geonameid)
        return None if i is None else self._place_candidate(i, fold(self.places[i].name))

    def region_candidate(self, code: str) -> Candidate | None:
        r = self._region_by_code.get(code)
        return None if r is None else self._region_candidate(self._region_pos[code])

    def _places_for(self, cc: str, key: str) -> list[Candidate]:
        return [self._place_candidate(i, key) for i in self._place_index.get((cc, key), ())]

    def _compact_places(self, cc: str, key: str) -> list[Candidate]:
        return [self._place_candidate(i, key)
                for i in self._compact_index.get((cc, key.replace(" ", "")), ())]

    def _global_places(self, key: str) -> list[Candidate]:
        return [self._place_candidate(i, key) for i in self._global_index.get(key, ())]

    def _lookup(self, ccs: tuple[str, ...], key: str) -> tuple[list[Candidate], list[Candidate]]:
        places, regions = [], []
        for cc in ccs:
            places += self._places_for(cc, key)
            regions += [self._region_candidate(j, key)
                        for j in self._region_index.get((cc, key), ())]
        return places, regions
