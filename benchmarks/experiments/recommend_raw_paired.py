# ruff: noqa  (experiment script, kept for the figures in docs/BENCHMARKS.md)
"""The raw-mode evaluation of one seed for two models in one pass (paired: same split, same
training rows, same queries, features computed once per source): the model as trained now
(`learn.train`, what `evaluate-recommender` trains) and the model before the 2026-12-06 change
("before": one fit, `learn.train(bags=1)`, the model of commit c956a88; its training rows are
the first bag of "model"), plus the baselines.

The split, the training and the ranking are those of `evaluate-recommender --mode raw --seed N
--cold-cities 0` (evaluate.holdout_split, learn.train with rng seed N, evaluate._queries,
_rank_stats, _baseline_scores); a query without an answer counts as a miss for every method.
No choice is made here: the model was chosen on a validation split carved from training ties
(recommend_validation.py).

    DEBUG=1 python benchmarks/experiments/recommend_raw_paired.py SEED [OUT.json [MODEL.json [BEFORE.json]]]
"""
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
import django; django.setup()
from citydiplomacy.recommend import evaluate as ev
from citydiplomacy.recommend.features import FeatureEngine
from citydiplomacy.recommend.learn import train
from citydiplomacy.recommend.world import world_from_packages

seed = int(sys.argv[1])
t0 = time.perf_counter()
world = world_from_packages()
engine = FeatureEngine(world)
edges = ev.mode_edges(world, engine.graph_edges, "raw")
rng = np.random.default_rng(seed)
train_edges, hidden = ev.holdout_split(edges, 0.1, rng)
eng = engine.with_edges(train_edges)

models = {"model": train(eng, rng=np.random.default_rng(seed)),
          "before": train(eng, rng=np.random.default_rng(seed), bags=1)}
for name, path in zip(models, sys.argv[3:5]):  # MODEL.json [BEFORE.json]
    models[name].save(__import__("pathlib").Path(path))
print(f"seed {seed}: {len(train_edges)} training ties, {len(hidden)} hidden; trained in "
      f"{time.perf_counter() - t0:.0f} s", flush=True)
queries, misses = ev._queries(world, hidden)
acc = {k: ev._Acc() for k in (*models, *ev.BASELINES)}
for a in acc.values():
    for _ in range(misses):
        a.add(float("inf"), 0.5)
cand, A = world.candidate, eng.graph.A
seconds = []
for i, (src, targets) in enumerate(queries.items()):
    t = time.perf_counter()
    X = eng.for_home(src)
    scores = {"model": models["model"].score(X)}
    seconds.append(time.perf_counter() - t)
    scores["before"] = models["before"].score(X)
    valid = cand.copy(); valid[src] = False
    valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
    scores.update(ev._baseline_scores(X, rng))
    for tgt in targets:
        for name, s in scores.items():
            acc[name].add(*ev._rank_stats(s, valid, tgt))
    if i % 500 == 0:
        print(f"{i} sources, {time.perf_counter() - t0:.0f} s", flush=True)
out = {"seed": seed, "mode": "raw", "ties": len(edges), "hidden": len(hidden),
       "queries": int(sum(map(len, queries.values()))) + misses, "queries_without_answer": misses,
       "median_ms_features_and_score": round(1000 * float(np.median(seconds)), 1),
       "seconds": round(time.perf_counter() - t0), "link_prediction": {k: a.summary() for k, a in acc.items()}}
lp = out["link_prediction"]
for k, m in lp.items():
    print(f"{k:24} hits@10 {m['hits@10']:.4f} mrr {m['mrr']:.4f} hits@50 {m['hits@50']:.4f} auc {m['auc']:.4f}")
for k in ("model", "before"):
    print(f"{k}: Hits@10 / AA {lp[k]['hits@10'] / lp['adamic_adar']['hits@10']:.3f}x")
if len(sys.argv) > 2:
    open(sys.argv[2], "w").write(json.dumps(out, indent=1))
