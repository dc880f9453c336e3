"""Place-name resolver: raw (name, country) text -> a GeoNames place or an ISO 3166-2 region.

Pure Python over an in-memory index built once from a :class:`Gazetteer`. Policy: a wrong
answer is worse than "ambiguous", so homonyms are decided only when one candidate clearly
dominates (by being the only primary-name match, or by population), and an administrative
unit ("County Limerick", "Ostholstein (district)") never resolves to a town of that name.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process  # country names only ("Kazakhstah")

from .countries import NORTHERN_CYPRUS_CODE, national_country_code, unlisted_northern_cyprus_name
from .distance import km_between
from .gazetteer import (
    NORTHERN_CYPRUS,
    Gazetteer,
    PlaceRecord,
    RegionRecord,
    is_gazetteer_unit,
    load_country_aliases,
    load_region_aliases,
)
from .normalize import admin_keys_folded, fold, is_latin, parse_name, slavic_level, slavic_stem

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
DOMINANCE = 8  # a homonym wins when it has this many times the population of the next one
SAME_PLACE_KM = 15  # same-name records this close are one place (a town and its centre)
NEAR_PARENT_KM = 60
SLAVIC_STEM_COUNTRIES = frozenset({"RU", "BY", "KZ"})  # normalize.slavic_stem
# Countries whose GeoNames second-level units (ADM2) are the municipalities themselves, so a
# homonym that names no unit is a village inside some municipality, not a local government:
# Dutch/Danish/Swedish/Norwegian/Estonian/Lithuanian municipalities, Turkish ilçe, Portuguese
# concelhos, Korean si/gun/gu, Australian LGAs, Brazilian/Mexican/Colombian municipios,
# Argentine partidos, Romanian comune, Bulgarian obshtini. Not Japan (towns are not ADM2),
# Germany, Austria, Poland, France, Italy, Spain, the UK, China, the US (ADM2 above the town).
NAMESAKE_COUNTRIES = frozenset({"NL", "DK", "SE", "NO", "EE", "LT", "TR", "PT", "KR", "AU",
                                "BR", "MX", "CO", "AR", "RO", "BG"})
# No edit-distance matching of place names: on the twin-town file it gave more wrong answers
# than right ones (Yeongcheon->Yeoncheon, Neulingen->Nellingen). Spelling variants are matched
# through alternate names, diacritic folding and space-free keys instead (docs/places.md).
_REGION_TAILS = (" sheng", " shi", " zizhiqu", " huizu zizhiqu", " zhuangzu zizhiqu",
                 " uygur zizhiqu", " weiwu er zizhiqu", " county", " parish", " borough",
                 " province", " city", " prefecture", " region", " oblast", " kray", " krai")
_GENERIC_TAILS = {"gu", "ku", "qu", "shi", "si", "gun", "district", "dong", "ward", "raion",
                  "rayon", "municipality", "city"}


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # "place" | "region"
    ref: str  # geonameid (as text) or region code
    name: str
    country_code: str
    admin1_code: str
    latitude: float | None
    longitude: float | None
    population: int
    primary: bool = True  # matched on its main name (not an alternate name)

    @property
    def geonameid(self) -> int | None:
        return int(self.ref) if self.kind == "place" else None

    @property
    def region_code(self) -> str:
        return self.ref if self.kind == "region" else ""


@dataclass
class Resolution:
    status: str
    best: Candidate | None = None
    confidence: float = 0.0
    alternatives: list[Candidate] = field(default_factory=list)
    reason: str = ""
    country_code: str = ""  # as stored: XC for Northern Cyprus
    territory: str = ""
    parent: Candidate | None = None  # the city a district belongs to, when known
    how: str = ""

    @property
    def code(self) -> str:
        return self.best.ref if self.best else ""


@dataclass(frozen=True, slots=True)
class CountryParse:
    code: str
    region_code: str = ""
    territory: str = ""
    confidence: float = 1.0


class Resolver:
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
        self._build()

    # ---------------------------------------------------------------- index
    def _build(self) -> None:
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

    # ---------------------------------------------------------------- decide
    @staticmethod
    def _rank(places: list[Candidate]) -> list[Candidate]:
        best: dict[str, Candidate] = {}
        for c in places:
            if c.ref not in best or (c.primary and not best[c.ref].primary):
                best[c.ref] = c
        return sorted(best.values(), key=lambda c: (not c.primary, -c.population))

    def _decide_places(self, places, confidence, how, spelling: str = "",
                       regions=()) -> Resolution:
        ranked = self._rank(places)
        top = ranked[0]
        # records of one town a few km apart (town + its centre/quarter) count as one
        rivals = [c for c in ranked[1:] if km_between(top, c, math.inf) > SAME_PLACE_KM]
        if not rivals:
            return Resolution(RESOLVED, top, confidence, ranked[1:6], how=how)
        by_pop = sorted([top, *rivals], key=lambda c: -c.population)
        big, next_big = by_pop[0], by_pop[1]
        if (big.primary or not any(c.primary for c in by_pop)) and big.population >= 5000 \
                and big.population >= DOMINANCE * max(next_big.population, 1):
            others = [c for c in by_pop[1:] if km_between(big, c, math.inf) > SAME_PLACE_KM]
            return Resolution(RESOLVED, big, confidence * 0.8, others[:5], how=how + "+population")
        if top.primary and not rivals[0].primary and top.population >= rivals[0].population:
            return Resolution(RESOLVED, top, confidence * 0.9, rivals[:5], how=how + "+primary")
        if spelling:  # "Brugg" vs "Brügg": the exact spelling decides when only one has it
            exact = [c for c in [top, *rivals] if c.name.casefold() == spelling]
            if len(exact) == 1:
                rest = [c for c in [top, *rivals] if c is not exact[0]]
                return Resolution(RESOLVED, exact[0], confidence * 0.85, rest[:5], how=how + "+spelling")
        # A twin town is a local government: when the country has exactly one municipality of
        # this name and exactly one of the homonyms is the place that names it (the town
        # Burwood of the Burwood council, not the suburb Burwood of Whitehorse), that one is
        # meant. Only where GeoNames ADM2 units are the municipalities (NAMESAKE_COUNTRIES).
        units = {r.ref for r in regions if r.country_code in NAMESAKE_COUNTRIES}
        seats = [c for c in [top, *rivals] if c.kind == "place"
                 and self._namesake_of.get(int(c.ref), set()) & units]
        if len(units) == 1 and len(seats) == 1:  # several units of this name: no decision
            rest = [c for c in [top, *rivals] if c is not seats[0]]
            return Resolution(RESOLVED, seats[0], confidence * 0.8, rest[:5], how=how + "+namesake")
        return Resolution(
            AMBIGUOUS, None, 0.0, [top, *rivals[:7]],
            reason=f"{len(rivals) + 1} places share this name and none clearly dominates",
            how=how,
        )

    def _decide(self, places, regions, hint, context, parent, confidence, how,
                spelling: str = "") -> Resolution:
        if context and places:
            within = [c for c in places if c.admin1_code == context]
            places = within or places
        if parent is not None and places:
            near = [c for c in places if km_between(c, parent, math.inf) <= NEAR_PARENT_KM
                    or (c.admin1_code == parent.admin1_code and c.ref != parent.ref)]
            places = near or places
        regions = [r for r in regions if r.primary] or regions  # "Osaka Prefecture": JP-27
        if context and len(regions) > 1:
            regions = [r for r in regions if r.admin1_code == context] or regions
        if parent is not None and len(regions) > 1:  # "Gangseo (Seoul)", not Gangseo of Busan
            regions = [r for r in regions if r.admin1_code == parent.admin1_code] or regions
        if hint in ("region", "unit"):  # "unit": admin_words.py (unit or town)
            if len(regions) == 1:
                return Resolution(RESOLVED, regions[0], confidence, self._rank(places)[:5], how=how + "+region")
            if regions:
                return Resolution(AMBIGUOUS, None, 0.0, regions, reason="several regions share this name", how=how)
            return Resolution(
                UNRESOLVED, None, 0.0, self._rank(places)[:5],
                reason="an administrative unit that is not in the gazetteer "
                "(towns of the same name are listed as suggestions only)", how=how,
            )
        if places and (any(c.primary for c in places) or not any(r.primary for r in regions)):
            res = self._decide_places(places, confidence, how, spelling, regions)
            if hint == "strict" and res.status == RESOLVED and (
                    res.alternatives or not res.best.primary):
                # a name shortened by us ("Ebensee am Traunsee" -> "Ebensee") must be unique
                return Resolution(AMBIGUOUS, None, 0.0, [res.best, *res.alternatives],
                                  reason="shortened name matches several places", how=how)
            return res
        if len(regions) == 1:
            return Resolution(RESOLVED, regions[0], confidence * 0.95, [], how=how + "+region")
        if regions:
            return Resolution(AMBIGUOUS, None, 0.0, regions, reason="several regions share this name", how=how)
        return Resolution(UNRESOLVED, reason="no match")

    # ---------------------------------------------------------------- resolve
    def resolve(self, name: str, country: str) -> Resolution:
        res = self._resolve(name, country)
        cp = self.parse_country(country)
        if cp is not None:
            res.territory = cp.territory
            if not res.country_code:
                res.country_code = (
                    NORTHERN_CYPRUS_CODE if cp.territory == NORTHERN_CYPRUS else cp.code
                )
        if res.best is not None and not cp:
            res.country_code = res.best.country_code
        best_id = res.best.geonameid if res.best is not None else None  # national view: XC
        if unlisted_northern_cyprus_name(name, res.country_code, best_id):
            return Resolution(UNRESOLVED, reason="a municipality of Northern Cyprus, no GeoNames "
                              "place", country_code=NORTHERN_CYPRUS_CODE, territory=res.territory,
                              how="northern_cyprus")
        if res.best is not None and res.best.kind == "place":
            res.country_code = national_country_code(res.country_code, geonameid=best_id)
        return res

    def _choice(self, name: str, country: str) -> Resolution | None:
        chosen = self.choices.get((fold(name), fold(country)))
        if not chosen:
            return None
        kind, ref = chosen
        if kind == "unresolved":
            return Resolution(UNRESOLVED, reason="marked unresolvable by a reviewer", how="choice")
        cand = self.place_candidate(int(ref)) if kind == "place" else self.region_candidate(ref)
        if cand is None:
            return None
        return Resolution(RESOLVED, cand, 1.0, how="choice")

    def _resolve(self, name: str, country: str) -> Resolution:
        if not (name or "").strip():
            return Resolution(UNRESOLVED, reason="empty name")
        chosen = self._choice(name, country)
        if chosen:
            return chosen
        cp = self.parse_country(country)
        parsed = parse_name(name)
        spelling = unicodedata.normalize("NFC", name.split("(")[0].strip()).casefold()
        if cp is None:
            return self._resolve_global(parsed, country)
        ccs = (cp.code,)
        context = ""
        if cp.region_code:
            region = self._region_by_code.get(cp.region_code)
            context = region.admin1_code if region else ""
        parent = None
        for pk in parsed.parents:
            pp, _ = self._lookup(ccs, pk)
            if pp:
                parent = self._rank(pp)[0]
                break
        if parent is None and not context:
            for pk in parsed.parents:  # "Suzhou, Jiangsu", "Friedberg, Bavaria": a region
                _, pr = self._lookup(ccs, pk)
                linked = {r.admin1_code for r in pr if r.primary and r.admin1_code}
                if len(linked) == 1:
                    context = linked.pop()
                    break
        # (key, hint, regions): a unit known only by a GeoNames or generic-word-less name is
        # tried after every place variant ("Djibouti City" is the town even though GeoNames
        # lists "Djibouti City" as a name of the region)
        weak_only = []
        says_city = any(h == "city" for _, h in parsed.variants)
        for key, hint in parsed.variants:
            places, regions = self._lookup(ccs, key)
            if hint == "strict":  # a town shortened by us is never a region
                regions = []
            if regions and not places and hint not in ("region", "unit") and not any(
                    r.primary or (not says_city
                                  and (self._region_pos[r.ref], key) in self._named_region_keys)
                    for r in regions):
                weak_only.append((key, hint, regions))
                continue
            if places or regions:
                res = self._decide(places, regions, hint, context, parent, 0.95 * cp.confidence,
                                   "exact", spelling)
                if res.status != UNRESOLVED or hint == "region":
                    res.parent = parent if parsed.district_of else None
                    if res.status == UNRESOLVED and self._stem_regions(ccs, parsed):
                        break  # "Kaliningrad Oblast": found below by the adjective stem
                    return res
        # the same letters with spaces/hyphens elsewhere ("Hitachiōta" / "Hitachi-ota")
        for key, hint in parsed.variants[:3]:
            places = self._compact_places(cp.code, key) if hint != "region" else []
            if places:
                res = self._decide(places, [], hint, context, parent, 0.85, "compact", spelling)
                if res.status != UNRESOLVED:
                    res.parent = parent if parsed.district_of else None
                    return res
        for key, hint, regions in weak_only:  # "Meierijstad", "Suseong (Daegu)"
            res = self._decide([], regions, hint, context, parent, 0.9 * cp.confidence,
                               "unit", spelling)
            res.parent = parent if parsed.district_of else None
            return res
        stemmed = self._stem_regions(ccs, parsed)
        if stemmed:  # "Yeysky District" = GeoNames "Yeyskiy Rayon"
            res = self._decide([], stemmed, "region", context, parent, 0.85 * cp.confidence,
                               "stem", spelling)
            res.parent = parent if parsed.district_of else None
            return res
        if parent is not None and parsed.district_of:
            return Resolution(
                UNRESOLVED, None, 0.0, [parent], parent=parent,
                reason=f"a part of {parent.name} that is not in the gazetteer",
            )
        return Resolution(UNRESOLVED, reason="no place or region of this name in the country")

    def _stem_regions(self, ccs: tuple[str, ...], parsed) -> list[Candidate]:
        """Units of a "<adjective> District/Raion/Oblast/Region" name, by adjective stem."""
        key = fold(parsed.raw.split("(")[0])
        stem = slavic_stem(key, bare=True)
        if not stem:
            return []
        return [self._region_candidate(j) for cc in ccs if cc in SLAVIC_STEM_COUNTRIES
                for j in self._stem_index.get((cc, slavic_level(key), stem), ())]

    def _resolve_global(self, parsed, country: str) -> Resolution:
        for key, hint in parsed.variants:
            places = self._global_places(key)
            if places:
                res = self._decide_places(places, 0.6, "global")
                if res.status == RESOLVED:
                    res.country_code = res.best.country_code
                res.reason = res.reason or f"country {country!r} not recognised; matched worldwide"
                return res
        return Resolution(UNRESOLVED, reason=f"country {country!r} not recognised")


def build_resolver(gazetteer: Gazetteer, choices: dict | None = None) -> Resolver:
    resolver = Resolver(gazetteer, choices)
    resolver.set_countries(gazetteer.countries)
    return resolver
