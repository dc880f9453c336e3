"""Great-circle distance on the Earth: the one definition the resolver (homonyms far apart),
the reported-tie claims, the analytics proximity figures and the recommender's features use.
Scalars give a float quickly (math); NumPy arrays broadcast."""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def great_circle_km(lat1, lng1, lat2, lng2):
    """Haversine distance in km between (lat1, lng1) and (lat2, lng2), in degrees."""
    if any(isinstance(v, np.ndarray) for v in (lat1, lng1, lat2, lng2)):
        p1, p2 = np.radians(lat1), np.radians(lat2)
        dp, dl = p2 - p1, np.radians(np.asarray(lng2) - np.asarray(lng1))
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def km_between(a, b, missing: float | None = None) -> float | None:
    """Distance between two records with `latitude`/`longitude` (`missing` when one lacks them)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return missing
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)
