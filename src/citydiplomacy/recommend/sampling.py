"""Training pairs: which ties are hidden as targets, which negatives are drawn for them, and
the importance weights that make the sampled negatives stand for a uniform draw over all
candidates (the ranking task). Features of the pairs come from the engine built on the
remaining ties, so a target never explains itself. No Django here.
"""

from __future__ import annotations

import numpy as np

from .features import INDEX, FeatureEngine

# 12 two-step-walk negatives per positive (4 before 2026-12-05; on validation splits carved from
# training ties 12 gave +0.0045 Hits@10 on seed 3, −0.0025 on seed 1: docs/BENCHMARKS.md)
NEGATIVES = {"uniform": 16, "two_hop": 12}
# how each kind of negative is drawn, for the importance weights (0: uniform over candidates)
KIND_CODE = {"two_hop": 1, "active": 2}


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

