"""Offline evaluation: hide ties, retrain, rank each hidden partner among all candidates.

``holdout_split`` hides a random share of ties such that both endpoints keep at least one tie.
Each hidden tie gives a query in each direction whose target is a candidate; the target is
ranked among every candidate of the source city except the source and its known (training)
partners. Ties in scores count half (AUC) and give the expected rank (MRR, Hits@k).
Baselines: random, distance-only, preferential attachment, common neighbours, Adamic–Adar.
The cold-start run hides every tie of 200 random cities with 3+ ties and ranks their partners
with a model that uses no network feature. No Django here.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from .features import INDEX, FeatureEngine
from .learn import OBJECTIVE, LinearModel, split_keeping_one, train

BASELINES = ("random", "distance", "preferential_attachment", "common_neighbours", "adamic_adar")
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
        r = np.asarray(self.ranks)
        if not len(r):
            return dict.fromkeys(METRICS, 0.0)
        return {"auc": float(np.mean(self.aucs)), "mrr": float(np.mean(1.0 / r)),
                "hits@10": float(np.mean(r <= 10)), "hits@50": float(np.mean(r <= 50))}


def _queries(world, hidden: np.ndarray) -> dict[int, list[int]]:
    q: dict[int, list[int]] = defaultdict(list)
    for a, b in hidden:
        if world.candidate[b]:
            q[int(a)].append(int(b))
        if world.candidate[a]:
            q[int(b)].append(int(a))
    return q


def _baseline_scores(X: np.ndarray, rng) -> dict[str, np.ndarray]:
    return {
        "random": rng.random(len(X)),
        "distance": -X[:, INDEX["log_distance"]],
        "preferential_attachment": X[:, INDEX["log_ties"]],
        "common_neighbours": X[:, INDEX["common_partners"]],
        "adamic_adar": X[:, INDEX["adamic_adar"]],
    }


def rank_queries(engine: FeatureEngine, model: LinearModel, queries: dict[int, list[int]], rng,
                 baselines=BASELINES) -> dict[str, dict[str, float]]:
    acc = {name: _Acc() for name in ("model", *baselines)}
    cand = engine.world.candidate
    A = engine.graph.A
    for src, targets in queries.items():
        X = engine.for_home(src)
        valid = cand.copy()
        valid[src] = False
        valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
        scores = {"model": model.score(X)}
        base = _baseline_scores(X, rng)
        scores.update({k: base[k] for k in baselines})
        for t in targets:
            for name, s in scores.items():
                acc[name].add(*_rank_stats(s, valid, t))
    return {name: a.summary() for name, a in acc.items()}


def evaluate(engine: FeatureEngine, holdout: float = 0.1, seed: int = 1,
             cold_cities: int = 200, progress=None, objective: str | None = None) -> dict:
    """The full evaluation on the engine's graph (the current registry)."""
    say = progress or (lambda msg: None)
    rng = np.random.default_rng(seed)
    world = engine.world
    edges = engine.graph_edges
    t0 = time.perf_counter()
    train_edges, hidden = holdout_split(edges, holdout, rng)
    eng = engine.with_edges(train_edges)
    say(f"split: {len(train_edges)} training ties, {len(hidden)} hidden")
    fit = {"objective": objective} if objective else {}
    model = train(eng, rng=np.random.default_rng(seed), **fit)
    t_train = time.perf_counter() - t0
    say(f"trained in {t_train:.1f} s")
    queries = _queries(world, hidden)
    result = {"seed": seed, "holdout": holdout, "ties": len(edges), "objective": objective or OBJECTIVE,
              "hidden": len(hidden), "queries": int(sum(len(v) for v in queries.values())),
              "train_seconds": round(t_train, 1)}
    result["link_prediction"] = rank_queries(eng, model, queries, rng)
    say("link prediction ranked")
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
