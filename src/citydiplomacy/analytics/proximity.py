"""Proximity profile of an organisation's partners against a fair baseline.

For each kind of proximity in the recommender's feature engine (recommend.features: same or
neighbouring country, continent, sub-region, language, language family, religion, OIC, OTS,
Turkic region, Ottoman history, shared history), the share of the organisation's partners
that have it is set beside the same share for a size-matched random draw of world places
(BASELINE_DRAWS per partner, each from the partner's population decile among the
recommender's candidates; seeded, so the page is stable), with the distance distribution and
a plain-language summary. Nothing is duplicated: features come from recommend.features.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from citydiplomacy.places.normalize import fold

KINDS = ("same_country", "neighbour_country", "same_continent", "same_subregion",
         "shared_language", "shared_language_family", "shared_religion", "shared_oic",
         "shared_ots", "turkic_region", "ottoman_history", "shared_history")
BASELINE_DRAWS = 20
DISTANCE_BINS = (0, 500, 1000, 2000, 5000, 10000, 25000)


def kind_labels() -> dict[str, str]:
    return {
        "same_country": _("Same country"), "neighbour_country": _("Neighbouring country"),
        "same_continent": _("Same continent"), "same_subregion": _("Same UN sub-region"),
        "shared_language": _("Shared official language"),
        "shared_language_family": _("Same language family"),
        "shared_religion": _("Same majority religion"), "shared_oic": _("Both in the OIC"),
        "shared_ots": _("Both in the Organization of Turkic States"),
        "turkic_region": _("Turkic-speaking region"), "ottoman_history": _("Ottoman history"),
        "shared_history": _("Other shared history"),
    }


def _engine(source: str):
    """The recommender's feature engine (one world per process, kept up to date by
    recommend.services.get_recommender) with look-ups into it; without a trained model, an
    engine of its own."""
    from citydiplomacy.recommend.services import get_recommender, world_key

    recommender = get_recommender(source)
    if recommender is not None:
        return _lookups(recommender.engine)
    return _own_engine(source, world_key())


@lru_cache(maxsize=1)
def _own_engine(source: str, world: tuple):  # `world`: built anew when the world changed
    from citydiplomacy.recommend.features import FeatureEngine
    from citydiplomacy.recommend.world import load_world

    return _lookups(FeatureEngine(load_world(source)))


@lru_cache(maxsize=2)
def _lookups(engine):
    world = engine.world
    by_lg = {int(v): i for i, v in enumerate(world.lg_id) if v >= 0}
    by_gid = {int(v): i for i, v in enumerate(world.geonameid) if v >= 0}
    by_name: dict[tuple[str, str], int] = {}
    for i, (name, country) in enumerate(zip(world.name, world.country)):
        key = (fold(name), str(country))
        if key not in by_name or world.population[i] > world.population[by_name[key]]:
            by_name[key] = i
    return engine, by_lg, by_gid, by_name


def clear_cache() -> None:
    _own_engine.cache_clear()
    _lookups.cache_clear()


def _node(lg, by_lg, by_gid, by_name) -> int | None:
    if lg is None:
        return None
    if lg.pk in by_lg:
        return by_lg[lg.pk]
    if lg.geonameid and lg.geonameid in by_gid:
        return by_gid[lg.geonameid]
    for name in (lg.name, lg.raw_name):
        hit = by_name.get((fold(name), lg.country_code or ""))
        if hit is not None:
            return hit
    return None


@dataclass
class Profile:
    organisation: object
    partners: int
    placed: int
    rows: list[dict]
    distance_bins: list[dict]
    median_km: float | None
    baseline_median_km: float | None
    summary: list[str]


def _share(matrix: np.ndarray, column: int) -> float:
    return float(np.mean(matrix[:, column] > 0)) if len(matrix) else 0.0


def proximity_profile(organisation, partners: list, *, source: str = "auto", seed: int = 7) -> Profile:
    """The profile computed now (the page reads the one computed in the background:
    analytics.proximity_results)."""
    return profile_from(organisation, profile_numbers(organisation, partners, source=source, seed=seed))


def profile_numbers(organisation, partners: list, *, source: str = "auto", seed: int = 7) -> dict:
    """The profile's figures, without words (stored by the background task as they are and
    labelled in the reader's language by `profile_from`)."""
    from citydiplomacy.recommend.features import INDEX

    engine, by_lg, by_gid, by_name = _engine(source)
    world = engine.world
    home = _node(organisation, by_lg, by_gid, by_name)
    nodes = [n for n in (_node(p, by_lg, by_gid, by_name) for p in partners) if n is not None and n != home]
    if home is None or not nodes:
        return {"partners": len(partners), "placed": 0}
    ours = engine.for_pairs(np.full(len(nodes), home), np.array(nodes))
    # size-matched baseline: for each partner, draws from its population decile
    candidates = np.where(world.candidate & (world.population > 0))[0]
    candidates = candidates[candidates != home]
    log_pop = np.log10(world.population[candidates])
    edges = np.quantile(log_pop, np.linspace(0, 1, 11))
    decile = np.clip(np.searchsorted(edges, log_pop, side="right") - 1, 0, 9)
    rng = np.random.default_rng(seed)
    draws = []
    for node in nodes:
        p = world.population[node]
        d = int(np.clip(np.searchsorted(edges, np.log10(p), side="right") - 1, 0, 9)) if p > 0 else 9
        pool = candidates[decile == d]
        draws.extend(rng.choice(pool, size=BASELINE_DRAWS, replace=True))
    baseline = engine.for_pairs(np.full(len(draws), home), np.array(draws))
    rows = []
    for kind in KINDS:
        column = INDEX[kind]
        share, base = _share(ours, column), _share(baseline, column)
        rows.append({"kind": kind, "share": round(100 * share, 1), "baseline": round(100 * base, 1),
                     "ratio": round(share / base, 1) if base > 0 else None})
    km = 10 ** ours[:, INDEX["log_distance"]] - 1
    base_km = 10 ** baseline[:, INDEX["log_distance"]] - 1
    bins = []
    for low, high in pairwise(DISTANCE_BINS):
        bins.append({"label": f"{low:,}–{high:,} km", "partners": int(np.sum((km >= low) & (km < high))),
                     "share": round(100 * float(np.mean((km >= low) & (km < high))), 1),
                     "baseline": round(100 * float(np.mean((base_km >= low) & (base_km < high))), 1)})
    return {"partners": len(partners), "placed": len(nodes), "rows": rows, "distance_bins": bins,
            "median_km": float(np.median(km)), "baseline_median_km": float(np.median(base_km))}


def profile_from(organisation, numbers: dict) -> Profile:
    """The profile of `profile_numbers`, with its labels and summary in the active language."""
    if not numbers.get("placed"):
        return Profile(organisation, numbers.get("partners", 0), 0, [], [], None, None,
                       [_("Not enough located partners to draw a profile.")])
    labels = kind_labels()
    rows = [{**row, "label": labels[row["kind"]]} for row in numbers["rows"]]
    median_km, base_median = numbers["median_km"], numbers["baseline_median_km"]
    summary = _summary(organisation, rows, median_km, base_median, numbers["placed"])
    bins = [{**b, "label": f"{_num(low)}–{_num(high)} km"}  # in the reader's number format
            for b, (low, high) in zip(numbers["distance_bins"], pairwise(DISTANCE_BINS), strict=True)]
    return Profile(organisation, numbers["partners"], numbers["placed"], rows, bins,
                   round(median_km), round(base_median), summary)


def _num(value, places: int = 0) -> str:
    """A number with the active language's grouping and decimal mark (2.233 / 39,0 in Turkish)."""
    return number_format(value, places, use_l10n=True, force_grouping=True)


def _summary(organisation, rows, median_km, base_median, n) -> list[str]:
    lines = [_("%(n)d partners of %(name)s could be placed; half of them lie within %(km)s km "
               "(a size-matched random draw of world cities: %(base)s km).") % {
        "n": n, "name": organisation.name, "km": _num(median_km), "base": _num(base_median)}]
    over = sorted((r for r in rows if r["ratio"] and r["ratio"] >= 1.5 and r["share"] >= 10),
                  key=lambda r: -r["ratio"])[:3]
    for row in over:
        lines.append(_("%(share)s%% of partners share “%(kind)s”, against %(base)s%% in the "
                       "baseline (%(ratio)s×).") % {"share": _num(row["share"], 1), "kind": row["label"],
                                                    "base": _num(row["baseline"], 1),
                                                    "ratio": _num(row["ratio"], 1)})
    under = [r for r in rows if r["baseline"] >= 10 and r["share"] < r["baseline"] / 1.5]
    for row in under[:2]:
        lines.append(_("Fewer partners than expected share “%(kind)s” (%(share)s%% against "
                       "%(base)s%%).") % {"kind": row["label"], "share": _num(row["share"], 1),
                                          "base": _num(row["baseline"], 1)})
    return lines
