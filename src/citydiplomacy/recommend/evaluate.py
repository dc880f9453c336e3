"""Offline evaluation: hide ties, retrain, rank each hidden partner among all candidates.

``holdout_split`` hides a random share of ties such that both endpoints keep at least one tie.
Each hidden tie gives a query in each direction whose target is a candidate; the target is
ranked among every candidate of the source city except the source and its known (training)
partners. Ties in scores count half (AUC) and give the expected rank (MRR, Hits@k).
Baselines: random, distance-only, preferential attachment, common neighbours, Adamic–Adar,
resource allocation.

Two modes (``MODES``):

* ``resolved`` — the ties whose two ends the resolver placed (the network as it was evaluated
  before issue 18);
* ``raw`` — every tie of the imported file as written: names the resolver does not place stay in
  the network as network-only nodes (no position), hidden ties are drawn from all ties, and
  every query is counted; a query the recommender cannot answer (its hidden partner is not a
  candidate it may suggest) counts as a miss (rank ∞) for the model and every baseline alike.

The cold-start run hides every tie of 200 random cities with 3+ ties and ranks their partners
with a model that uses no network feature. No Django here.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from .features import INDEX, FeatureEngine
from .learn import OBJECTIVE, LinearModel, train
from .sampling import split_keeping_one

BASELINES = ("random", "distance", "preferential_attachment", "common_neighbours", "adamic_adar",
             "resource_allocation")
MODES = ("resolved", "raw")
METRICS = ("auc", "mrr", "hits@10", "hits@50")


def holdout_split(edges: np.ndarray, share: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """(training ties, hidden ties); both endpoints of a hidden tie keep at least one tie."""
    return split_keeping_one(edges, share, rng)


def _rank_stats(scores: np.ndarray, valid: np.ndarray, target: int) -> tuple[float, float]:
    """(expected rank, AUC) of `target` among `valid` candidates."""
    s = scores[valid]
    t = scores[target]
    greater = float(np.count_nonzero(s > t))
    equal = float(np.count_nonzero(s == t)) - 1.0  # the target itself
    rank = 1.0 + greater + equal / 2.0
    n_neg = float(valid.sum() - 1)
    auc = (n_neg - greater - equal / 2.0) / n_neg if n_neg > 0 else 0.5
    return rank, auc


class _Acc:
    def __init__(self):
        self.ranks: list[float] = []
        self.aucs: list[float] = []

    def add(self, rank: float, auc: float) -> None:
        self.ranks.append(rank)
        self.aucs.append(auc)

    def summary(self) -> dict[str, float]:
        r = np.asarray(self.ranks)  # inf for a query without an answer
        if not len(r):
            return dict.fromkeys(METRICS, 0.0)
        return {"auc": float(np.mean(self.aucs)), "mrr": float(np.mean(1.0 / r)),
                "hits@10": float(np.mean(r <= 10)), "hits@50": float(np.mean(r <= 50))}


def _queries(world, hidden: np.ndarray) -> tuple[dict[int, list[int]], int]:
    """Both directions of every hidden tie: ({source: [target, ...]} for the targets the
    recommender may suggest, number of queries whose target it may not suggest: misses)."""
    q: dict[int, list[int]] = defaultdict(list)
    unanswerable = 0
    for a, b in hidden:
        for src, dst in ((a, b), (b, a)):
            if world.candidate[dst]:
                q[int(src)].append(int(dst))
            else:
                unanswerable += 1
    return q, unanswerable


def _baseline_scores(X: np.ndarray, rng) -> dict[str, np.ndarray]:
    return {
        "random": rng.random(len(X)),
        "distance": -X[:, INDEX["log_distance"]],
        "preferential_attachment": X[:, INDEX["log_ties"]],
        "common_neighbours": X[:, INDEX["common_partners"]],
        "adamic_adar": X[:, INDEX["adamic_adar"]],
        "resource_allocation": X[:, INDEX["resource_allocation"]],
    }


def rank_queries(engine: FeatureEngine, model: LinearModel, queries: dict[int, list[int]], rng,
                 baselines=BASELINES, misses: int = 0) -> dict[str, dict[str, float]]:
    """Metrics of the model and the baselines; `misses` queries without an answer count as
    rank ∞ (reciprocal rank 0, no hit, AUC 0.5) for every method."""
    acc = {name: _Acc() for name in ("model", *baselines)}
    for a in acc.values():
        for _ in range(misses):
            a.add(float("inf"), 0.5)
    cand = engine.world.candidate
    A = engine.graph.A
    seconds = []
    for src, targets in queries.items():
        t0 = time.perf_counter()
        X = engine.for_home(src)
        scores = {"model": model.score(X)}
        seconds.append(time.perf_counter() - t0)
        valid = cand.copy()
        valid[src] = False
        valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
        base = _baseline_scores(X, rng)
        scores.update({k: base[k] for k in baselines})
        for t in targets:
            for name, s in scores.items():
                acc[name].add(*_rank_stats(s, valid, t))
    out = {name: a.summary() for name, a in acc.items()}
    if seconds:  # features + model score of one source over every node (not the baselines)
        out["model"]["median_ms"] = round(1000 * float(np.median(seconds)), 1)
    return out


def mode_edges(world, edges: np.ndarray, mode: str) -> np.ndarray:
    """The ties a mode evaluates: all (raw) or those between placed nodes (resolved)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    if mode == "raw":
        return edges
    located = world.located
    return edges[located[edges[:, 0]] & located[edges[:, 1]]]


def evaluate(engine: FeatureEngine, holdout: float = 0.1, seed: int = 1,
             cold_cities: int = 200, progress=None, objective: str | None = None,
             mode: str = "resolved") -> dict:
    """The full evaluation on the engine's graph (the current registry) in one of MODES."""
    say = progress or (lambda msg: None)
    rng = np.random.default_rng(seed)
    world = engine.world
    edges = mode_edges(world, engine.graph_edges, mode)
    if len(edges) != len(engine.graph_edges):
        engine = engine.with_edges(edges)
    t0 = time.perf_counter()
    train_edges, hidden = holdout_split(edges, holdout, rng)
    eng = engine.with_edges(train_edges)
    say(f"split: {len(train_edges)} training ties, {len(hidden)} hidden")
    fit = {"objective": objective} if objective else {}
    model = train(eng, rng=np.random.default_rng(seed), **fit)
    t_train = time.perf_counter() - t0
    say(f"trained in {t_train:.1f} s")
    queries, misses = _queries(world, hidden)
    located = world.located
    result = {"seed": seed, "mode": mode, "holdout": holdout, "ties": len(edges),
              "ties_with_unplaced_end": int((~(located[edges[:, 0]] & located[edges[:, 1]])).sum()),
              "objective": objective or OBJECTIVE, "hidden": len(hidden),
              "queries": int(sum(len(v) for v in queries.values())) + misses,
              "queries_without_answer": misses, "train_seconds": round(t_train, 1)}
    result["link_prediction"] = rank_queries(eng, model, queries, rng, misses=misses)
    say("link prediction ranked")
    if cold_cities <= 0:
        result["seconds"] = round(time.perf_counter() - t0, 1)
        return result
    # cold start
    deg = engine.graph.degree
    eligible = np.flatnonzero((deg >= 3) & world.candidate)
    cold = rng.choice(eligible, min(cold_cities, len(eligible)), replace=False)
    is_cold = np.zeros(world.n, dtype=bool)
    is_cold[cold] = True
    touches = is_cold[edges[:, 0]] | is_cold[edges[:, 1]]
    cold_eng = engine.with_edges(edges[~touches])
    cold_model = train(cold_eng, rng=np.random.default_rng(seed + 1000), network=False, **fit)
    cold_q: dict[int, list[int]] = defaultdict(list)
    for a, b in edges[touches]:
        if is_cold[a] and world.candidate[b]:
            cold_q[int(a)].append(int(b))
        if is_cold[b] and world.candidate[a]:
            cold_q[int(b)].append(int(a))
    result["cold_start"] = rank_queries(cold_eng, cold_model, cold_q, rng,
                                        baselines=("random", "distance", "preferential_attachment"))
    result["cold_start_queries"] = int(sum(len(v) for v in cold_q.values()))
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result
