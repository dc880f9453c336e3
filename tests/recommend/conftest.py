"""A tiny synthetic world for the recommender's unit tests (no gazetteer, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from citydiplomacy.recommend.world import World

# name, country, admin1, lat, lng, population, geonameid
CITIES = [
    ("Istanbul", "TR", "34", 41.01384, 28.94966, 14_804_116, 745044),
    ("Sarajevo", "BA", "01", 43.84864, 18.35644, 696_731, 3191281),
    ("Baku", "AZ", "09", 40.37767, 49.89201, 2_351_300, 587084),
    ("Kazan", "RU", "73", 55.78874, 49.12214, 1_243_500, 551487),
    ("Yerevan", "AM", "11", 40.18111, 44.51361, 1_093_485, 616052),
    ("Nicosia", "CY", "04", 35.17531, 33.3642, 200_452, 146268),
    ("Rotterdam", "NL", "11", 51.9225, 4.47917, 598_199, 2747891),
    ("Berlin", "DE", "16", 52.52437, 13.41053, 3_426_354, 2950159),
    ("Paris", "FR", "11", 48.85341, 2.3488, 2_138_551, 2988507),
    ("Athens", "GR", "ESYE31", 37.98376, 23.72784, 664_046, 264371),
    ("Tokyo", "JP", "40", 35.6895, 139.69171, 8_336_599, 1850147),
    ("Almaty", "KZ", "02", 43.25, 76.91667, 2_000_900, 1526384),
]


def make_world(edges) -> World:
    cols = list(zip(*CITIES))
    lat = np.array(cols[3], dtype=float)
    return World(
        geonameid=np.array(cols[6], dtype=np.int64), lg_id=np.full(len(CITIES), -1, dtype=np.int64),
        name=np.array(cols[0], dtype=object), country=np.array(cols[1], dtype="<U2"),
        admin1=np.array(cols[2], dtype=object), lat=lat, lng=np.array(cols[4], dtype=float),
        population=np.array(cols[5], dtype=float), candidate=np.ones(len(CITIES), dtype=bool),
        edges=np.array(edges, dtype=np.int64).reshape(-1, 2), source="test",
    )


IDX = {c[0]: i for i, c in enumerate(CITIES)}
# Istanbul–Berlin, Istanbul–Paris, Berlin–Paris, Berlin–Rotterdam, Paris–Athens, Sarajevo–Athens,
# Baku–Almaty, Kazan–Almaty, Rotterdam–Tokyo
EDGES = [(0, 7), (0, 8), (7, 8), (6, 7), (8, 9), (1, 9), (2, 11), (3, 11), (6, 10)]


@pytest.fixture
def tiny_world() -> World:
    return make_world(EDGES)


def random_world(n: int = 160, seed: int = 0) -> World:
    """A clustered synthetic network: cities in 8 countries, ties mostly within clusters."""
    rng = np.random.default_rng(seed)
    countries = np.array(["DE", "FR", "TR", "AZ", "JP", "BR", "US", "NL"], dtype="<U2")
    centres = {"DE": (52, 13), "FR": (48, 2), "TR": (39, 32), "AZ": (40, 49), "JP": (36, 139),
               "BR": (-15, -47), "US": (39, -95), "NL": (52, 5)}
    cc = countries[rng.integers(0, len(countries), n)]
    lat = np.array([centres[c][0] for c in cc]) + rng.normal(0, 1.5, n)
    lng = np.array([centres[c][1] for c in cc]) + rng.normal(0, 1.5, n)
    pop = np.exp(rng.normal(12, 1.2, n))
    cluster = rng.integers(0, 12, n)
    edges = set()
    while len(edges) < 3 * n:
        a = int(rng.integers(0, n))
        pool = np.flatnonzero(cluster == cluster[a]) if rng.random() < 0.8 else np.arange(n)
        b = int(rng.choice(pool))
        if a != b and cc[a] != cc[b] or rng.random() < 0.1 and a != b:
            edges.add((min(a, b), max(a, b)))
    return World(
        geonameid=np.arange(1000, 1000 + n, dtype=np.int64), lg_id=np.full(n, -1, dtype=np.int64),
        name=np.array([f"City{i}" for i in range(n)], dtype=object), country=cc,
        admin1=np.array(["01"] * n, dtype=object), lat=lat, lng=lng, population=pop,
        candidate=np.ones(n, dtype=bool), edges=np.array(sorted(edges), dtype=np.int64),
        source="synthetic")
