"""Paired comparison of training objectives for the recommender on a subset of queries.

Run: ``DEBUG=1 .venv/bin/python benchmarks/recommend_objectives.py --seed 1 --queries 1500
[--variants logistic,listwise:C=1 ...]``. Splits the vendored network exactly as
`evaluate-recommender --seed N` does, samples the training pairs once (cached under
var/recommend/), fits every variant on the same rows and ranks the same first queries with
all of them and Adamic–Adar, split by whether the hidden partner shares a partner with the
source city. Variant syntax: ``objective[:key=value;...]`` with keys C, offsets (full | none),
shift (default fitting.LISTWISE_SHIFT), keep (share of the negatives kept per group).
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


def parse_variant(text: str) -> tuple[str, dict]:
    objective, _, rest = text.partition(":")
    opts = {}
    for item in filter(None, rest.split(";")):
        key, _, value = item.partition("=")
        opts[key] = value
    return objective, opts


def fit_variant(np, learn, features, rows, n_cand, objective, opts, seed):
    from citydiplomacy.recommend import fitting

    X, y = rows["X"], rows["y"]
    use = np.ones(len(features.FEATURES), dtype=bool)
    keep = float(opts.get("keep", 1.0))
    if keep < 1.0:
        rng = np.random.default_rng(seed)
        mask = (y == 1) | (rng.random(len(y)) < keep)
        rows = {k: v[mask] for k, v in rows.items()}
        X, y = rows["X"], rows["y"]
    if objective == "logistic":
        C = float(opts.get("C", learn.LOGISTIC_C))
        th, tab, b = learn.fit_additive(X, y, use, C=C, weights=rows["w"])
    else:
        C = float(opts.get("C", learn.LISTWISE_C))
        offsets = learn.softmax_offsets(rows, shift=float(opts.get("shift", fitting.LISTWISE_SHIFT)))
        if opts.get("offsets") == "none":
            offsets = np.zeros(len(y))
        elif opts.get("offsets") == "full":  # unbiased sampled softmax: shift log(candidates / k)
            offsets = learn.softmax_offsets(rows, n_cand)
        th, tab, b = learn.fit_listwise(X, y, rows["g"], offsets, use, C=C)
    return learn.LinearModel(names=list(features.NAMES), groups=list(features.GROUPS),
                             thresholds=th, tables=tab, intercept=b, use=use.tolist())


def main() -> None:
    import django

    django.setup()
    import numpy as np

    from citydiplomacy.places.packages_resolver import cache_dir
    from citydiplomacy.recommend import evaluate as ev
    from citydiplomacy.recommend import features, learn, sampling
    from citydiplomacy.recommend.world import load_world

    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=1500)
    ap.add_argument("--variants", default="logistic,listwise")
    ap.add_argument("--negatives", default="", help="e.g. uniform=32,two_hop=8")
    args = ap.parse_args()
    negatives = {k: int(v) for k, v in (p.split("=") for p in args.negatives.split(",") if p)} or None

    world = load_world("packages")
    engine = features.FeatureEngine(world)
    rng = np.random.default_rng(args.seed)
    train_edges, hidden = ev.holdout_split(engine.graph_edges, 0.1, rng)
    eng = engine.with_edges(train_edges)
    tag = "-".join(f"{k}{v}" for k, v in (negatives or sampling.NEGATIVES).items())
    cache = cache_dir() / f"objective-rows-seed{args.seed}-{tag}.npz"
    t0 = time.perf_counter()
    if cache.exists():
        rows = dict(np.load(cache))
    else:
        rows = learn.training_rows(eng, np.random.default_rng(args.seed), negatives=negatives)
        np.savez(cache, **rows)
    print(f"rows: {len(rows['y'])} ({int(rows['y'].sum())} positives) in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    n_cand = int(world.candidate.sum())
    models = {}
    for text in args.variants.split(","):
        objective, opts = parse_variant(text)
        t0 = time.perf_counter()
        models[text] = fit_variant(np, learn, features, rows, n_cand, objective, opts, args.seed)
        print(f"fit {text}: {time.perf_counter() - t0:.1f} s", flush=True)

    queries = ev._queries(world, hidden)
    cand = world.candidate
    A = eng.graph.A
    ranks = {name: [] for name in (*models, "adamic_adar")}
    common = []
    done = 0
    for src, targets in queries.items():
        if done >= args.queries:
            break
        X = eng.for_home(src)
        valid = cand.copy()
        valid[src] = False
        valid[A.indices[A.indptr[src]:A.indptr[src + 1]]] = False
        scores = {name: m.score(X) for name, m in models.items()}
        scores["adamic_adar"] = X[:, features.INDEX["adamic_adar"]]
        for t in targets:
            common.append(X[t, features.INDEX["common_partners"]] > 0)
            for name, s in scores.items():
                ranks[name].append(ev._rank_stats(s, valid, t)[0])
        done += len(targets)
    common = np.array(common)
    print(f"\n{done} queries (seed {args.seed}); {common.mean():.3f} share a partner")
    print(f"{'method':40} {'MRR':>7} {'H@10':>7} {'H@50':>7} {'H@10 cp':>8} {'H@10 no':>8} {'xAA':>6}")
    aa10 = np.mean(np.array(ranks["adamic_adar"]) <= 10)
    for name, r in ranks.items():
        r = np.array(r)
        print(f"{name:40} {np.mean(1 / r):7.4f} {np.mean(r <= 10):7.4f} {np.mean(r <= 50):7.4f} "
              f"{np.mean(r[common] <= 10):8.4f} {np.mean(r[~common] <= 10):8.4f} "
              f"{np.mean(r <= 10) / aa10:6.2f}")


if __name__ == "__main__":
    main()
