"""The resolver's decision rules: which of the candidates a lookup found is the answer.

Policy: a wrong answer is worse than "ambiguous", so homonyms are decided only when one
candidate clearly dominates (by being the only primary-name match, by population, by the
exact spelling, or by being the seat that names the country's only municipality of that
name), and an administrative unit ("County Limerick", "Ostholstein (district)") never
resolves to a town of that name.
"""

from __future__ import annotations

import math

from .distance import km_between
from .gazetteer import is_gazetteer_unit
from .normalize import fold
from .registries import COMMUNE_COUNTRIES, is_registry_commune
from .resolution import AMBIGUOUS, RESOLVED, UNRESOLVED, Candidate, Resolution

ALIAS_DOMINANCE = 2
# Where that holds: in the United States an alternate name of another town is an old name
# (Annapolis was Providence). Not in China (a county's name is an alternate name of its seat:
# Pingnan of Fujian is the town Gufeng), nor Japan (Hidaka of Hokkaido is Monbetsu-honchō).
ALIAS_COUNTRIES = frozenset({"US"})
DOMINANCE = 8  # a homonym wins when it has this many times the population of the next one
SAME_PLACE_KM = 15  # same-name records this close are one place (a town and its centre)
NEAR_PARENT_KM = 60
# Countries whose GeoNames ADM2 municipalities are those of the lists' time: Turkish ilçe. Not
# Norway, Denmark, the Netherlands (merged since: GeoNames has Sande in Møre og Romsdal only,
# the file's Sande twinned with Klippan and Akaa is Sande in Vestfold, now Holmestrand).
MUNICIPALITY_COUNTRIES = frozenset({"TR"})
VILLAGE = 5000  # fewer people than this: a village, not a town (see the municipality rule)
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


def _contains(text: str, words: str) -> bool:
    """True when the folded `text` holds the folded `words` as whole words."""
    return f" {words} " in f" {text} "


class DecisionRules:
    """Mixed into the resolver; uses the index's ``_namesake_of`` and ``top_admin1``."""

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
        # A homonym by its own name needs DOMINANCE over the others of that name, but only
        # ALIAS_DOMINANCE over places that have the name as an old or other name unrelated to
        # their own (Providence RI, not Annapolis, whose first name it was). Places whose own
        # name contains it ("Rockville Centre", "Santa Rosa Beach") count as homonyms, and so
        # does every place outside ALIAS_COUNTRIES.
        named = fold(big.name)
        homonyms = [c for c in by_pop[1:] if c.primary or big.country_code not in ALIAS_COUNTRIES
                    or _contains(fold(c.name), named) or _contains(named, fold(c.name))]
        next_named = max((c.population for c in homonyms), default=0)
        next_alias = max((c.population for c in by_pop[1:] if c not in homonyms), default=0)
        if big.primary and big.population >= 5000 \
                and big.population >= DOMINANCE * max(next_named, 1) \
                and big.population >= ALIAS_DOMINANCE * next_alias or (
                    not any(c.primary for c in by_pop) and big.population >= 5000
                    and big.population >= DOMINANCE * max(next_big.population, 1)):
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
        # Where the registry lists every municipality (France, Italy, Hungary), the homonyms
        # that are not municipalities are quarters and hamlets: when the country has exactly
        # one commune of the name and exactly one homonym lies in that commune's region, it is
        # that commune's town (Bondeno of Ferrara, not the frazione of Gonzaga in Lombardy).
        communes = [r for r in regions if is_registry_commune(r.ref)]
        if len(communes) == 1 and communes[0].country_code in COMMUNE_COUNTRIES:
            region = self.top_admin1(communes[0].ref)
            inside = [c for c in [top, *rivals] if region and c.admin1_code == region]
            if len(inside) == 1:
                rest = [c for c in [top, *rivals] if c is not inside[0]]
                return Resolution(RESOLVED, inside[0], confidence * 0.8, rest[:5],
                                  how=how + "+commune")
        # ... and when no single homonym names it and all are villages, the country's only
        # municipality of this name is meant (Tuzla and Şahinbey, the district municipalities
        # of İstanbul and Gaziantep, not the villages or quarters of that name). Only where
        # the units are stable (MUNICIPALITY_COUNTRIES).
        municipalities = [r for r in regions if r.country_code in MUNICIPALITY_COUNTRIES
                          and is_gazetteer_unit(r.ref)]
        if len(municipalities) == 1 and len(seats) != 1 and all(
                c.population < VILLAGE for c in [top, *rivals]):
            return Resolution(RESOLVED, municipalities[0], confidence * 0.8, [top, *rivals[:4]],
                              how=how + "+municipality")
        return Resolution(
            AMBIGUOUS, None, 0.0, [top, *rivals[:7]],
            reason=f"{len(rivals) + 1} places share this name and none clearly dominates",
            how=how,
        )

    def _decide(self, places, regions, hint, context, parent, confidence, how,
                spelling: str = "", qualifier_region: str = "") -> Resolution:
        if context and places:
            within = [c for c in places if c.admin1_code == context]
            places = within or places
        if parent is not None and places:
            near = [c for c in places if km_between(c, parent, math.inf) <= NEAR_PARENT_KM
                    or (c.admin1_code == parent.admin1_code and c.ref != parent.ref)]
            if not near and qualifier_region:  # the qualifier's town is far: its region then
                near = [c for c in places if c.admin1_code == qualifier_region]
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
