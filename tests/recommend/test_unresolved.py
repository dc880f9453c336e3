"""Issue 18 items 4-5: a city the gazetteer does not place is answered on network-only features
with a note saying which features were missing; reasons name the partners, towns and sources
they rest on; the raw-network evaluation counts every query."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from citydiplomacy.recommend.engine import Recommender
from citydiplomacy.recommend.evaluate import _queries, mode_edges, rank_queries
from citydiplomacy.recommend.features import NAMES, FeatureEngine
from citydiplomacy.recommend.learn import LinearModel, train
from citydiplomacy.recommend.world import World

from .conftest import CITIES, EDGES, IDX, random_world


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _zero_model() -> LinearModel:
    return LinearModel(names=list(NAMES), groups=["network"] * len(NAMES),
                       thresholds=[[]] * len(NAMES), tables=[[0.0]] * len(NAMES), intercept=0.0,
                       use=[True] * len(NAMES))


def with_unplaced(world: World, name: str, country: str, partners: list[int]) -> World:
    """`world` plus one network-only node (no position, population or region), as
    world_from_packages keeps a name the resolver does not place."""
    def add(arr, value):
        return np.concatenate([arr, np.array([value], dtype=arr.dtype)])

    u = world.n
    edges = np.concatenate([world.edges, np.array([(p, u) for p in partners], dtype=np.int64)])
    return World(
        geonameid=add(world.geonameid, -1), lg_id=add(world.lg_id, -1), name=add(world.name, name),
        country=add(world.country, country), admin1=add(world.admin1, ""),
        lat=add(world.lat, np.nan), lng=add(world.lng, np.nan), population=add(world.population, 0.0),
        candidate=add(world.candidate, False), edges=edges, source="test")


def test_an_unresolved_city_gets_recommendations_with_the_missing_features_note():
    base = random_world(160, seed=3)
    world = with_unplaced(base, "Gmina Nowhere", "PL", [3, 17, 42])
    engine = FeatureEngine(world)
    model = train(engine, rng=np.random.default_rng(0), rounds=1)
    rec = Recommender(world, model, engine=engine)
    home = rec.node_for(name="gmina nowhere", country="PL")
    assert home == world.n - 1 and not world.located[home]
    with translation.override("en"):
        ranking = rec.rank(home, top=10, include_domestic=True)
    assert len(ranking.suggestions) == 10
    assert not {s.node for s in ranking.suggestions} & {3, 17, 42, home}
    assert all(np.isfinite(s.score) for s in ranking.suggestions)
    assert ranking.missing == ["position", "population", "region"]
    assert ranking.note == (
        "Gmina Nowhere is not placed on the map, so its suggestions rest on the twinning network "
        "only. Missing features: position (distance, nearby towns); population (size); "
        "region (regional ties).")
    with translation.override("tr"):
        note = rec.rank(home, top=3, include_domestic=True).note
    assert note.startswith("Gmina Nowhere haritada konumlandırılamadı") and "nüfus (büyüklük)" in note
    # a placed city with every fact has no note
    assert rec.rank(0, top=3).note == "" and rec.rank(0, top=3).missing == []


def test_reasons_name_the_shared_partners_and_the_path(tiny_world):
    rec = Recommender(tiny_world, _zero_model(), engine=FeatureEngine(tiny_world))
    h = IDX["Istanbul"]
    x = rec.engine.for_home(h)
    # Athens twins with Paris, İstanbul's partner; Rotterdam with Berlin
    assert rec.reason_text("adamic_adar", h, IDX["Athens"], x[IDX["Athens"]]) == (
        "twinned with Paris, your partner")
    # Sarajevo: İstanbul – Paris – Athens – Sarajevo
    assert rec.reason_text("paths3", h, IDX["Sarajevo"], x[IDX["Sarajevo"]]) == (
        "linked to you through your partner Paris and its partner Athens")
    with translation.override("tr"):
        assert rec.reason_text("paths3", h, IDX["Sarajevo"], x[IDX["Sarajevo"]]) == (
            "ortağınız Paris ve onun ortağı Athens üzerinden size bağlı")
    # two shared partners are both named, least connected first
    edges = [*EDGES, (1, 7), (1, 8)]  # Sarajevo twins with Berlin and Paris too
    from .conftest import make_world

    world = make_world(edges)
    rec2 = Recommender(world, _zero_model(), engine=FeatureEngine(world))
    x2 = rec2.engine.for_home(h)
    text = rec2.reason_text("common_partners", h, IDX["Sarajevo"], x2[IDX["Sarajevo"]])
    assert text in ("twinned with Berlin and Paris, your partners",
                    "twinned with Paris and Berlin, your partners")
    with translation.override("tr"):
        tr = rec2.reason_text("common_partners", h, IDX["Sarajevo"], x2[IDX["Sarajevo"]])
    assert tr.startswith("ortaklarınız ") and " ve " in tr and tr.endswith(" ile kardeş şehir")


def test_shared_history_and_membership_name_their_source(tiny_world):
    rec = Recommender(tiny_world, _zero_model(), engine=FeatureEngine(tiny_world))
    baku, almaty = IDX["Baku"], IDX["Almaty"]
    x = rec.engine.for_home(baku)
    assert rec.reason_text("shared_history", baku, almaty, x[almaty]) == (
        "both were part of the Soviet Union (source: en.wikipedia.org/wiki/Post-Soviet_states)")
    assert rec.reason_text("shared_ots", baku, almaty, x[almaty]).endswith(
        "(members or observers; source: www.turkicstates.org/en/turk-konseyi-hakkinda)")
    with translation.override("tr"):
        assert rec.reason_text("shared_history", baku, almaty, x[almaty]) == (
            "ikisi de Sovyetler Birliği sınırları içindeydi "
            "(kaynak: en.wikipedia.org/wiki/Post-Soviet_states)")


def test_raw_mode_keeps_unplaced_ties_and_counts_unanswerable_queries_as_misses(tiny_world):
    world = with_unplaced(tiny_world, "Unplaced", "DE", [IDX["Istanbul"], IDX["Tokyo"]])
    u = world.n - 1
    assert len(mode_edges(world, world.edges, "raw")) == len(EDGES) + 2
    assert len(mode_edges(world, world.edges, "resolved")) == len(EDGES)
    with pytest.raises(ValueError):
        mode_edges(world, world.edges, "cooked")
    hidden = np.array([(IDX["Istanbul"], u), (IDX["Berlin"], IDX["Paris"])])
    queries, misses = _queries(world, hidden)
    # Istanbul -> Unplaced cannot be answered (not a candidate); Unplaced -> Istanbul can
    assert misses == 1 and queries[u] == [IDX["Istanbul"]]
    engine = FeatureEngine(world).with_edges(np.array([(0, 8), (6, 7), (8, 9), (1, 9), (u, 10)]))
    rng = np.random.default_rng(0)
    with_misses = rank_queries(engine, _zero_model(), queries, rng, misses=misses)
    without = rank_queries(engine, _zero_model(), queries, rng)
    for name in ("model", "adamic_adar", "resource_allocation", "distance"):
        assert with_misses[name]["mrr"] == pytest.approx(without[name]["mrr"] * 3 / 4)
        assert with_misses[name]["hits@10"] == pytest.approx(without[name]["hits@10"] * 3 / 4)


@pytest.fixture
def unresolved_home(db, istanbul, settings, tmp_path):
    """İBB's record as an unplaced name (no GeoNames id, no position) in a trained registry."""
    from citydiplomacy.recommend import services

    from .fixtures import build_registry_network

    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "models"
    services.set_recommender(None)
    istanbul.geonameid = None
    istanbul.latitude = istanbul.longitude = None
    istanbul.is_unresolved = True
    istanbul.save()
    build_registry_network(istanbul)
    services.train_recommender(source="db")
    yield istanbul
    services.set_recommender(None)


def test_an_unresolved_organisation_is_answered_on_the_page_and_the_api(unresolved_home, client_for,
                                                                        api_client_for):
    body = api_client_for("officer").get("/api/recommendations/", {"top": 5},
                                         HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["trained"] and len(body["results"]) == 5
    assert "position" in body["missing_features"]
    assert "is not placed on the map" in body["note"] and "position (distance, nearby towns)" in body["note"]
    page = client_for("officer").get(reverse("recommend:recommendations")).content.decode()
    assert 'data-testid="missing-features"' in page and "haritada konumlandırılamadı" in page
    assert page.count('data-testid="suggestion"') >= 5
    assert CITIES  # the registry's named cities are suggested alongside the synthetic ones
