"""The recommender treats places by the national government's view: a city in a region with
a policy row of its own (Crimea, UA-43) is judged by that row — flagged with the clearance it
needs, never offered silently — and a place in the north of Cyprus counts as XC."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from citydiplomacy.recommend.engine import Recommender
from citydiplomacy.recommend.features import FeatureEngine
from citydiplomacy.recommend.learn import train
from citydiplomacy.recommend.world import World, _Builder

from .conftest import CITIES, EDGES, IDX

EXTRA = [("Simferopol", "UA", "11", 44.95719, 34.11079, 336_460, 693805),
         ("Kharkiv", "UA", "07", 49.98081, 36.25272, 1_430_885, 706483)]


def _world() -> World:
    cities = CITIES + EXTRA
    cols = list(zip(*cities))
    return World(
        geonameid=np.array(cols[6], dtype=np.int64), lg_id=np.full(len(cities), -1, dtype=np.int64),
        name=np.array(cols[0], dtype=object), country=np.array(cols[1], dtype="<U2"),
        admin1=np.array(cols[2], dtype=object), lat=np.array(cols[3], dtype=float),
        lng=np.array(cols[4], dtype=float), population=np.array(cols[5], dtype=float),
        candidate=np.ones(len(cities), dtype=bool),
        edges=np.array(EDGES, dtype=np.int64).reshape(-1, 2), source="test")


@pytest.fixture(scope="module")
def recommender() -> Recommender:
    world = _world()
    engine = FeatureEngine(world)
    return Recommender(world, train(engine, rng=np.random.default_rng(0), rounds=1, target_share=0.3),
                       engine=engine)


def test_a_city_in_a_restricted_region_is_flagged_not_silently_offered(recommender):
    regions = {("UA", "11"): ("restricted", "UA-43")}
    with translation.override("en"):
        ranking = recommender.rank(IDX["Istanbul"], top=30, countries=["UA"],
                                   status_of=lambda code: "normal", region_status=regions)
    by_name = {s.name: s for s in ranking.suggestions}
    assert by_name["Simferopol"].status == "restricted"
    assert "central clearance" in by_name["Simferopol"].reasons[0]
    assert by_name["Kharkiv"].status == "normal" and "clearance" not in " ".join(by_name["Kharkiv"].reasons)


def test_a_city_in_a_blocked_region_is_excluded_with_the_reason(recommender):
    regions = {("UA", "11"): ("no_relations", "UA-43")}
    ranking = recommender.rank(IDX["Istanbul"], top=30, countries=["UA"],
                               status_of=lambda code: "normal", region_status=regions)
    assert [s.name for s in ranking.suggestions] == ["Kharkiv"]
    assert [s.name for s in ranking.excluded] == ["Simferopol"]


@pytest.mark.django_db
def test_policy_for_ranking_reads_the_region_rows():
    from citydiplomacy.places.models import Region
    from citydiplomacy.policy.services import load_policy_tables
    from citydiplomacy.recommend.services import policy_for_ranking

    load_policy_tables()
    Region.objects.create(code="UA-43", name="Krym", country_code="UA", kind="Republic", admin1_code="11")
    Region.objects.create(code="UA-40", name="Sevastopol", country_code="UA", kind="City", admin1_code="20")
    status_of, regions = policy_for_ranking()
    assert regions == {("UA", "11"): ("restricted", "UA-43"), ("UA", "20"): ("restricted", "UA-40")}
    assert status_of("UA") == "normal" and status_of("CY") == "no_relations" and status_of("XC") == "normal"


def test_the_world_puts_places_in_the_north_of_cyprus_under_xc():
    builder = _Builder()
    girne = builder.add(("g", 146412), geonameid=146412, name="Kyrenia", country="CY", lat=35.3, lng=33.3)
    limassol = builder.add(("g", 146384), geonameid=146384, name="Limassol", country="CY", lat=34.7, lng=33.0)
    world = builder.build(set(), "test", {})
    assert (world.country[girne], world.country[limassol]) == ("XC", "CY")
