"""Ceiling checks for the recommender's additive model, on the split `evaluate-recommender
--seed N` uses: the same training rows fitted by (a) the default additive logistic model,
(b) gradient-boosted trees (scikit-learn HistGradientBoosting, any interaction of the 36
features; with and without the importance weights) re-ranking the additive model's top
`--rerank` candidates of each city (the trees' predictions over all 41,000 candidates take ~2 s
per city on one core; a target outside that top keeps its additive rank, so for Hits@10 the
re-ranker is exact whenever the target is in the top) and (c) two additive models, one for
candidates that share a partner with the home and one for the others, with a fixed offset
between them. Each hidden partner is ranked among all candidates as in the evaluation, split by
whether it shares a partner with its source city.

Run: ``DEBUG=1 OMP_NUM_THREADS=1 .venv/bin/python benchmarks/experiments/recommend_ceiling.py
--seed 1 [--queries N] [--sample S] [--rerank 2000] [--offsets -1.5,-2]``; `--sample` draws S
source cities at random (the first queries of the split are not a random sample). Results:
docs/BENCHMARKS.md, "Ceiling checks".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> None:
    import django

    django.setup()
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from citydiplomacy.places.packages_resolver import cache_dir
    from citydiplomacy.recommend import evaluate as ev
    from citydiplomacy.recommend import features, learn
    from citydiplomacy.recommend.world import load_world

    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=10**9)
    ap.add_argument("--offsets", default="-1.5")
    ap.add_argument("--sample", type=int, default=0, help="random source cities (0: all)")
    ap.add_argument("--rerank", type=int, default=2000)
    args = ap.parse_args()

    world = load_world("packages")
    engine = features.FeatureEngine(world)
    train_edges, hidden = ev.holdout_split(engine.graph_edges, 0.1, np.random.default_rng(args.seed))
    eng = engine.with_edges(train_edges)
    cache = cache_dir() / f"ceiling-rows-seed{args.seed}.npz"
    if cache.exists():
        rows = dict(np.load(cache))
    else:
        rows = learn.training_rows(eng, np.random.default_rng(args.seed))
        np.savez(cache, **rows)
    X, y, w = rows["X"], rows["y"], rows["w"]
    use = np.ones(len(features.FEATURES), dtype=bool)
    CP = features.INDEX["common_partners"]

    def additive(mask, C=learn.LOGISTIC_C):
        th, tab, b = learn.fit_additive(X[mask], y[mask], use, C=C, weights=w[mask])
        return learn.LinearModel(names=list(features.NAMES), groups=list(features.GROUPS),
                                 thresholds=th, tables=tab, intercept=b, use=use.tolist())

    everything = np.ones(len(y), dtype=bool)
    base = additive(everything)
    models = {"additive logistic (default)": base.score}
    for name, weights in (("trees, importance-weighted", w), ("trees, unweighted", None)):
        t0 = time.perf_counter()
        trees = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_leaf_nodes=31,
                                               random_state=0).fit(X, y, sample_weight=weights)
        print(f"fit {name}: {time.perf_counter() - t0:.1f} s", flush=True)
        models[name] = (lambda Z, t=trees: _rerank(np, base.score(Z), Z, t, args.rerank))
    shares = X[:, CP] > 0
    with_partner, without = additive(shares), additive(~shares)
    for offset in (float(v) for v in args.offsets.split(",")):
        models[f"two segments, offset {offset}"] = (
            lambda Z, d=offset: np.where(Z[:, CP] > 0, with_partner.score(Z), without.score(Z) + d))

    queries = ev._queries(world, hidden)
    if args.sample:
        keys = list(queries)
        pick = np.random.default_rng(args.seed).choice(len(keys), min(args.sample, len(keys)), replace=False)
        queries = {keys[i]: queries[keys[i]] for i in sorted(pick)}
    A = eng.graph.A
    ranks = {name: [] for name in (*models, "adamic_adar")}
    common = []
    for src, targets in queries.items():
        if len(common) >= args.queries:
            break
        Xh = eng.for_home(src)
        valid = world.candidate.copy()
        valid[src] = False
        valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
        scores = {name: score(Xh) for name, score in models.items()}
        scores["adamic_adar"] = Xh[:, features.INDEX["adamic_adar"]]
        for t in targets:
            common.append(Xh[t, CP] > 0)
            for name, s in scores.items():
                ranks[name].append(ev._rank_stats(s, valid, t)[0])
    common = np.array(common)
    aa10 = np.mean(np.array(ranks["adamic_adar"]) <= 10)
    print(f"\n{len(common)} queries (seed {args.seed}); {common.mean():.3f} share a partner")
    print(f"{'method':34} {'MRR':>7} {'H@10':>7} {'H@50':>7} {'H@10 cp':>8} {'H@10 no':>8} {'xAA':>6}")
    for name, r in ranks.items():
        r = np.array(r)
        print(f"{name:34} {np.mean(1 / r):7.4f} {np.mean(r <= 10):7.4f} {np.mean(r <= 50):7.4f} "
              f"{np.mean(r[common] <= 10):8.4f} {np.mean(r[~common] <= 10):8.4f} "
              f"{np.mean(r <= 10) / aa10:6.2f}")


def _rerank(np, base_scores, Z, trees, top):
    """Trees' scores on the additive model's `top` candidates, placed above all the others
    (which keep the additive order)."""
    out = base_scores - 1e6
    best = np.argpartition(-base_scores, min(top, len(base_scores) - 1))[:top]
    out[best] = trees.decision_function(Z[best])
    return out


if __name__ == "__main__":
    main()
