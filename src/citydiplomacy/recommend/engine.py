"""Ranking one home against every candidate, with policy filtering and plain-language reasons.

NumPy: the policy status (by country, and by region where the policy table has rows for a
region) and the list of existing partners come in as arguments (services.py feeds them from
the database); what a status means is `policy.rules`. A candidate under a blocking status is
excluded with the reason; one under a status that needs clearance is offered flagged, the
clearance named in its first reason — never silently. Any node of the network may be the
home, placed or not: a home without a position, country, population or region is ranked on
the features it has, and the ranking says which were missing (`missing`, `note`). The wording
of reasons and notes is reasons.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import reasons as wording
from .facts import CountryFacts, load_facts
from .features import CANDIDATE_ONLY, INDEX, NAMES, FeatureEngine
from .learn import LinearModel
from .reasons import REASONS_PER_ROW
from .world import World


@dataclass
class Suggestion:
    rank: int
    node: int
    geonameid: int | None
    lg_id: int | None
    name: str
    country_code: str
    lat: float | None
    lng: float | None
    population: int
    score: float
    reasons: list[str]
    reason_codes: list[str]
    status: str = "normal"
    mutual: bool = False

    def as_dict(self) -> dict:
        return {"rank": self.rank, "geonameid": self.geonameid, "name": self.name,
                "country_code": self.country_code, "lat": self.lat, "lng": self.lng,
                "score": round(self.score, 4), "reasons": self.reasons,
                "policy_status": self.status, "mutual_match": self.mutual,
                "local_government_id": self.lg_id, "population": self.population}


@dataclass
class Ranking:
    home: int
    suggestions: list[Suggestion] = field(default_factory=list)
    excluded: list[Suggestion] = field(default_factory=list)  # policy-blocked, with reasons
    missing: list[str] = field(default_factory=list)  # World.missing_facts codes of the home
    note: str = ""  # which features were missing, in the user's language ("" when none)


class Recommender:
    """A world, its feature engine and a trained model; `rank(home)` answers in milliseconds."""

    def __init__(self, world: World, model: LinearModel, facts: CountryFacts | None = None,
                 engine: FeatureEngine | None = None):
        if list(model.names) != list(NAMES):
            raise ValueError("The stored model was trained with other features; run "
                             "`citydiplomacy train-recommender` again.")
        self.world = world
        self.model = model
        self.facts = facts or load_facts()
        self.engine = engine or FeatureEngine(world)
        self.candidates = np.flatnonzero(world.candidate)
        self.by_geonameid = world.index_of_geonameid()
        self.by_lg = world.index_of_lg()
        self._by_name: dict[tuple[str, str], int] | None = None
        self.country_codes = np.array(self.engine.facts.countries, dtype=object)
        self._subregion = {c: self.facts.subregion.get(c, "") for c in self.engine.facts.countries}
        # contributions of candidate-only features never change between homes: computed once
        self._const = tuple(INDEX[n] for n in CANDIDATE_ONLY)
        if len(self.candidates):
            X0 = self.engine.for_home(int(self.candidates[0]), self.candidates)
            self._const_contrib = model.contributions(X0)[:, list(self._const)]
        else:
            self._const_contrib = np.zeros((0, len(self._const)))

    # ------------------------------------------------------------------ lookup
    def node_for(self, *, geonameid: int | None = None, lg_id: int | None = None,
                 name: str = "", country: str = "") -> int | None:
        if lg_id is not None and lg_id in self.by_lg:
            return self.by_lg[lg_id]
        if geonameid is not None and geonameid in self.by_geonameid:
            return self.by_geonameid[geonameid]
        if name:
            from citydiplomacy.places.normalize import fold

            if self._by_name is None:  # built once: (folded name, country) -> most populous node
                by_name: dict[tuple[str, str], int] = {}
                pop = self.world.population
                for i, (nm, cc) in enumerate(zip(self.world.name, self.world.country)):
                    key = fold(str(nm))
                    for k in ((key, str(cc)), (key, "")):
                        if k not in by_name or pop[i] > pop[by_name[k]]:
                            by_name[k] = i
                self._by_name = by_name
            return self._by_name.get((fold(name), country or ""))
        return None

    # ------------------------------------------------------------------ ranking
    def rank(self, home: int, *, top: int = 20, emphasis: str | None = None,
             include_domestic: bool = False, countries: list[str] | None = None,
             subregion: str = "", exclude_nodes=(), status_of=None, region_status=None,
             profile_match=None, explain: bool = True) -> Ranking:
        """Top suggestions for `home`; `status_of(country_code) -> status` applies policy,
        `region_status` {(country_code, GeoNames admin1): (status, ISO 3166-2 code)} overrides
        it for the regions the policy table has rows for."""
        from citydiplomacy.policy.rules import blocks, needs_clearance

        w = self.world
        X = self.engine.for_home(home, self.candidates)
        contrib = self.model.contributions(X, skip=self._const)
        contrib[:, list(self._const)] = self._const_contrib
        contrib *= self.model.group_weights(emphasis)
        score = contrib.sum(axis=1) + self.model.intercept
        cand = self.candidates
        ok = cand != home
        known = set(self.engine.graph.neighbours(home).tolist()) | set(exclude_nodes)
        if known:
            ok &= ~np.isin(cand, np.fromiter(known, dtype=np.int64, count=len(known)))
        cc = w.country[cand]
        if not include_domestic and w.country[home]:
            ok &= cc != w.country[home]
        if countries:
            ok &= np.isin(cc, [c.upper() for c in countries])
        if subregion:
            ok &= np.isin(cc, [c for c, s in self._subregion.items() if s == subregion])
        blocked = np.zeros(len(cand), dtype=bool)
        status = np.full(len(cand), "normal", dtype=object)
        region = np.full(len(cand), "", dtype=object)
        if status_of is not None:
            for code in np.unique(cc[ok]):
                status[cc == code] = status_of(str(code)) or "normal"
            admin1 = w.admin1[cand]
            for (code, a1), (region_status_, region_code) in (region_status or {}).items():
                inside = (cc == code) & (admin1 == a1)
                status[inside], region[inside] = region_status_, region_code
            blocked = np.fromiter((blocks(s) for s in status), dtype=bool, count=len(cand)) & ok
            ok &= ~blocked
        ranking = Ranking(home=home, missing=w.missing_facts(home),
                          note=wording.missing_note(w, home))
        for target, mask, limit in ((ranking.suggestions, ok, top), (ranking.excluded, blocked, top)):
            idx = np.flatnonzero(mask)
            if not len(idx):
                continue
            k = min(limit, len(idx))
            part = idx[np.argpartition(-score[idx], k - 1)[:k]]
            part = part[np.argsort(-score[part], kind="stable")]
            for r, j in enumerate(part, start=1):
                node = int(cand[j])
                code = str(w.country[node])
                reasons, codes = self.reasons(home, node, X[j], contrib[j]) if explain else ([], [])
                if blocks(status[j]) or needs_clearance(status[j]):
                    reasons = [self.policy_reason(code, status[j], region[j])] + reasons
                target.append(Suggestion(
                    rank=r, node=node, geonameid=int(w.geonameid[node]) if w.geonameid[node] >= 0 else None,
                    lg_id=int(w.lg_id[node]) if w.lg_id[node] >= 0 else None,
                    name=str(w.name[node]), country_code=code,
                    lat=None if np.isnan(w.lat[node]) else float(w.lat[node]),
                    lng=None if np.isnan(w.lng[node]) else float(w.lng[node]),
                    population=int(w.population[node]), score=float(score[j]), reasons=reasons,
                    reason_codes=codes, status=str(status[j]),
                    mutual=bool(profile_match(node)) if profile_match else False))
        return ranking

    # ------------------------------------------------------------------ explanations
    def policy_reason(self, code: str, status: str, region: str = "") -> str:
        from django.utils.translation import gettext as _

        from citydiplomacy.places.countries import country_name, region_name

        country = region_name(region) if region else (country_name(code) or self.facts.names.get(code, code))
        if status == "restricted":
            return _("ties with local governments in %(area)s need a central clearance "
                     "(restricted by national policy)") % {"area": country}
        if status == "frozen":
            return _("relations with %(country)s are frozen") % {"country": country}
        return _("Türkiye has no diplomatic relations with %(country)s") % {"country": country}

    def reasons(self, home: int, node: int, x: np.ndarray, contrib: np.ndarray,
                limit: int = REASONS_PER_ROW) -> tuple[list[str], list[str]]:
        return wording.explain(self, home, node, x, contrib, limit)

    def reason_text(self, name: str, home: int, node: int, x: np.ndarray) -> str:
        return wording.reason_text(self, name, home, node, x)
