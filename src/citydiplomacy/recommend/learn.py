"""The learned model: logistic regression on standardised features, trained on the real network.

This module owns the model (``LinearModel``: how a fitted model scores and explains, saved as
JSON) and the training entry point (``train``). Training pairs come from ``sampling`` (targets
hidden from the known ties, sampled negatives with importance weights) and the tables from
``fitting`` (the default logistic fit; ``objective="listwise"`` fits the same model by a softmax
over each positive's group of sampled negatives instead, tried and not better:
docs/BENCHMARKS.md).

The model is additive: score = intercept + Σ_k w_k · (x_k − μ_k) / σ_k, so every term is one
feature's contribution; the reasons shown to users are the largest positive terms.
Emphasis presets multiply the contributions of whole feature groups (see EMPHASIS).
No Django here.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .features import FEATURES, GROUPS, NAMES, NETWORK, FeatureEngine
from .fitting import fit_additive, fit_listwise, softmax_offsets
from .sampling import training_rows

# group multipliers applied to the learned contributions (documented in docs/RECOMMENDER.md)
EMPHASIS: dict[str, dict[str, float]] = {
    "balanced": {},
    "history_culture": {"history": 2.0, "culture": 2.0, "contribution": 0.5},
    "urban_services": {"contribution": 2.0, "history": 0.5, "culture": 0.5},
    "neighbourhood": {"geography": 2.0, "contribution": 0.5},
}
# training objective: "logistic" (pointwise, importance-weighted) or "listwise" (softmax over
# each positive's sampled group); listwise tried 2026-12-01 and not better (docs/BENCHMARKS.md)
OBJECTIVE = "logistic"
LOGISTIC_C, BINS = 0.01, 16  # L2 strength; bins per feature (16 beat 10 and 24: BENCHMARKS.md)
LISTWISE_C = 0.1
BAGS = 3  # fits averaged into one model (see train): 3 beat 1, 5 and one pooled fit on validation


@dataclass
class LinearModel:
    """Logistic regression on standardised, binned features: an additive model.

    Each feature k is cut at quantile thresholds into bins; the model learned one weight per
    (feature, bin) on the standardised one-hot columns. ``tables[k][b]`` is that weight
    centred on the training average, so it is feature k's contribution for a value in bin b
    (positive: raises the score above an average candidate's).
    """

    names: list[str]
    groups: list[str]
    thresholds: list[list[float]]
    tables: list[list[float]]
    intercept: float
    use: list[bool]  # features the model may use (cold-start models drop the network group)
    trained_at: str = ""
    counts: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    def __post_init__(self):
        self._th = [np.asarray(t, dtype=np.float64) for t in self.thresholds]
        self._tab = [np.asarray(t, dtype=np.float64) for t in self.tables]

    def contributions(self, X: np.ndarray, skip=()) -> np.ndarray:
        """Per-feature contributions (N × F, column-major); columns in `skip` stay 0."""
        out = np.zeros(X.shape, dtype=np.float64, order="F")
        for k, (th, tab) in enumerate(zip(self._th, self._tab)):
            if self.use[k] and k not in skip:
                col = X[:, k]
                nz = np.flatnonzero(col)
                if len(nz) < len(col) // 4:  # mostly zero (network features): bin only the rest
                    out[:, k] = tab[np.searchsorted(th, 0.0, side="right")]
                    out[nz, k] = tab[np.searchsorted(th, col[nz], side="right")]
                else:
                    out[:, k] = tab[np.searchsorted(th, col, side="right")]
        return out

    def group_weights(self, emphasis: str | None) -> np.ndarray:
        table = EMPHASIS.get(emphasis or "balanced", {})
        return np.array([table.get(g, 1.0) for g in self.groups])

    def score(self, X: np.ndarray, emphasis: str | None = None,
              contributions: np.ndarray | None = None) -> np.ndarray:
        c = self.contributions(X) if contributions is None else contributions
        return c @ self.group_weights(emphasis) + self.intercept

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(**data)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        return cls.from_json(json.loads(Path(path).read_text()))


def average(models: list[LinearModel]) -> LinearModel:
    """One additive model whose score is the mean of the models' scores (same features): each
    feature's thresholds are the union of theirs and each bin's weight is the mean of theirs on
    that bin, so ranking costs what one model costs."""
    first = models[0]
    thresholds, tables = [], []
    for k in range(len(first.names)):
        th = np.unique(np.concatenate([m._th[k] for m in models]))
        # a value inside each bin of the union: below the first cut, then each cut itself
        probe = np.concatenate([[th[0] - 1.0] if len(th) else [0.0], th])
        tab = np.mean([m._tab[k][np.searchsorted(m._th[k], probe, side="right")] for m in models],
                      axis=0)
        thresholds.append(th.tolist())
        tables.append(tab.tolist())
    return LinearModel(names=list(first.names), groups=list(first.groups), thresholds=thresholds,
                       tables=tables, intercept=float(np.mean([m.intercept for m in models])),
                       use=list(first.use))


def _fit_rows(rows: dict, use: np.ndarray, C: float | None, bins: int, objective: str) -> LinearModel:
    X, y = rows["X"], rows["y"]
    if objective == "listwise":
        offsets = softmax_offsets(rows)
        thresholds, tables, intercept = fit_listwise(
            X, y, rows["g"], offsets, use, bins=bins, C=LISTWISE_C if C is None else C)
    else:
        thresholds, tables, intercept = fit_additive(
            X, y, use, bins=bins, C=LOGISTIC_C if C is None else C, weights=rows["w"])
    return LinearModel(names=list(NAMES), groups=list(GROUPS), thresholds=thresholds,
                       tables=tables, intercept=intercept, use=use.tolist())


def train(engine: FeatureEngine, rng=None, target_share: float = 0.1, network: bool = True,
          rounds: int = 3, C: float | None = None, bins: int = BINS,
          objective: str = OBJECTIVE, bags: int = BAGS) -> LinearModel:
    """Fit on the engine's graph (its edges are the known ties); `objective` is "logistic"
    (pointwise, the default) or "listwise" (softmax over each positive's group). With `bags`
    > 1, that many fits on fresh training rows (new hidden targets and negatives from the same
    rng) are averaged into one model."""
    t0 = time.perf_counter()
    rng = rng if rng is not None else np.random.default_rng(0)
    edges = engine.graph_edges
    use = np.ones(len(FEATURES), dtype=bool) if network else ~NETWORK
    fits, n_rows, n_pos = [], 0, 0
    for _ in range(max(bags, 1)):
        rows = training_rows(engine, rng, target_share, rounds)
        fits.append(_fit_rows(rows, use, C, bins, objective))
        n_rows += len(rows["y"])
        n_pos += int(rows["y"].sum())
    model = fits[0] if len(fits) == 1 else average(fits)
    model.trained_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    model.counts = {"nodes": int(engine.world.n), "candidates": int(engine.world.candidate.sum()),
                    "ties": len(edges), "training_rows": n_rows, "bags": len(fits),
                    "positives": n_pos, "seconds": round(time.perf_counter() - t0, 1)}
    return model
