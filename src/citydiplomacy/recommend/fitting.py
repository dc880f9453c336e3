"""Fitting the additive model's tables: quantile bins of every feature, one-hot and
standardised, into an importance-weighted logistic regression (``fit_additive``, the default)
or a softmax over each positive's sampled group (``fit_listwise``, tried and not better:
docs/BENCHMARKS.md). Returns plain lists (thresholds, centred tables, intercept) that
``learn.LinearModel`` holds. No Django here.
"""

from __future__ import annotations

import numpy as np

# listwise: log of the candidates each negative stands for, relative to the importance weight
# (0: log w only; log(candidates / k) ≈ 7.6 would be the unbiased sampled softmax)
LISTWISE_SHIFT = -6.0


def _thresholds(x: np.ndarray, y: np.ndarray, bins: int) -> np.ndarray:
    """Cut points: midpoints between the distinct quantiles of positives and of negatives
    (so sparse features such as common partners still get bins where positives live)."""
    qs = np.linspace(0, 1, bins + 1)
    vals = np.unique(np.round(np.concatenate([
        np.quantile(x[y == 1], qs) if (y == 1).any() else [],
        np.quantile(x[y == 0], qs) if (y == 0).any() else [],
    ]), 6))
    return (vals[:-1] + vals[1:]) / 2.0


def _one_hot(X: np.ndarray, y: np.ndarray, use: np.ndarray, bins: int):
    """(sparse one-hot matrix of the bins of every used feature, standard deviation of each
    column, thresholds, (feature, bin) of each column)."""
    import scipy.sparse as sp

    ths, col_idx, owners = [], [], []
    offset = 0
    for k in range(X.shape[1]):
        if not use[k]:
            ths.append(np.array([]))
            continue
        th = _thresholds(X[:, k], y, bins)
        ths.append(th)
        col_idx.append(offset + np.searchsorted(th, X[:, k], side="right"))
        owners.extend((k, b) for b in range(len(th) + 1))
        offset += len(th) + 1
    n = len(y)
    cols = np.concatenate(col_idx)
    rows = np.tile(np.arange(n), len(col_idx))
    Z = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, offset))
    mean = np.asarray(Z.sum(axis=0)).ravel() / n
    sd = np.sqrt(np.maximum(mean - mean**2, 0.0))
    sd[sd < 1e-9] = 1.0
    return Z, sd, ths, owners


def _tables(X: np.ndarray, use: np.ndarray, ths: list, owners: list, w: np.ndarray,
            intercept: float) -> tuple[list, list, float]:
    """Per-feature tables of bin weights, centred on the training average."""
    tables = [np.zeros(len(th) + 1) for th in ths]
    for (k, b), wk in zip(owners, w):
        tables[k][b] = wk
    # centre each feature's table on the training average so contributions read as
    # "compared with an average candidate"
    for k, th in enumerate(ths):
        if use[k]:
            avg = tables[k][np.searchsorted(th, X[:, k], side="right")].mean()
            tables[k] -= avg
            intercept += avg
    return [t.tolist() for t in ths], [t.tolist() for t in tables], intercept


def fit_additive(X: np.ndarray, y: np.ndarray, use: np.ndarray, bins: int = 10,
                 C: float = 1.0, weights: np.ndarray | None = None) -> tuple[list, list, float]:
    """One-hot bins of every used feature, standardised, into a logistic regression.

    The one-hot matrix stays sparse: scaling column j by 1/sd_j keeps it sparse, and centring
    would only move the intercept (which is not penalised), so fitting on Z/sd is the same
    problem as fitting on (Z − mean)/sd."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    Z, sd, ths, owners = _one_hot(X, y, use, bins)
    sw = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(Z @ sp.diags(1.0 / sd), y, sample_weight=sw)
    return _tables(X, use, ths, owners, clf.coef_.ravel() / sd, float(clf.intercept_[0]))


def _softmax_loss(v: np.ndarray, Zs, pos: np.ndarray, groups: np.ndarray, offsets: np.ndarray,
                  lam: float) -> tuple[float, np.ndarray]:
    """Σ_g −log softmax(positive of g) over the rows of g, + lam/2 · |v|², and its gradient.
    Rows are sorted by group; `pos` marks each group's positive row."""
    s = Zs @ v + offsets
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    m = np.maximum.reduceat(s, starts)
    e = np.exp(s - np.repeat(m, np.diff(np.r_[starts, len(s)])))
    tot = np.add.reduceat(e, starts)
    lse = m + np.log(tot)
    loss = float(lse.sum() - s[pos].sum() + 0.5 * lam * v @ v)
    p = e / np.repeat(tot, np.diff(np.r_[starts, len(s)]))
    p[pos] -= 1.0
    return loss, Zs.T @ p + lam * v


def fit_listwise(X: np.ndarray, y: np.ndarray, groups: np.ndarray, offsets: np.ndarray,
                 use: np.ndarray, bins: int = 10, C: float = 1.0) -> tuple[list, list, float]:
    """The same additive model, fitted by a per-home ranking objective: every group is one
    positive and its sampled negatives (same home); minimise the softmax cross-entropy of the
    positive within its group (score differences only, so no intercept) with L2 = 1/(2C)·|v|²
    on the standardised one-hot columns, by L-BFGS. `offsets` are added to the scores inside
    the loss only (log importance weights: the sampled softmax correction)."""
    import scipy.sparse as sp
    from scipy.optimize import minimize

    order = np.argsort(groups, kind="stable")
    X, y, groups, offsets = X[order], y[order], groups[order], offsets[order]
    # groups without a positive (filtered) or without negatives carry no information
    first = np.r_[True, groups[1:] != groups[:-1]]
    gid = np.cumsum(first) - 1
    n_pos = np.bincount(gid, weights=y)
    size = np.bincount(gid)
    keep = ((n_pos == 1) & (size > 1))[gid]
    X, y, groups, offsets = X[keep], y[keep], groups[keep], offsets[keep]
    Z, sd, ths, owners = _one_hot(X, y, use, bins)
    Zs = (Z @ sp.diags(1.0 / sd)).tocsr()
    res = minimize(_softmax_loss, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B",
                   args=(Zs, y == 1, groups, offsets, 1.0 / C),
                   options={"maxiter": 500})
    return _tables(X, use, ths, owners, res.x / sd, 0.0)


def softmax_offsets(rows: dict[str, np.ndarray], n_candidates: int | None = None,
                    shift: float = LISTWISE_SHIFT) -> np.ndarray:
    """Sampled-softmax correction: each negative's score is raised by log w + shift, w its
    importance weight (mean 1). With `n_candidates` the shift is log(candidates / k), k the
    negatives of its group, so that the group's sum estimates the sum over all candidates
    (unbiased, but worse for Hits@10: it gives up the cities sharing a partner); a negative
    shift makes the objective closer to pairwise. Positives: 0."""
    y, w, g = rows["y"], rows["w"], rows["g"]
    neg = y == 0
    out = np.zeros(len(y))
    out[neg] = np.log(np.maximum(w[neg], 1e-12))
    if n_candidates is not None:
        k = np.bincount(g, weights=neg.astype(np.float64))[g]
        out[neg] += np.log(n_candidates / np.maximum(k[neg], 1.0))
    else:
        out[neg] += shift
    return out

