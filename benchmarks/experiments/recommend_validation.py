# ruff: noqa  (experiment script, kept for the figures in docs/BENCHMARKS.md)
"""Model choices on a VALIDATION split carved from the training ties of one seed's raw split.

The evaluation's own split (holdout_split of seed N, exactly as `evaluate-recommender --mode raw
--seed N`) is made first and its hidden ties are never looked at; a further 10% of the training
ties (rng seed 1000 + N) is hidden as the validation set, the model is trained on the rest, and
the variants are compared on the validation queries (paired: same rows, same queries).

    DEBUG=1 python benchmarks/experiments/recommend_validation.py SEED N_QUERIES VARIANT...

VARIANT: base | seg (separate tables for candidates with / without a common partner)
         options as k=v joined by commas: seg=1, two_hop=K, uniform=K, C=…, bins=…, drop=feat+feat,
         bags=K (average K fits, each on fresh rows from the same rng, as learn.train(bags=K)),
         pool=1 (with bags=K: one fit on the K bags' rows together, i.e. 3·K rounds)
"""
import os
import sys
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
import django; django.setup()
from citydiplomacy.recommend import features, learn, sampling
from citydiplomacy.recommend.evaluate import _queries, _rank_stats, holdout_split, mode_edges
from citydiplomacy.recommend.world import world_from_packages

seed = int(sys.argv[1]); nq = int(sys.argv[2]); variants = sys.argv[3:]
w = world_from_packages()
eng0 = features.FeatureEngine(w)
edges = mode_edges(w, eng0.graph_edges, "raw")
tr, _test = holdout_split(edges, 0.1, np.random.default_rng(seed))  # test ties: never used
fit_edges, val = sampling.split_keeping_one(tr, 0.1, np.random.default_rng(1000 + seed))
eng = eng0.with_edges(fit_edges)
print(f"seed {seed}: {len(tr)} training ties -> {len(fit_edges)} fit, {len(val)} validation", flush=True)
rows_cache = {}
CN = features.INDEX["common_partners"]


def rows_for(neg, bags=1):
    """The rows of the first `bags` bags drawn from one rng (bag 0: the rows of train(bags=1))."""
    key = tuple(sorted(neg.items()))
    rng, got = rows_cache.setdefault(key, (np.random.default_rng(seed), []))
    while len(got) < bags:
        t = time.time()
        got.append(learn.training_rows(eng, rng, 0.1, 3, negatives=neg))
        print("rows", key, "bag", len(got), len(got[-1]["y"]), round(time.time() - t, 1), "s", flush=True)
    return got[:bags]


def fit(r, mask, use, opts):
    th, tab, b = learn.fit_additive(r["X"][mask], r["y"][mask], use, bins=int(opts.get("bins", learn.BINS)),
                                    C=float(opts.get("C", learn.LOGISTIC_C)), weights=r["w"][mask])
    return learn.LinearModel(names=list(features.NAMES), groups=list(features.GROUPS), thresholds=th,
                             tables=tab, intercept=b, use=use.tolist())


models = {}
for v in variants:
    opts = dict(kv.split("=") for kv in v.split(",")) if v != "base" else {}
    neg = dict(sampling.NEGATIVES)
    for k in ("uniform", "two_hop", "active", "popular", "three_hop"):
        if k in opts:
            neg[k] = int(opts[k])
    bags = rows_for(neg, int(opts.get("bags", 1)))
    if opts.get("pool"):
        bags = [{k: np.concatenate([b[k] for b in bags]) for k in bags[0]}]
    r = bags[0]
    use = np.ones(len(features.FEATURES), dtype=bool)
    for name in filter(None, opts.get("drop", "").split("+")):
        use[features.INDEX[name]] = False
    t = time.time()
    if opts.get("seg"):
        inn = r["X"][:, CN] > 0
        models[v] = ("seg", fit(r, ~inn, use, opts), fit(r, inn, use, opts))
    else:
        models[v] = ("one", learn.average([fit(b, np.ones(len(b["y"]), bool), use, opts) for b in bags]))
    print("fit", v, round(time.time() - t, 1), "s", flush=True)


def score(m, X):
    if m[0] == "one":
        return m[1].score(X)
    inn = X[:, CN] > 0
    s = m[1].score(X)
    s[inn] = m[2].score(X[inn])
    return s


q, misses = _queries(w, val)
cand = w.candidate; A = eng.graph.A
acc = {k: [] for k in [*models, "adamic_adar", "resource_allocation", "distance"]}
n = 0
t = time.time()
for src, targets in q.items():
    if n >= nq: break
    X = eng.for_home(src)
    valid = cand.copy(); valid[src] = False; valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
    sc = {k: score(m, X) for k, m in models.items()}
    sc["adamic_adar"] = X[:, features.INDEX["adamic_adar"]]
    sc["resource_allocation"] = X[:, features.INDEX["resource_allocation"]]
    sc["distance"] = -X[:, features.INDEX["log_distance"]]
    for t_ in targets:
        n += 1
        if n % 250 == 0:
            print(f"{n} queries, {time.time() - t:.0f} s", flush=True)
        for k, s in sc.items():
            acc[k].append(_rank_stats(s, valid, t_)[0])
print(f"{n} answerable validation queries ranked in {time.time() - t:.0f} s ({misses} unanswerable of all validation queries not counted)")
aa = np.mean(np.array(acc["adamic_adar"]) <= 10)
for k, r in acc.items():
    r = np.array(r)
    print(f"{k:50} hits10 {np.mean(r <= 10):.4f} ({np.mean(r <= 10) / aa:.3f}x AA) mrr {np.mean(1 / r):.4f}  n={len(r)}", flush=True)
