"""The learned model: logistic regression on standardised features, trained on the real network.

Training (``train``): a random share of the known ties is set aside as *targets*; features are
computed on the remaining ties only (so a target never explains itself), positives are the
targets (both directions), negatives are sampled per positive (``NEGATIVES``: uniform
candidates and the ends of two-step walks; ``sample_pairs`` also offers popular cities, candidates
with ties, three-hop walks, the partner's country and region) and importance-weighted so that
they stand for a uniform draw over all candidates, as in the ranking task. The default fit is
a logistic regression; ``objective="listwise"`` fits the same model by a softmax over each
positive's group of sampled negatives instead (tried, not better: docs/BENCHMARKS.md).

The model is additive: score = intercept + Σ_k w_k · (x_k − μ_k) / σ_k, so every term is one
feature's contribution; the reasons shown to users are the largest positive terms.
Emphasis presets multiply the contributions of whole feature groups (see EMPHASIS).
No Django here.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .features import FEATURES, GROUPS, NAMES, NETWORK, FeatureEngine

# group multipliers applied to the learned contributions (documented in docs/RECOMMENDER.md)
EMPHASIS: dict[str, dict[str, float]] = {
    "balanced": {},
    "history_culture": {"history": 2.0, "culture": 2.0, "contribution": 0.5},
    "urban_services": {"contribution": 2.0, "history": 0.5, "culture": 0.5},
    "neighbourhood": {"geography": 2.0, "contribution": 0.5},
}
NEGATIVES = {"uniform": 16, "two_hop": 4}
# how each kind of negative is drawn, for the importance weights (0: uniform over candidates)
KIND_CODE = {"two_hop": 1, "active": 2}
# training objective: "logistic" (pointwise, importance-weighted) or "listwise" (softmax over
# each positive's sampled group); listwise tried 2026-12-01 and not better (docs/BENCHMARKS.md)
OBJECTIVE = "logistic"
LOGISTIC_C, BINS = 0.01, 16  # L2 strength; bins per feature (16 beat 10 and 24: BENCHMARKS.md)
LISTWISE_C = 0.1
# listwise: log of the candidates each negative stands for, relative to the importance weight
# (0: log w only; log(candidates / k) ≈ 7.6 would be the unbiased sampled softmax)
LISTWISE_SHIFT = -6.0


@dataclass
class LinearModel:
    """Logistic regression on standardised, binned features: an additive model.

    Each feature k is cut at quantile thresholds into bins; the model learned one weight per
    (feature, bin) on the standardised one-hot columns. ``tables[k][b]`` is that weight
    centred on the training average, so it is feature k's contribution for a value in bin b
    (positive: raises the score above an average candidate's).
    """

    names: list[str]
    groups: list[str]
    thresholds: list[list[float]]
    tables: list[list[float]]
    intercept: float
    use: list[bool]  # features the model may use (cold-start models drop the network group)
    trained_at: str = ""
    counts: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    def __post_init__(self):
        self._th = [np.asarray(t, dtype=np.float64) for t in self.thresholds]
        self._tab = [np.asarray(t, dtype=np.float64) for t in self.tables]

    def contributions(self, X: np.ndarray, skip=()) -> np.ndarray:
        """Per-feature contributions (N × F, column-major); columns in `skip` stay 0."""
        out = np.zeros(X.shape, dtype=np.float64, order="F")
        for k, (th, tab) in enumerate(zip(self._th, self._tab)):
            if self.use[k] and k not in skip:
                col = X[:, k]
                nz = np.flatnonzero(col)
                if len(nz) < len(col) // 4:  # mostly zero (network features): bin only the rest
                    out[:, k] = tab[np.searchsorted(th, 0.0, side="right")]
                    out[nz, k] = tab[np.searchsorted(th, col[nz], side="right")]
                else:
                    out[:, k] = tab[np.searchsorted(th, col, side="right")]
        return out

    def group_weights(self, emphasis: str | None) -> np.ndarray:
        table = EMPHASIS.get(emphasis or "balanced", {})
        return np.array([table.get(g, 1.0) for g in self.groups])

    def score(self, X: np.ndarray, emphasis: str | None = None,
              contributions: np.ndarray | None = None) -> np.ndarray:
        c = self.contributions(X) if contributions is None else contributions
        return c @ self.group_weights(emphasis) + self.intercept

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(**data)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        return cls.from_json(json.loads(Path(path).read_text()))


def _thresholds(x: np.ndarray, y: np.ndarray, bins: int) -> np.ndarray:
    """Cut points: midpoints between the distinct quantiles of positives and of negatives
    (so sparse features such as common partners still get bins where positives live)."""
    qs = np.linspace(0, 1, bins + 1)
    vals = np.unique(np.round(np.concatenate([
        np.quantile(x[y == 1], qs) if (y == 1).any() else [],
        np.quantile(x[y == 0], qs) if (y == 0).any() else [],
    ]), 6))
    return (vals[:-1] + vals[1:]) / 2.0


def _one_hot(X: np.ndarray, y: np.ndarray, use: np.ndarray, bins: int):
    """(sparse one-hot matrix of the bins of every used feature, standard deviation of each
    column, thresholds, (feature, bin) of each column)."""
    import scipy.sparse as sp

    ths, col_idx, owners = [], [], []
    offset = 0
    for k in range(X.shape[1]):
        if not use[k]:
            ths.append(np.array([]))
            continue
        th = _thresholds(X[:, k], y, bins)
        ths.append(th)
        col_idx.append(offset + np.searchsorted(th, X[:, k], side="right"))
        owners.extend((k, b) for b in range(len(th) + 1))
        offset += len(th) + 1
    n = len(y)
    cols = np.concatenate(col_idx)
    rows = np.tile(np.arange(n), len(col_idx))
    Z = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, offset))
    mean = np.asarray(Z.sum(axis=0)).ravel() / n
    sd = np.sqrt(np.maximum(mean - mean**2, 0.0))
    sd[sd < 1e-9] = 1.0
    return Z, sd, ths, owners


def _tables(X: np.ndarray, use: np.ndarray, ths: list, owners: list, w: np.ndarray,
            intercept: float) -> tuple[list, list, float]:
    """Per-feature tables of bin weights, centred on the training average."""
    tables = [np.zeros(len(th) + 1) for th in ths]
    for (k, b), wk in zip(owners, w):
        tables[k][b] = wk
    # centre each feature's table on the training average so contributions read as
    # "compared with an average candidate"
    for k, th in enumerate(ths):
        if use[k]:
            avg = tables[k][np.searchsorted(th, X[:, k], side="right")].mean()
            tables[k] -= avg
            intercept += avg
    return [t.tolist() for t in ths], [t.tolist() for t in tables], intercept


def fit_additive(X: np.ndarray, y: np.ndarray, use: np.ndarray, bins: int = 10,
                 C: float = 1.0, weights: np.ndarray | None = None) -> tuple[list, list, float]:
    """One-hot bins of every used feature, standardised, into a logistic regression.

    The one-hot matrix stays sparse: scaling column j by 1/sd_j keeps it sparse, and centring
    would only move the intercept (which is not penalised), so fitting on Z/sd is the same
    problem as fitting on (Z − mean)/sd."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    Z, sd, ths, owners = _one_hot(X, y, use, bins)
    sw = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(Z @ sp.diags(1.0 / sd), y, sample_weight=sw)
    return _tables(X, use, ths, owners, clf.coef_.ravel() / sd, float(clf.intercept_[0]))


def _softmax_loss(v: np.ndarray, Zs, pos: np.ndarray, groups: np.ndarray, offsets: np.ndarray,
                  lam: float) -> tuple[float, np.ndarray]:
    """Σ_g −log softmax(positive of g) over the rows of g, + lam/2 · |v|², and its gradient.
    Rows are sorted by group; `pos` marks each group's positive row."""
    s = Zs @ v + offsets
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    m = np.maximum.reduceat(s, starts)
    e = np.exp(s - np.repeat(m, np.diff(np.r_[starts, len(s)])))
    tot = np.add.reduceat(e, starts)
    lse = m + np.log(tot)
    loss = float(lse.sum() - s[pos].sum() + 0.5 * lam * v @ v)
    p = e / np.repeat(tot, np.diff(np.r_[starts, len(s)]))
    p[pos] -= 1.0
    return loss, Zs.T @ p + lam * v


def fit_listwise(X: np.ndarray, y: np.ndarray, groups: np.ndarray, offsets: np.ndarray,
                 use: np.ndarray, bins: int = 10, C: float = 1.0) -> tuple[list, list, float]:
    """The same additive model, fitted by a per-home ranking objective: every group is one
    positive and its sampled negatives (same home); minimise the softmax cross-entropy of the
    positive within its group (score differences only, so no intercept) with L2 = 1/(2C)·|v|²
    on the standardised one-hot columns, by L-BFGS. `offsets` are added to the scores inside
    the loss only (log importance weights: the sampled softmax correction)."""
    import scipy.sparse as sp
    from scipy.optimize import minimize

    order = np.argsort(groups, kind="stable")
    X, y, groups, offsets = X[order], y[order], groups[order], offsets[order]
    # groups without a positive (filtered) or without negatives carry no information
    first = np.r_[True, groups[1:] != groups[:-1]]
    gid = np.cumsum(first) - 1
    n_pos = np.bincount(gid, weights=y)
    size = np.bincount(gid)
    keep = ((n_pos == 1) & (size > 1))[gid]
    X, y, groups, offsets = X[keep], y[keep], groups[keep], offsets[keep]
    Z, sd, ths, owners = _one_hot(X, y, use, bins)
    Zs = (Z @ sp.diags(1.0 / sd)).tocsr()
    res = minimize(_softmax_loss, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B",
                   args=(Zs, y == 1, groups, offsets, 1.0 / C),
                   options={"maxiter": 500})
    return _tables(X, use, ths, owners, res.x / sd, 0.0)


def split_keeping_one(edges: np.ndarray, share: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Hide a random share of ties such that both endpoints keep at least one tie."""
    n = int(edges.max()) + 1 if len(edges) else 0
    deg = np.bincount(edges.ravel(), minlength=n)
    want = round(share * len(edges))
    hidden = np.zeros(len(edges), dtype=bool)
    count = 0
    for i in rng.permutation(len(edges)):
        if count >= want:
            break
        a, b = edges[i]
        if deg[a] > 1 and deg[b] > 1:
            hidden[i] = True
            count += 1
            deg[a] -= 1
            deg[b] -= 1
    return edges[~hidden], edges[hidden]


def _csr_random_neighbour(indptr, indices, nodes, rng) -> np.ndarray:
    deg = indptr[nodes + 1] - indptr[nodes]
    out = np.full(len(nodes), -1, dtype=np.int64)
    ok = deg > 0
    pick = indptr[nodes[ok]] + (rng.random(ok.sum()) * deg[ok]).astype(np.int64)
    out[ok] = indices[pick]
    return out


def sample_pairs(engine: FeatureEngine, targets: np.ndarray, known: set, rng,
                 negatives: dict[str, int] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Homes, candidates, labels and negative kinds: targets in both directions plus
    sampled negatives (kind 0: uniform over candidates, 1: end of a two-step walk)."""
    negatives = negatives or NEGATIVES
    w = engine.world
    cand = np.flatnonzero(w.candidate)
    active = cand[engine.graph.degree[cand] > 0]
    src = np.concatenate([targets[:, 0], targets[:, 1]])
    dst = np.concatenate([targets[:, 1], targets[:, 0]])
    keep = w.candidate[dst]
    src, dst = src[keep], dst[keep]
    A = engine.graph.A
    indptr, indices = A.indptr, A.indices
    endpoints = engine.graph.A.indices  # each node appears deg times: degree-proportional
    f = engine.facts
    by_country: dict[int, np.ndarray] = {}
    order = np.argsort(f.country[cand], kind="stable")
    sorted_c = f.country[cand][order]
    bounds = np.searchsorted(sorted_c, np.arange(len(f.countries) + 1))
    for k in range(len(f.countries)):
        by_country[k] = cand[order[bounds[k]:bounds[k + 1]]]
    rk = f.region_key[cand]
    order_r = np.argsort(rk, kind="stable")
    sorted_r = rk[order_r]

    homes, cands, kinds = [src], [dst], [np.full(len(src), -1)]
    for kind, k in negatives.items():
        for _ in range(k):
            if kind == "uniform":
                neg = rng.choice(cand, len(src))
            elif kind == "active":  # uniform over candidates with at least one tie
                neg = rng.choice(active, len(src)) if len(active) else rng.choice(cand, len(src))
            elif kind == "popular":
                neg = endpoints[rng.integers(0, len(endpoints), len(src))] if len(endpoints) \
                    else rng.choice(cand, len(src))
            elif kind in ("two_hop", "three_hop"):
                z = _csr_random_neighbour(indptr, indices, src, rng)
                steps = 1 if kind == "two_hop" else 2
                for _s in range(steps):
                    z2 = _csr_random_neighbour(indptr, indices, np.maximum(z, 0), rng)
                    z = np.where(z >= 0, z2, -1)
                neg = np.where(z >= 0, z, rng.choice(cand, len(src)))
            elif kind == "partner_country":
                neg = np.array([rng.choice(by_country[c]) if len(by_country[c]) else rng.choice(cand)
                                for c in f.country[dst]])
            else:  # partner_region
                lo = np.searchsorted(sorted_r, f.region_key[dst], "left")
                hi = np.searchsorted(sorted_r, f.region_key[dst], "right")
                span = np.maximum(hi - lo, 1)
                pos = lo + (rng.random(len(dst)) * span).astype(np.int64)
                neg = np.where(hi > lo, cand[order_r[np.minimum(pos, len(cand) - 1)]],
                               rng.choice(cand, len(src)))
            homes.append(src)
            cands.append(neg)
            kinds.append(np.full(len(src), KIND_CODE.get(kind, 0)))
    labels = [np.ones(len(src))] + [np.zeros(len(src))] * (len(homes) - 1)
    H, C, y = np.concatenate(homes), np.concatenate(cands), np.concatenate(labels)
    K = np.concatenate(kinds)
    G = np.tile(np.arange(len(src)), len(homes))  # group: the positive a row was drawn for
    ok = w.candidate[C] & (H != C)
    if known:
        lo, hi = np.minimum(H, C), np.maximum(H, C)
        keys = lo * w.n + hi
        known_keys = np.fromiter((a * w.n + b for a, b in known), dtype=np.int64, count=len(known))
        is_known = np.isin(keys, known_keys)
        ok &= ~(is_known & (y == 0))
    return H[ok], C[ok], y[ok], K[ok], G[ok]


def _importance_weights(engine: FeatureEngine, H, X, y, kind) -> np.ndarray:
    """Negatives come from a mixture of uniform draws and two-step walks; weight each by
    uniform / mixture probability (balance heuristic) so that the weighted negatives stand for
    a uniform draw over all candidates (the ranking task), while walks add precision among
    the cities that share partners with the home. Positives weigh 1."""
    from .features import INDEX

    neg = y == 0
    cand = engine.world.candidate
    n_cand = float(cand.sum())
    n_active = float((cand & (engine.graph.degree > 0)).sum())
    f_walk = float(np.mean(kind[neg] == 1)) if neg.any() else 0.0
    f_active = float(np.mean(kind[neg] == 2)) if neg.any() else 0.0
    deg = np.maximum(engine.graph.degree[H], 1.0)
    p_walk = X[:, INDEX["resource_allocation"]] / deg  # P(two-step walk from h ends at c)
    p_active = (X[:, INDEX["log_ties"]] > 0) / max(n_active, 1.0)
    q = (1.0 - f_walk - f_active) / n_cand + f_walk * p_walk + f_active * p_active
    w = np.where(neg, (1.0 / n_cand) / np.maximum(q, 1e-12), 1.0)
    if neg.any():
        w[neg] *= neg.sum() / w[neg].sum()
    return w


def training_rows(engine: FeatureEngine, rng, target_share: float = 0.1, rounds: int = 3,
                  negatives: dict[str, int] | None = None) -> dict[str, np.ndarray]:
    """Features, labels, importance weights and groups (one per positive, numbered across
    rounds) of the sampled training pairs."""
    edges = engine.graph_edges
    known = {(int(a), int(b)) for a, b in edges}
    parts: dict[str, list] = {"X": [], "y": [], "w": [], "g": [], "kind": []}
    n_groups = 0
    for _ in range(rounds):
        # like the evaluation (and like real use): both ends of a target keep a tie
        observed, targets = split_keeping_one(edges, target_share, rng)
        sub = engine.with_edges(observed)
        H, Cn, y, kind, g = sample_pairs(sub, targets, known, rng, negatives)
        X = sub.for_pairs(H, Cn)
        parts["X"].append(X)
        parts["y"].append(y)
        parts["w"].append(_importance_weights(sub, H, X, y, kind))
        parts["g"].append(g + n_groups)
        parts["kind"].append(kind)
        n_groups += int(g.max()) + 1 if len(g) else 0
    return {k: np.concatenate(v) for k, v in parts.items()}


def softmax_offsets(rows: dict[str, np.ndarray], n_candidates: int | None = None,
                    shift: float = LISTWISE_SHIFT) -> np.ndarray:
    """Sampled-softmax correction: each negative's score is raised by log w + shift, w its
    importance weight (mean 1). With `n_candidates` the shift is log(candidates / k), k the
    negatives of its group, so that the group's sum estimates the sum over all candidates
    (unbiased, but worse for Hits@10: it gives up the cities sharing a partner); a negative
    shift makes the objective closer to pairwise. Positives: 0."""
    y, w, g = rows["y"], rows["w"], rows["g"]
    neg = y == 0
    out = np.zeros(len(y))
    out[neg] = np.log(np.maximum(w[neg], 1e-12))
    if n_candidates is not None:
        k = np.bincount(g, weights=neg.astype(np.float64))[g]
        out[neg] += np.log(n_candidates / np.maximum(k[neg], 1.0))
    else:
        out[neg] += shift
    return out


def train(engine: FeatureEngine, rng=None, target_share: float = 0.1, network: bool = True,
          rounds: int = 3, C: float | None = None, bins: int = BINS,
          objective: str = OBJECTIVE) -> LinearModel:
    """Fit on the engine's graph (its edges are the known ties); `objective` is "listwise"
    (softmax over each positive's group, the default) or "logistic" (pointwise)."""
    t0 = time.perf_counter()
    rng = rng if rng is not None else np.random.default_rng(0)
    edges = engine.graph_edges
    rows = training_rows(engine, rng, target_share, rounds)
    X, y = rows["X"], rows["y"]
    use = np.ones(len(FEATURES), dtype=bool) if network else ~NETWORK
    if objective == "listwise":
        offsets = softmax_offsets(rows)
        thresholds, tables, intercept = fit_listwise(
            X, y, rows["g"], offsets, use, bins=bins, C=LISTWISE_C if C is None else C)
    else:
        thresholds, tables, intercept = fit_additive(
            X, y, use, bins=bins, C=LOGISTIC_C if C is None else C, weights=rows["w"])
    return LinearModel(
        names=list(NAMES), groups=list(GROUPS), thresholds=thresholds, tables=tables,
        intercept=intercept, use=use.tolist(),
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        counts={"nodes": int(engine.world.n), "candidates": int(engine.world.candidate.sum()),
                "ties": len(edges), "training_rows": len(y),
                "positives": int(y.sum()), "seconds": round(time.perf_counter() - t0, 1)},
    )
