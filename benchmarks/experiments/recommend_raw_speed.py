# ruff: noqa  (one-off experiment script, kept for the figures in docs/BENCHMARKS.md)
"""Ranking speed on the raw packages world (every name of the file, unresolved kept).

    python recommend_raw_speed.py MODEL.json [OTHER.json ...]   # several: timed in turn on each home
"""
import os
import statistics
import sys
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
import django; django.setup()
from citydiplomacy.recommend.engine import Recommender
from citydiplomacy.recommend.learn import LinearModel
from citydiplomacy.recommend.world import world_from_packages

w = world_from_packages()
recs = [Recommender(w, LinearModel.load(p)) for p in sys.argv[1:]]
rng = np.random.default_rng(0)
homes = rng.choice(np.flatnonzero(recs[0].engine.graph.degree > 0), 420, replace=False)
for rec in recs:
    for h in homes[:20]:
        rec.rank(int(h), top=20)
stats = [([], [], []) for _ in recs]
for h in homes[20:]:
    for rec, (times, unplaced, cpu) in zip(recs, stats):
        s, c = time.perf_counter(), time.process_time()
        r = rec.rank(int(h), top=20); dt = (time.perf_counter() - s) * 1000
        times.append(dt); cpu.append((time.process_time() - c) * 1000)
        if not w.located[h]:
            unplaced.append(dt); assert r.note and len(r.suggestions) == 20
for path, (times, unplaced, cpu) in zip(sys.argv[1:], stats):
    print(f"{path}: nodes {w.n}, candidates {w.candidate.sum()}, ties {len(w.edges)}; rank top 20 with reasons: "
          f"median {statistics.median(times):.1f} ms, p95 {np.percentile(times, 95):.1f} ms over {len(times)} homes "
          f"({len(unplaced)} unplaced, median {statistics.median(unplaced) if unplaced else 0:.1f} ms); "
          f"CPU time median {statistics.median(cpu):.1f} ms, p95 {np.percentile(cpu, 95):.1f} ms "
          f"(the process's own CPU: less sensitive to a shared machine's load than wall time)")
