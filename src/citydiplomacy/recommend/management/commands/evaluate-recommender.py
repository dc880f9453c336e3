"""`citydiplomacy evaluate-recommender --holdout 0.1 --seed N [--mode resolved|raw]`: link
prediction and cold start, the model against the baselines (random, distance, preferential
attachment, common neighbours, Adamic–Adar, resource allocation). `--mode raw` hides ties of the
imported file as written (unresolved names kept as network-only nodes) and counts a query
without an answer as a miss (recommend/evaluate.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from citydiplomacy.recommend.evaluate import MODES, evaluate
from citydiplomacy.recommend.features import FeatureEngine
from citydiplomacy.recommend.world import load_world


class Command(BaseCommand):
    help = "Hide a share of ties, retrain, and rank the hidden partners (model vs baselines)."

    def add_arguments(self, parser):
        parser.add_argument("--holdout", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--mode", choices=MODES, default="resolved",
                            help="resolved: ties between placed names; raw: every tie of the file "
                                 "as written, every query counted")
        parser.add_argument("--cold-cities", type=int, default=200,
                            help="cities of the cold-start run (0: no cold-start run)")
        parser.add_argument("--source", choices=("auto", "db", "packages"), default="auto")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument("--objective", choices=("logistic", "listwise"), default=None,
                            help="training objective (default: the model's, see learn.OBJECTIVE)")

    def handle(self, *args, holdout, seed, cold_cities, source, format, objective, mode, **options):
        world = load_world(source)
        result = evaluate(FeatureEngine(world), holdout=holdout, seed=seed, cold_cities=cold_cities,
                          objective=objective, mode=mode,
                          progress=(lambda m: self.stderr.write(m)) if format == "table" else None)
        result["source"] = world.source
        suffix = (f"-{mode}" if mode != "resolved" else "") + (f"-{objective}" if objective else "")
        out = Path(settings.VAR_DIR) / "recommend" / f"evaluation-seed{seed}{suffix}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1))
        if format == "json":
            self.stdout.write(json.dumps(result, indent=1))
            return
        self.stdout.write(f"Network ({mode}): {result['ties']} ties ({world.source}; "
                          f"{result['ties_with_unplaced_end']} with an unplaced end); hidden "
                          f"{result['hidden']} (seed {seed}); {result['queries']} queries, "
                          f"{result['queries_without_answer']} without an answer (misses); "
                          f"{result['seconds']} s")
        for section in ("link_prediction", "cold_start"):
            if section not in result:
                continue
            self.stdout.write(f"\n{section.replace('_', ' ')}:")
            self.stdout.write(f"  {'method':26} {'AUC':>7} {'MRR':>7} {'Hits@10':>8} {'Hits@50':>8}")
            for name, m in result[section].items():
                self.stdout.write(f"  {name:26} {m['auc']:7.4f} {m['mrr']:7.4f} "
                                  f"{m['hits@10']:8.4f} {m['hits@50']:8.4f}")
        lp = result["link_prediction"]
        best = max((k for k in lp if k != "model"), key=lambda k: lp[k]["mrr"])
        self.stdout.write(f"\nHits@10 model / Adamic-Adar: "
                          f"{lp['model']['hits@10'] / max(lp['adamic_adar']['hits@10'], 1e-9):.2f}x; "
                          f"MRR model {lp['model']['mrr']:.4f} vs best baseline ({best}) "
                          f"{lp[best]['mrr']:.4f}; median {lp['model'].get('median_ms', 0)} ms per query")
        if "cold_start" in result:
            cs = result["cold_start"]
            self.stdout.write(f"cold start model / distance: "
                              f"{cs['model']['hits@10'] / max(cs['distance']['hits@10'], 1e-9):.2f}x")
