"""The feature engine: every feature of (home, candidate) pairs, vectorised with NumPy and
scipy.sparse. No Django.

Two entry points compute the same numbers:

* ``FeatureEngine.for_home(h)`` — one home against every node (N × F), used for ranking; the
  network part works on one dense row (``a = A[h]``) so that ranking stays a few sparse
  matrix–vector products;
* ``FeatureEngine.for_pairs(homes, cands)`` — arbitrary pairs, used for training and tests.

Feature values are raw (log-scaled where noted); standardisation is the model's business.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from citydiplomacy.places.distance import EARTH_RADIUS_KM
from citydiplomacy.places.distance import great_circle_km as haversine_km  # noqa: F401 (engine, tests)

from .facts import NodeFacts, node_facts
from .nearness import _rows_sum, nearness_matrix
from .world import World

KATZ_BETA = 0.05


@dataclass(frozen=True)
class Feature:
    name: str
    group: str  # geography | culture | history | contribution | network


FEATURES: tuple[Feature, ...] = (
    Feature("log_distance", "geography"),
    Feature("same_country", "geography"),
    Feature("neighbour_country", "geography"),
    Feature("same_continent", "geography"),
    Feature("same_subregion", "geography"),
    Feature("same_region", "geography"),
    Feature("shared_language", "culture"),
    Feature("shared_language_family", "culture"),
    Feature("shared_religion", "culture"),
    Feature("shared_oic", "culture"),
    Feature("shared_ots", "culture"),
    Feature("turkic_region", "culture"),
    Feature("ottoman_history", "history"),
    Feature("shared_history", "history"),
    Feature("log_population", "contribution"),
    Feature("size_ratio", "contribution"),
    Feature("capital", "contribution"),
    Feature("primate_city", "contribution"),
    Feature("log_ties", "contribution"),
    Feature("hdi", "contribution"),
    Feature("common_partners", "network"),
    Feature("adamic_adar", "network"),
    Feature("resource_allocation", "network"),
    Feature("paths3", "network"),
    Feature("katz3", "network"),
    Feature("resource_allocation3", "network"),
    Feature("resource_allocation4", "network"),
    Feature("resource_allocation5", "network"),
    Feature("country_pair_prior", "network"),
    Feature("partners_in_country", "network"),
    Feature("ties_with_your_country", "network"),
    Feature("partners_in_region", "network"),
    Feature("region_pair_prior", "network"),
    Feature("near_your_partners", "network"),
    Feature("twins_with_your_neighbours", "network"),
    Feature("regional_ties", "network"),
)
NAMES = tuple(f.name for f in FEATURES)
GROUPS = tuple(f.group for f in FEATURES)
INDEX = {name: i for i, name in enumerate(NAMES)}
NETWORK = np.array([g == "network" for g in GROUPS])
# features that depend on the candidate only (not on the home): cached by the ranker
CANDIDATE_ONLY = ("log_population", "capital", "primate_city", "log_ties", "hdi")


class Graph:
    """The twinning network as a symmetric 0/1 CSR matrix with the derived weights."""

    def __init__(self, n: int, edges: np.ndarray, country: np.ndarray, n_countries: int):
        edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        a = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n))
        a.data[:] = 1.0  # duplicates collapse to one tie
        self.A = a
        self.n_edges = len(edges)
        self.degree = np.asarray(a.sum(axis=1)).ravel()
        d = self.degree
        self.inv_deg = np.divide(1.0, d, out=np.zeros_like(d), where=d > 0)
        self.inv_log_deg = np.divide(1.0, np.log(np.maximum(d, 2.0)), out=np.zeros_like(d),
                                     where=d > 0)
        # A D^-1 A: two-hop resource allocation operator (for three-hop RA)
        self.ARA = (a @ sp.diags(self.inv_deg) @ a).tocsr()
        # ties between countries (C × C), diagonal = domestic ties
        ci, cj = country[edges[:, 0]], country[edges[:, 1]]
        t = np.zeros((n_countries, n_countries))
        np.add.at(t, (ci, cj), 1.0)
        np.add.at(t, (cj, ci), 1.0)
        t[0, :] = t[:, 0] = 0.0
        self.country_ties = t
        self.country = country

    def attach_regions(self, region_key: np.ndarray, country: np.ndarray, n_countries: int) -> None:
        """Per-node tie counts by country (N × C) and region-pair tie counts (sparse R × R)."""
        n = self.A.shape[0]
        onehot_c = sp.csr_matrix((np.ones(n), (np.arange(n), country)), shape=(n, n_countries))
        self.ties_by_country = (self.A @ onehot_c).tocsc()  # column k: ties of each node into k
        n_regions = int(region_key.max()) + 1 if n else 1
        onehot_r = sp.csr_matrix((np.ones(n), (np.arange(n), region_key)), shape=(n, n_regions))
        self.region_ties = (onehot_r.T @ self.A @ onehot_r).tocsr()
        self.ties_by_region = (self.A @ onehot_r).tocsr()  # N × R: ties of each node into r
        self.ties_by_country_csr = self.ties_by_country.tocsr()
        self.region_key = region_key
        self.n_regions = n_regions

    def neighbours(self, i: int) -> np.ndarray:
        return self.A.indices[self.A.indptr[i]:self.A.indptr[i + 1]]


class FeatureEngine:
    def __init__(self, world: World, facts: NodeFacts | None = None, edges: np.ndarray | None = None,
                 nearness: sp.csr_matrix | None = None):
        self.world = world
        self.facts = facts if facts is not None else node_facts(world)
        f = self.facts
        self.graph_edges = np.asarray(world.edges if edges is None else edges,
                                      dtype=np.int64).reshape(-1, 2)
        self.graph = Graph(world.n, self.graph_edges, f.country, len(f.countries))
        # regions of unknown country or without admin1 code never match
        rk = np.where((f.country > 0) & np.array([bool(a) for a in world.admin1]), f.region_key, 0)
        self._region = rk
        self.graph.attach_regions(rk, f.country, len(f.countries))
        self.lat = np.where(np.isnan(world.lat), 0.0, world.lat)
        self.lng = np.where(np.isnan(world.lng), 0.0, world.lng)
        self.has_coords = ~np.isnan(world.lat) & ~np.isnan(world.lng)
        # unit vectors: great-circle distance = 2R·asin(chord/2) from one dot product
        phi, lam = np.radians(self.lat), np.radians(self.lng)
        self.xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
        self.log_pop = np.log10(np.maximum(world.population, 1.0))
        self.has_pop = world.population > 0
        self.has_admin1 = np.array([bool(a) for a in world.admin1], dtype=bool)
        hdi = f.hdi.copy()
        self.hdi = np.where(np.isnan(hdi), np.nanmedian(hdi) if np.isfinite(hdi).any() else 0.7, hdi)
        # geography only (no ties): shared by every engine built from this one
        self.W = nearness if nearness is not None else nearness_matrix(self.xyz, self.has_coords)

    def with_edges(self, edges: np.ndarray) -> FeatureEngine:
        return FeatureEngine(self.world, self.facts, edges, self.W)

    # ------------------------------------------------------------------ non-network part
    def _static(self, h: np.ndarray, c: np.ndarray, out: np.ndarray) -> None:
        f = self.facts
        col = INDEX
        if len(h) and np.all(h == h[0]):
            dot = self.xyz[c] @ self.xyz[h[0]]
        else:
            dot = np.einsum("ij,ij->i", self.xyz[h], self.xyz[c])
        chord = np.sqrt(np.clip(2.0 - 2.0 * dot, 0.0, 4.0))
        km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))
        both = self.has_coords[h] & self.has_coords[c]
        out[:, col["log_distance"]] = np.where(both, np.log10(1.0 + km), 3.3)
        ch, cc = f.country[h], f.country[c]
        known = (ch > 0) & (cc > 0)
        out[:, col["same_country"]] = known & (ch == cc)
        out[:, col["neighbour_country"]] = f.neighbours[ch, cc]
        for name, arr in (("same_continent", f.continent), ("same_subregion", f.subregion),
                          ("shared_language", f.language), ("shared_language_family", f.family),
                          ("shared_religion", f.religion)):
            out[:, col[name]] = (arr[h] > 0) & (arr[h] == arr[c])
        out[:, col["same_region"]] = (f.region_key[h] == f.region_key[c]) & known & self.has_admin1[c]
        out[:, col["shared_oic"]] = np.minimum(f.oic[h], f.oic[c])
        out[:, col["shared_ots"]] = np.minimum(f.ots[h], f.ots[c])
        out[:, col["turkic_region"]] = f.turkic[h] & f.turkic_region[c]
        out[:, col["ottoman_history"]] = np.minimum(f.ottoman[h], f.ottoman[c])
        out[:, col["shared_history"]] = (f.history[h] & f.history[c]) != 0
        out[:, col["log_population"]] = self.log_pop[c]
        ratio = np.abs(self.log_pop[h] - self.log_pop[c])
        out[:, col["size_ratio"]] = np.where(self.has_pop[h] & self.has_pop[c], ratio, 1.0)
        out[:, col["capital"]] = f.capital[c]
        out[:, col["primate_city"]] = f.primate[c]
        out[:, col["log_ties"]] = np.log1p(self.graph.degree[c])
        out[:, col["hdi"]] = self.hdi[c]

    def _country_prior(self, h, c) -> np.ndarray:
        ch, cc = self.facts.country[h], self.facts.country[c]
        return np.log1p(self.graph.country_ties[ch, cc])

    # ------------------------------------------------------------------ network part
    def _network(self, h: int, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Network scores of home h against the nodes `idx` (a few sparse matrix–vector
        products over all N nodes; transformations only on `idx`)."""
        g = self.graph
        A = g.A
        n = self.world.n
        nb = g.neighbours(h)
        a = np.zeros(n)
        a[nb] = 1.0
        # the last product of each chain is only needed on idx (few rows when training)
        Ai = A if len(idx) > n // 4 else A[idx]
        cn = A @ a
        r2 = A @ (a * g.inv_deg)  # resource allocation (two hops)
        r3 = A @ (r2 * g.inv_deg)
        r4 = A @ (r3 * g.inv_deg)
        p3 = Ai @ cn
        r5 = Ai @ (r4 * g.inv_deg)
        aa = Ai @ (a * g.inv_log_deg)
        if Ai is A:
            p3, r5, aa = p3[idx], r5[idx], aa[idx]
        # spatial-network part (W is symmetric: a weighted sum of rows of W is W @ x)
        near = self.W[h]
        twn = A @ near.toarray().ravel()  # ties with towns near the home
        nyp = _rows_sum(self.W, nb, np.ones(len(nb)), n)  # nearness to the home's partners
        tz = np.flatnonzero(twn)
        reg = _rows_sum(self.W, tz, twn[tz], n)  # near towns tied with towns near the home
        fc = self.facts.country
        by_country = np.bincount(fc, weights=a, minlength=len(self.facts.countries))
        by_country[0] = 0
        by_region = np.bincount(self._region, weights=a, minlength=g.n_regions)
        by_region[0] = 0
        ch = fc[h]
        if ch > 0:
            col = g.ties_by_country
            lo, hi = col.indptr[ch], col.indptr[ch + 1]
            twc_full = np.zeros(self.world.n)
            twc_full[col.indices[lo:hi]] = col.data[lo:hi]
            twc = twc_full[idx]
        else:
            twc = np.zeros(len(idx))
        rh = self._region[h]
        rp = g.region_ties[rh].toarray().ravel() if rh > 0 else np.zeros(g.n_regions)
        rp[0] = 0
        ri = self._region[idx]
        cn_i, p3_i = cn[idx], p3
        return {
            "ties_with_your_country": np.log1p(twc),
            "partners_in_region": np.log1p(by_region[ri]),
            "region_pair_prior": np.log1p(rp[ri]),
            "common_partners": np.log1p(cn_i),
            "adamic_adar": aa,
            "resource_allocation": r2[idx],
            "paths3": np.log1p(p3_i),
            "katz3": np.log1p((KATZ_BETA * a[idx] + KATZ_BETA**2 * cn_i + KATZ_BETA**3 * p3_i)
                              / KATZ_BETA**3),
            "resource_allocation3": r3[idx] * 10.0,
            "resource_allocation4": np.log1p(r4[idx] * 1000.0),
            "resource_allocation5": np.log1p(r5 * 1000.0),
            "partners_in_country": np.log1p(by_country[fc[idx]]),
            "near_your_partners": nyp[idx],
            "twins_with_your_neighbours": twn[idx],
            "regional_ties": np.log1p(reg[idx]),
        }

    def for_home(self, h: int, candidates: np.ndarray | None = None) -> np.ndarray:
        c = np.arange(self.world.n) if candidates is None else np.asarray(candidates)
        out = np.zeros((len(c), len(FEATURES)), dtype=np.float64, order="F")
        hs = np.full(len(c), h)
        self._static(hs, c, out)
        for name, vec in self._network(h, c).items():
            out[:, INDEX[name]] = vec
        out[:, INDEX["country_pair_prior"]] = self._country_prior(hs, c)
        return out

    def for_pairs(self, homes: np.ndarray, cands: np.ndarray, batch: int = 512) -> np.ndarray:
        """Same numbers as for_home, for arbitrary pairs (training and tests).

        Homes are taken `batch` at a time: their N × batch walk vectors come from a few sparse
        products (walks of up to four steps stay local on this network), and each pair reads
        its values off the candidate's row of A (or of the nearness kernel W)."""
        h, c = np.asarray(homes, dtype=np.int64), np.asarray(cands, dtype=np.int64)
        out = np.zeros((len(h), len(FEATURES)), dtype=np.float64)
        if len(h) == 0:
            return out
        self._static(h, c, out)
        out[:, INDEX["country_pair_prior"]] = self._country_prior(h, c)
        g, f = self.graph, self.facts
        A, W = g.A, self.W
        col = INDEX
        # counts read off sparse tables
        cc, ch = f.country[c], f.country[h]
        pic = _sample(g.ties_by_country_csr, h, cc) * (cc > 0)
        twc = _sample(g.ties_by_country_csr, c, ch) * (ch > 0)
        rc, rh = self._region[c], self._region[h]
        pir = _sample(g.ties_by_region, h, rc) * (rc > 0)
        rpp = _sample(g.region_ties, rh, rc) * ((rh > 0) & (rc > 0))
        is_tie = _sample(A, h, c)
        out[:, col["partners_in_country"]] = np.log1p(pic)
        out[:, col["ties_with_your_country"]] = np.log1p(twc)
        out[:, col["partners_in_region"]] = np.log1p(pir)
        out[:, col["region_pair_prior"]] = np.log1p(rpp)
        # walks from each home, a batch of homes at a time
        uniq, inv = np.unique(h, return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(0, len(uniq) + batch, batch))
        Dinv = sp.diags(g.inv_deg).tocsr()
        names = ("common_partners", "adamic_adar", "resource_allocation", "paths3",
                 "resource_allocation3", "resource_allocation4", "resource_allocation5",
                 "twins_with_your_neighbours", "near_your_partners", "regional_ties")
        raw = {name: np.zeros(len(h)) for name in names}
        for b in range((len(uniq) + batch - 1) // batch):
            rows = order[bounds[b]:bounds[b + 1]]
            if not len(rows):
                continue
            hs = uniq[b * batch:(b + 1) * batch]
            j = inv[rows] - b * batch
            Ad = A[hs].T.tocsr()  # N × k: the homes' partners (sparse: walks stay local)
            cn = (A @ Ad).tocsr()
            r2 = (A @ (Dinv @ Ad)).tocsr()
            r3 = (A @ (Dinv @ r2)).tocsr()
            r4 = (A @ (Dinv @ r3)).tocsr()
            near = W[hs].T.tocsr()  # N × k: nearness to each home
            twn = (A @ near).tocsr()
            # one pass over the candidates' ties
            Ac = A[c[rows]]
            q, r = Ac.indices, np.repeat(np.arange(len(rows)), np.diff(Ac.indptr))
            jr = j[r]

            def over_ties(M, weight=None, q=q, r=r, jr=jr, m=len(rows)):  # noqa: B008
                v = _sample(M, q, jr)
                return np.bincount(r, weights=v if weight is None else v * weight[q], minlength=m)

            raw["common_partners"][rows] = over_ties(Ad)
            raw["adamic_adar"][rows] = over_ties(Ad, g.inv_log_deg)
            raw["resource_allocation"][rows] = over_ties(Ad, g.inv_deg)
            raw["paths3"][rows] = over_ties(cn)
            raw["resource_allocation3"][rows] = over_ties(r2, g.inv_deg)
            raw["resource_allocation4"][rows] = over_ties(r3, g.inv_deg)
            raw["resource_allocation5"][rows] = over_ties(r4, g.inv_deg)
            raw["twins_with_your_neighbours"][rows] = over_ties(near)
            # one pass over the candidates' neighbourhoods (row of W)
            Wc = W[c[rows]]
            qw, rw = Wc.indices, np.repeat(np.arange(len(rows)), np.diff(Wc.indptr))
            jw = j[rw]
            raw["near_your_partners"][rows] = np.bincount(
                rw, weights=Wc.data * _sample(Ad, qw, jw), minlength=len(rows))
            raw["regional_ties"][rows] = np.bincount(
                rw, weights=Wc.data * _sample(twn, qw, jw), minlength=len(rows))
        cn, p3 = raw["common_partners"], raw["paths3"]
        out[:, col["common_partners"]] = np.log1p(cn)
        out[:, col["adamic_adar"]] = raw["adamic_adar"]
        out[:, col["resource_allocation"]] = raw["resource_allocation"]
        out[:, col["paths3"]] = np.log1p(p3)
        out[:, col["katz3"]] = np.log1p((KATZ_BETA * is_tie + KATZ_BETA**2 * cn + KATZ_BETA**3 * p3)
                                        / KATZ_BETA**3)
        out[:, col["resource_allocation3"]] = raw["resource_allocation3"] * 10.0
        out[:, col["resource_allocation4"]] = np.log1p(raw["resource_allocation4"] * 1000.0)
        out[:, col["resource_allocation5"]] = np.log1p(raw["resource_allocation5"] * 1000.0)
        out[:, col["near_your_partners"]] = raw["near_your_partners"]
        out[:, col["twins_with_your_neighbours"]] = raw["twins_with_your_neighbours"]
        out[:, col["regional_ties"]] = np.log1p(raw["regional_ties"])
        return out


def _sample(M: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """M[rows[i], cols[i]] for every i, as a dense vector."""
    if not len(rows):
        return np.zeros(0)
    return np.asarray(M[rows, cols]).ravel().astype(np.float64)
