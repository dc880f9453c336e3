"""The reasons shown beside a suggestion, in the user's language, each one a person can check.

A reason names what it rests on: the partners through which a candidate connects ("twinned
with Köln and Berlin, your partners"), the path of partners of partners, the nearby towns
("Zeytinburnu, 4 km from you, is already its sister city"), and for shared history or a shared
membership the source the fact comes from (data/recommend/). The note on a home with missing
features (a name the gazetteer does not place: no position, perhaps no country) says which
features its suggestions do without.

`explain(rec, home, node, x, contrib)` picks the largest positive contributions of the model
(one per family) and words them; `reason_text` words one feature. Called by engine.Recommender.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .facts import fact_sources
from .features import INDEX, NAMES, haversine_km

REASONS_PER_ROW = 3
NAMED_PARTNERS = 3  # partners named in one reason; the rest are counted

_ALWAYS = {"log_distance", "log_population", "log_ties", "hdi"}
_FAMILY = {
    "same_continent": "where", "same_subregion": "where",
    "common_partners": "shared", "adamic_adar": "shared", "resource_allocation": "shared",
    "paths3": "paths", "katz3": "paths", "resource_allocation3": "paths",
    "resource_allocation4": "paths", "resource_allocation5": "paths",
    "log_population": "size", "size_ratio": "size",
}
_PATHS = ("paths3", "katz3", "resource_allocation3", "resource_allocation4", "resource_allocation5")


def _fmt_int(n: float) -> str:
    return f"{round(n):,}"


def _history_label(group: str) -> str:
    return {"soviet_union": _("the Soviet Union"), "yugoslavia": _("Yugoslavia"),
            "austria_hungary": _("Austria-Hungary")}.get(group, group.replace("_", " "))


def join_names(names: list[str]) -> str:
    """"Köln", "Köln and Berlin", "Köln, Lyon and Berlin" in the active language."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def present(name: str, value: float) -> bool:
    """A reason is only given for a property the pair has (an absent shared language can
    lift a score relative to the average, but is no reason to show)."""
    if name in _ALWAYS:
        return True
    if name == "size_ratio":
        return value < 0.5  # within about a factor of three
    return value > 0


def explain(rec, home: int, node: int, x: np.ndarray, contrib: np.ndarray,
            limit: int = REASONS_PER_ROW) -> tuple[list[str], list[str]]:
    """(texts, feature codes) of the largest positive contributions, one per family."""
    order = np.argsort(-contrib)
    texts, codes, seen = [], [], set()
    for k in order:
        if contrib[k] <= 0.05 or len(texts) >= limit:
            break
        name = NAMES[k]
        family = _FAMILY.get(name, name)
        if family in seen or not present(name, x[k]):
            continue
        text = reason_text(rec, name, home, node, x)
        if text:
            seen.add(family)
            texts.append(text)
            codes.append(name)
    if not texts:  # always say where it is, when we know
        text = reason_text(rec, "log_distance", home, node, x)
        if text:
            texts.append(text)
            codes.append("log_distance")
    return texts, codes


# --------------------------------------------------------------------------- what it rests on
def common_partners(rec, home: int, node: int) -> np.ndarray:
    """The home's partners that are also the candidate's, least connected first (those say
    most about the pair: Adamic–Adar and resource allocation weigh them most)."""
    g = rec.engine.graph
    shared = np.intersect1d(g.neighbours(home), g.neighbours(node), assume_unique=True)
    return shared[np.argsort(g.degree[shared], kind="stable")]


def partner_path(rec, home: int, node: int) -> tuple[int, int] | None:
    """(your partner p, its partner q) with q a partner of the candidate: the shortest path of
    partners of partners, through the least connected q; None when there is none."""
    g = rec.engine.graph
    mine = g.neighbours(home)
    if not len(mine):
        return None
    mine_set = set(mine.tolist())
    theirs = g.neighbours(node)
    for q in theirs[np.argsort(g.degree[theirs], kind="stable")]:
        if q == home or q in mine_set:
            continue
        via = [p for p in g.neighbours(int(q)).tolist() if p in mine_set]
        if via:
            return min(via, key=lambda p: g.degree[p]), int(q)
    return None


def closest(rec, base: int, others: np.ndarray) -> tuple[int, float] | None:
    w = rec.world
    if not len(others) or np.isnan(w.lat[base]):
        return None
    others = others[~np.isnan(w.lat[others])]
    if not len(others):
        return None
    km = haversine_km(w.lat[base], w.lng[base], w.lat[others], w.lng[others])
    j = int(np.argmin(km))
    return int(others[j]), float(km[j])


def regional_pair(rec, home: int, node: int) -> tuple[int, int] | None:
    """(town r near the candidate, town q near the home) with r and q twinned, the pair of
    largest nearness w(r, candidate)·w(q, home)."""
    W, g = rec.engine.W, rec.engine.graph
    near_node, near_home = W[node], W[home]
    home_w = dict(zip(near_home.indices.tolist(), near_home.data.tolist()))
    best, pair = 0.0, None
    for r, wr in zip(near_node.indices.tolist(), near_node.data.tolist()):
        for q in g.neighbours(r).tolist():
            v = wr * home_w.get(q, 0.0)
            if v > best:
                best, pair = v, (r, q)
    return pair


def _source(rec, key: str, code: str) -> str:
    return fact_sources().get((key, code), "")


# --------------------------------------------------------------------------- wording
def reason_text(rec, name: str, home: int, node: int, x: np.ndarray) -> str:
    from citydiplomacy.places.countries import country_name

    w, f = rec.world, rec.facts
    code, home_code = str(w.country[node]), str(w.country[home])
    country = country_name(code) or f.names.get(code, code)
    g = rec.engine.graph
    if name == "log_distance":
        km = float(haversine_km(w.lat[home], w.lng[home], w.lat[node], w.lng[node]))
        if np.isnan(km):
            return ""
        return _("%(km)s km away") % {"km": _fmt_int(round(km, -1) if km > 100 else km)}
    if name == "same_country":
        return _("in the same country")
    if name == "neighbour_country":
        return _("in a neighbouring country (%(country)s)") % {"country": country}
    if name in ("same_continent", "same_subregion"):
        region = f.subregion.get(code, "")
        return _("in the same part of the world (%(region)s)") % {"region": region or code}
    if name == "same_region":
        return _("in the same region")
    if name == "shared_language":
        return _("shares the main language")
    if name == "shared_language_family":
        return _("speaks a language of the same family (%(family)s)") % {"family": f.family_of(code)}
    if name == "shared_religion":
        return _("shares the majority religion")
    if name == "shared_oic":
        return _("both countries belong to the Organisation of Islamic Cooperation (members or "
                 "observers; source: %(source)s)") % {"source": _source(rec, "org:oic", code)}
    if name == "shared_ots":
        return _("both belong to the Organization of Turkic States (members or observers; "
                 "source: %(source)s)") % {"source": _source(rec, "org:ots", code)}
    if name == "turkic_region":
        return _("a Turkic-speaking region")
    if name == "ottoman_history":
        return _("shares Turkish-Ottoman history (source: %(source)s)") % {
            "source": _source(rec, "ottoman", code)}
    if name == "shared_history":
        groups = sorted(f.history.get(code, set()) & f.history.get(home_code, set()))
        if not groups:
            return ""
        return _("both were part of %(group)s (source: %(source)s)") % {
            "group": join_names([_history_label(gr) for gr in groups]),
            "source": _source(rec, f"history:{groups[0]}", code)}
    if name == "log_population":
        return _("a city of %(n)s inhabitants") % {"n": _fmt_int(w.population[node])}
    if name == "size_ratio":
        return _("of a similar size")
    if name == "capital":
        return _("a capital city")
    if name == "primate_city":
        return _("the largest city of %(country)s") % {"country": country}
    if name == "log_ties":
        n = int(g.degree[node])
        return ngettext("experienced: %(n)d international tie",
                        "experienced: %(n)d international ties", n) % {"n": n}
    if name == "hdi":
        value = f.hdi.get(code)
        return _("high human development (HDI %(hdi).3f)") % {"hdi": value} if value else ""
    if name in ("common_partners", "adamic_adar", "resource_allocation"):
        shared = common_partners(rec, home, node)
        if not len(shared):
            return ""
        names = [str(w.name[p]) for p in shared[:NAMED_PARTNERS]]
        more = len(shared) - len(names)
        if more:
            return ngettext("twinned with %(names)s and %(more)d more of your partners",
                            "twinned with %(names)s and %(more)d more of your partners", more) % {
                "names": ", ".join(names), "more": more}
        return ngettext("twinned with %(names)s, your partner", "twinned with %(names)s, your partners",
                        len(names)) % {"names": join_names(names)}
    if name == "near_your_partners":
        hit = closest(rec, node, g.neighbours(home))
        return _("near your partner %(name)s (%(km)s km)") % {
            "name": str(w.name[hit[0]]), "km": _fmt_int(hit[1])} if hit else ""
    if name == "twins_with_your_neighbours":
        hit = closest(rec, home, g.neighbours(node))
        return _("%(name)s, %(km)s km from you, is already its sister city") % {
            "name": str(w.name[hit[0]]), "km": _fmt_int(hit[1])} if hit else ""
    if name == "regional_ties":
        pair = regional_pair(rec, home, node)
        if pair is None:
            return _("towns near it twin with towns near you")
        return _("%(theirs)s, near it, is twinned with %(ours)s, near you") % {
            "theirs": str(w.name[pair[0]]), "ours": str(w.name[pair[1]])}
    if name in _PATHS:
        path = partner_path(rec, home, node)
        if path is None:
            return _("linked to you through partners of partners")
        return _("linked to you through your partner %(partner)s and its partner %(via)s") % {
            "partner": str(w.name[path[0]]), "via": str(w.name[path[1]])}
    if name == "country_pair_prior":
        n = int(g.country_ties[rec.engine.facts.country[home], rec.engine.facts.country[node]])
        return ngettext("cities of your two countries often twin (%(n)d tie)",
                        "cities of your two countries often twin (%(n)d ties)", n) % {"n": n}
    if name == "partners_in_country":
        n = round(np.expm1(x[INDEX["partners_in_country"]]))
        return ngettext("you already have %(n)d partner in %(country)s",
                        "you already have %(n)d partners in %(country)s", n) % {
            "n": n, "country": country}
    return ""


# --------------------------------------------------------------------------- missing features
def missing_labels() -> dict[str, str]:
    return {
        "position": _("position (distance, nearby towns)"),
        "country": _("country (language, religion, shared history)"),
        "population": _("population (size)"),
        "region": _("region (regional ties)"),
    }


def missing_note(world, home: int) -> str:
    """"" when every feature of the home is known; otherwise which ones its suggestions do
    without (a name the gazetteer does not place gets network-only features)."""
    codes = world.missing_facts(home)
    if not codes:
        return ""
    labels = missing_labels()
    text = "; ".join(labels[c] for c in codes)
    if "position" in codes:
        return _("%(name)s is not placed on the map, so its suggestions rest on the twinning "
                 "network only. Missing features: %(missing)s.") % {
            "name": str(world.name[home]), "missing": text}
    return _("Some features of %(name)s are unknown, so its suggestions do without them: "
             "%(missing)s.") % {"name": str(world.name[home]), "missing": text}
