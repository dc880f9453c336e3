"""The nearness kernel of the spatial-network features: which towns are near which, weighted by
exp(−distance / NEAR_SIGMA_KM) up to NEAR_CUTOFF_KM, as a sparse N × N matrix built once per
world (geography only, no ties). No Django here.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from citydiplomacy.places.distance import EARTH_RADIUS_KM

# nearness kernel of the spatial-network features: exp(-d / NEAR_SIGMA_KM) up to NEAR_CUTOFF_KM
NEAR_SIGMA_KM = 30.0
NEAR_CUTOFF_KM = 100.0


def nearness_matrix(xyz: np.ndarray, has_coords: np.ndarray, sigma_km: float = NEAR_SIGMA_KM,
                    cutoff_km: float = NEAR_CUTOFF_KM) -> sp.csr_matrix:
    """Symmetric sparse N × N kernel W[p, q] = exp(-d(p, q) / sigma) for two different nodes
    closer than the cut-off (0 otherwise, and 0 on the diagonal)."""
    from scipy.spatial import cKDTree

    n = len(xyz)
    idx = np.flatnonzero(has_coords)
    if len(idx) < 2:
        return sp.csr_matrix((n, n))
    tree = cKDTree(xyz[idx])
    chord_cut = 2.0 * np.sin(cutoff_km / EARTH_RADIUS_KM / 2.0)
    pairs = tree.query_pairs(chord_cut, output_type="ndarray")
    i, j = idx[pairs[:, 0]], idx[pairs[:, 1]]
    chord = np.linalg.norm(xyz[i] - xyz[j], axis=1)
    km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))
    w = np.exp(-km / sigma_km)
    return sp.csr_matrix((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))),
                         shape=(n, n))


def _rows_sum(M: sp.csr_matrix, rows: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Σ_j weights_j · M[rows_j, :] as a dense vector (cheap when there are few rows)."""
    if not len(rows):
        return np.zeros(n)
    sub = M[rows]
    per_row = np.diff(sub.indptr)
    return np.bincount(sub.indices, weights=sub.data * np.repeat(weights, per_row), minlength=n)
