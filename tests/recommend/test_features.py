"""Each feature on hand-computed cases (pure NumPy, no database, no gazetteer)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from citydiplomacy.recommend.facts import load_facts, node_facts
from citydiplomacy.recommend.features import INDEX, NAMES, FeatureEngine, haversine_km

from .conftest import IDX


def law_of_cosines_km(a, b):
    (la1, lo1), (la2, lo2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    return 6371.0088 * math.acos(math.sin(la1) * math.sin(la2)
                                 + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1))


@pytest.fixture
def engine(tiny_world):
    return FeatureEngine(tiny_world)


def feature(engine, home, cand, name):
    return engine.for_pairs(np.array([IDX[home]]), np.array([IDX[cand]]))[0, INDEX[name]]


def test_distances_within_one_percent():
    istanbul, sarajevo, baku = (41.01384, 28.94966), (43.84864, 18.35644), (40.37767, 49.89201)
    # hand-computed with the spherical law of cosines: 924 km and 1,763 km
    assert haversine_km(*istanbul, *sarajevo) == pytest.approx(923.96, rel=0.01)
    assert haversine_km(*istanbul, *baku) == pytest.approx(1762.75, rel=0.01)
    assert haversine_km(*istanbul, *baku) == pytest.approx(law_of_cosines_km(istanbul, baku), rel=1e-6)


def test_log_distance_feature(engine):
    assert feature(engine, "Istanbul", "Sarajevo", "log_distance") == pytest.approx(
        math.log10(1 + 923.96), rel=0.01)


def test_istanbul_sarajevo_ottoman_history(engine):
    assert feature(engine, "Istanbul", "Sarajevo", "ottoman_history") == 1.0
    assert feature(engine, "Istanbul", "Tokyo", "ottoman_history") == 0.0
    assert feature(engine, "Istanbul", "Rotterdam", "ottoman_history") == 0.0


def test_istanbul_baku_shared_language_family(engine):
    assert feature(engine, "Istanbul", "Baku", "shared_language_family") == 1.0  # Turkic
    assert feature(engine, "Istanbul", "Sarajevo", "shared_language_family") == 0.0
    assert feature(engine, "Berlin", "Rotterdam", "shared_language_family") == 1.0  # Indo-European


def test_organisations_and_regions(engine):
    assert feature(engine, "Istanbul", "Baku", "shared_ots") == 1.0  # both members
    assert feature(engine, "Istanbul", "Almaty", "shared_ots") == 1.0
    assert feature(engine, "Istanbul", "Sarajevo", "shared_oic") == 0.5  # BA is an observer
    assert feature(engine, "Istanbul", "Berlin", "shared_oic") == 0.0
    assert feature(engine, "Istanbul", "Kazan", "turkic_region") == 1.0  # Tatarstan (RU-TA)
    assert feature(engine, "Berlin", "Kazan", "turkic_region") == 0.0


def test_geography(engine):
    assert feature(engine, "Istanbul", "Athens", "neighbour_country") == 1.0
    assert feature(engine, "Istanbul", "Berlin", "neighbour_country") == 0.0
    assert feature(engine, "Istanbul", "Baku", "same_subregion") == 1.0  # Western Asia (UN M49)
    assert feature(engine, "Berlin", "Paris", "same_continent") == 1.0
    assert feature(engine, "Berlin", "Tokyo", "same_continent") == 0.0
    assert feature(engine, "Berlin", "Berlin", "same_country") == 1.0


def test_culture(engine):
    assert feature(engine, "Istanbul", "Baku", "shared_religion") == 1.0  # Muslim majority
    assert feature(engine, "Berlin", "Paris", "shared_religion") == 1.0
    assert feature(engine, "Istanbul", "Tokyo", "shared_religion") == 0.0
    assert feature(engine, "Berlin", "Rotterdam", "shared_language") == 0.0  # de vs nl
    assert feature(engine, "Istanbul", "Istanbul", "shared_language") == 1.0


def test_contribution(engine):
    assert feature(engine, "Istanbul", "Berlin", "capital") == 1.0
    assert feature(engine, "Istanbul", "Rotterdam", "capital") == 0.0
    assert feature(engine, "Istanbul", "Berlin", "log_population") == pytest.approx(
        math.log10(3_426_354))
    assert feature(engine, "Istanbul", "Berlin", "size_ratio") == pytest.approx(
        abs(math.log10(14_804_116) - math.log10(3_426_354)))
    assert feature(engine, "Istanbul", "Berlin", "log_ties") == pytest.approx(math.log1p(3))
    assert feature(engine, "Istanbul", "Berlin", "hdi") == pytest.approx(0.950)


def test_network_scores_by_hand(engine):
    # Istanbul's partners: Berlin (deg 3), Paris (deg 3). Rotterdam's partners: Berlin, Tokyo.
    assert feature(engine, "Istanbul", "Rotterdam", "common_partners") == pytest.approx(math.log1p(1))
    assert feature(engine, "Istanbul", "Rotterdam", "adamic_adar") == pytest.approx(1 / math.log(3))
    assert feature(engine, "Istanbul", "Rotterdam", "resource_allocation") == pytest.approx(1 / 3)
    # Athens: via Paris (2 hops); Sarajevo: only 3 hops (Istanbul–Paris–Athens–Sarajevo)
    assert feature(engine, "Istanbul", "Sarajevo", "common_partners") == 0.0
    assert feature(engine, "Istanbul", "Sarajevo", "paths3") == pytest.approx(math.log1p(1))
    # three-hop resource allocation: 1/deg(Paris) * 1/deg(Athens) = 1/3 * 1/2, scaled by 10
    assert feature(engine, "Istanbul", "Sarajevo", "resource_allocation3") == pytest.approx(10 / 6)
    # country-pair prior: TR–DE ties = 1; partners in country
    assert feature(engine, "Istanbul", "Berlin", "country_pair_prior") == pytest.approx(math.log1p(1))
    assert feature(engine, "Istanbul", "Berlin", "partners_in_country") == pytest.approx(math.log1p(1))


def test_for_home_equals_for_pairs(engine, tiny_world):
    for h in range(tiny_world.n):
        full = engine.for_home(h)
        pairs = engine.for_pairs(np.full(tiny_world.n, h), np.arange(tiny_world.n))
        np.testing.assert_allclose(full, pairs, err_msg=f"home {h}")
    assert full.shape == (tiny_world.n, len(NAMES))


def test_every_fact_table_row_has_a_source():
    import csv

    from citydiplomacy.recommend.facts import DATA

    for path in DATA.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, path
        assert all(r["source"].strip() for r in rows), path


def test_northern_cyprus_is_kept_apart(tiny_world):
    facts = load_facts()
    nf = node_facts(tiny_world, facts)
    assert facts.organisations["ots"]["XC"] == "observer"
    assert "CY" not in facts.organisations["ots"]
    assert nf.ottoman[IDX["Nicosia"]] == 1.0


def _spatial_world():
    """Home H with a neighbour town N 0.3° north; H's partner P far away with a town Q near it;
    N's partner M with a town R near M; S lies far from everything."""
    from citydiplomacy.recommend.world import World

    names = ["H", "N", "P", "Q", "M", "R", "S"]
    lat = np.array([40.0, 40.3, 50.0, 50.2, 45.0, 45.0, 10.0])
    lng = np.array([30.0, 30.0, 10.0, 10.0, 20.0, 20.5, 100.0])
    n = len(names)
    edges = np.array([(0, 2), (1, 4), (4, 6)])  # H–P, N–M, M–S
    world = World(
        geonameid=np.arange(n, dtype=np.int64), lg_id=np.full(n, -1, dtype=np.int64),
        name=np.array(names, dtype=object),
        country=np.array(["TR", "TR", "DE", "DE", "HU", "HU", "TH"]),
        admin1=np.array(["01"] * n, dtype=object), lat=lat, lng=lng, population=np.full(n, 1e5),
        candidate=np.ones(n, dtype=bool), edges=edges, source="test")
    return world, lat, lng


def test_spatial_network_features_by_hand():
    world, lat, lng = _spatial_world()
    engine = FeatureEngine(world)
    km = lambda i, j: float(haversine_km(lat[i], lng[i], lat[j], lng[j]))
    assert km(0, 1) == pytest.approx(33.36, rel=0.01) and km(2, 3) == pytest.approx(22.24, rel=0.01)
    assert km(4, 5) == pytest.approx(39.3, rel=0.01)

    def f(h, c, name):
        return engine.for_pairs(np.array([h]), np.array([c]))[0, INDEX[name]]

    # Q is 22 km from H's partner P: exp(-22.24 / 30)
    assert f(0, 3, "near_your_partners") == pytest.approx(math.exp(-km(2, 3) / 30), rel=1e-6)
    assert f(0, 5, "near_your_partners") == 0.0  # R is near nobody H twins with
    # M twins with N, 33 km from H: exp(-33.36 / 30)
    assert f(0, 4, "twins_with_your_neighbours") == pytest.approx(math.exp(-km(0, 1) / 30), rel=1e-6)
    assert f(0, 3, "twins_with_your_neighbours") == 0.0
    # R is 39 km from M, which twins with H's neighbour N
    assert f(0, 5, "regional_ties") == pytest.approx(
        math.log1p(math.exp(-km(4, 5) / 30) * math.exp(-km(0, 1) / 30)), rel=1e-6)
    assert f(0, 6, "regional_ties") == 0.0  # S is beyond the 100 km cut-off of every town
    # the ranking path computes the same numbers
    full = engine.for_home(0)
    np.testing.assert_allclose(full[[3, 4, 5], INDEX["regional_ties"]],
                               [f(0, c, "regional_ties") for c in (3, 4, 5)])


def test_for_pairs_in_small_batches_equals_for_home():
    from .conftest import random_world

    world = random_world(160, seed=3)
    engine = FeatureEngine(world)
    rng = np.random.default_rng(0)
    homes = rng.integers(0, world.n, 600)
    cands = rng.integers(0, world.n, 600)
    pairs = engine.for_pairs(homes, cands, batch=7)
    for i in range(0, 600, 37):
        np.testing.assert_allclose(pairs[i, 1:], engine.for_home(int(homes[i]))[cands[i], 1:],
                                   err_msg=f"pair {i}")

