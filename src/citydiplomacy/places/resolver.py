"""Place-name resolver: raw (name, country) text -> a GeoNames place or an ISO 3166-2 region.

Pure Python over an in-memory index built once from a :class:`Gazetteer`
(resolver_index.py); the choice among candidates follows resolver_rules.py. This module owns
the resolution flow: review choices first, the country field, parents and region qualifiers,
then each variant of the name (exact, space-free, unit-only, Slavic stem, worldwide when the
country is not recognised), and the national view of the country (Northern Cyprus).
"""

from __future__ import annotations

import unicodedata

from .countries import NORTHERN_CYPRUS_CODE, national_country_code, unlisted_northern_cyprus_name
from .gazetteer import NORTHERN_CYPRUS, Gazetteer
from .normalize import fold, parse_name, slavic_level, slavic_stem
from .resolution import (  # noqa: F401  (the resolver's public names, imported from here)
    AMBIGUOUS,
    RESOLVED,
    UNRESOLVED,
    Candidate,
    CountryParse,
    Resolution,
)
from .resolver_index import SLAVIC_STEM_COUNTRIES, ResolverIndex
from .resolver_rules import DecisionRules


class Resolver(ResolverIndex, DecisionRules):
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
            context = self.top_admin1(region.code) if region else ""
        parent = None
        for pk in parsed.parents:
            pp, _ = self._lookup(ccs, pk)
            if pp:
                parent = self._rank(pp)[0]
                break
        qualifier_region = ""  # "Córdoba, Bolívar": the department, though towns Bolívar exist
        if parent is not None and not context:
            for pk in parsed.parents:
                linked = {self.top_admin1(r.ref) for r in self._lookup(ccs, pk)[1]
                          if r.primary} - {""}
                if len(linked) == 1:
                    qualifier_region = linked.pop()
                    break
        if parent is None and not context:
            for pk in parsed.parents:  # "Suzhou, Jiangsu", "Friedberg, Bavaria": a region
                _, pr = self._lookup(ccs, pk)
                # a unit known by a weak key only ("Kladno District") when no strong one is
                linked = ({self.top_admin1(r.ref) for r in pr if r.primary}
                          or {self.top_admin1(r.ref) for r in pr}) - {""}
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
                                   "exact", spelling, qualifier_region)
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
