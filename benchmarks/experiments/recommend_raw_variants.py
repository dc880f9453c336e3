# ruff: noqa  (one-off experiment script, kept for the figures in docs/BENCHMARKS.md)
"""Paired variants on the raw split of one seed: same split, same queries, X computed once."""
import os
import sys
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
import django; django.setup()
from citydiplomacy.recommend import features, learn
from citydiplomacy.recommend.evaluate import _queries, _rank_stats, holdout_split, mode_edges
from citydiplomacy.recommend.world import world_from_packages

seed = int(sys.argv[1]); nq = int(sys.argv[2]); variants = sys.argv[3:]
w = world_from_packages()
eng0 = features.FeatureEngine(w)
edges = mode_edges(w, eng0.graph_edges, "raw")
rng = np.random.default_rng(seed)
tr, hid = holdout_split(edges, 0.1, rng)
eng = eng0.with_edges(tr)
t=time.time()
rows = learn.training_rows(eng, np.random.default_rng(seed), 0.1, 3)
print("rows", len(rows["y"]), round(time.time()-t,1), "s", flush=True)
models = {}
for v in variants:
    opts = dict(kv.split("=") for kv in v.split(",")) if v != "base" else {}
    r = rows
    if "rounds" in opts:
        r = learn.training_rows(eng, np.random.default_rng(seed+7), 0.1, int(opts["rounds"]))
    use = np.ones(len(features.FEATURES), dtype=bool)
    t=time.time()
    th, tab, b = learn.fit_additive(r["X"], r["y"], use, bins=int(opts.get("bins", 10)),
                                    C=float(opts.get("C", learn.LOGISTIC_C)), weights=r["w"] ** float(opts.get("wp", 1)))
    models[v] = learn.LinearModel(names=list(features.NAMES), groups=list(features.GROUPS), thresholds=th, tables=tab, intercept=b, use=use.tolist())
    print("fit", v, round(time.time()-t,1), flush=True)
q, misses = _queries(w, hid)
cand = w.candidate; A = eng.graph.A
acc = {k: [] for k in [*models, "aa", "ra"]}
n = 0
for src, targets in q.items():
    if n >= nq: break
    X = eng.for_home(src)
    valid = cand.copy(); valid[src] = False; valid[A.indices[A.indptr[src]:A.indptr[src+1]]] = False
    sc = {k: m.score(X) for k, m in models.items()}
    sc["aa"] = X[:, features.INDEX["adamic_adar"]]; sc["ra"] = X[:, features.INDEX["resource_allocation"]]
    for t_ in targets:
        n += 1
        for k, s in sc.items():
            acc[k].append(_rank_stats(s, valid, t_)[0])
for k, r in acc.items():
    r = np.array(r); print(f"{k:40} hits10 {np.mean(r<=10):.4f} mrr {np.mean(1/r):.4f}  n={len(r)}")
