"""The learned model and the evaluation on a small synthetic network (fast, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from citydiplomacy.recommend.engine import Recommender
from citydiplomacy.recommend.evaluate import evaluate, holdout_split
from citydiplomacy.recommend.features import NAMES, NETWORK, FeatureEngine
from citydiplomacy.recommend.learn import EMPHASIS, LinearModel, average, train

from .conftest import IDX, random_world


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def synthetic():
    world = random_world(160, seed=3)
    engine = FeatureEngine(world)
    model = train(engine, rng=np.random.default_rng(0), rounds=1)
    return world, engine, model


def test_model_is_additive_and_round_trips(synthetic, tmp_path):
    world, engine, model = synthetic
    X = engine.for_home(0)
    contrib = model.contributions(X)
    np.testing.assert_allclose(model.score(X), contrib.sum(axis=1) + model.intercept)
    path = tmp_path / "m.json"
    model.save(path)
    again = LinearModel.load(path)
    np.testing.assert_allclose(again.score(X), model.score(X))
    assert model.counts["ties"] == len(world.edges) and model.trained_at


def test_emphasis_reweights_groups(synthetic):
    _world, engine, model = synthetic
    X = engine.for_home(5)
    base = model.contributions(X)
    groups = np.array(model.groups)
    for name, table in EMPHASIS.items():
        expected = base @ np.array([table.get(g, 1.0) for g in groups]) + model.intercept
        np.testing.assert_allclose(model.score(X, emphasis=name), expected)
    assert not np.allclose(model.score(X, "neighbourhood"), model.score(X, "urban_services"))


def test_hidden_ties_score_higher_than_random_pairs():
    world = random_world(160, seed=3)
    rng = np.random.default_rng(1)
    kept, hidden = holdout_split(world.edges, 0.2, rng)
    engine = FeatureEngine(world).with_edges(kept)
    model = train(engine, rng=np.random.default_rng(0), rounds=1)
    pos = model.score(engine.for_pairs(hidden[:, 0], hidden[:, 1]))
    neg = model.score(engine.for_pairs(rng.integers(0, world.n, 300), rng.integers(0, world.n, 300)))
    assert pos.mean() > neg.mean()


def test_listwise_objective_is_additive_and_ranks_hidden_ties_higher():
    world = random_world(160, seed=3)
    rng = np.random.default_rng(1)
    kept, hidden = holdout_split(world.edges, 0.2, rng)
    engine = FeatureEngine(world).with_edges(kept)
    model = train(engine, rng=np.random.default_rng(0), rounds=1, objective="listwise")
    X = engine.for_home(0)
    np.testing.assert_allclose(model.score(X), model.contributions(X).sum(axis=1) + model.intercept)
    pos = model.score(engine.for_pairs(hidden[:, 0], hidden[:, 1]))
    neg = model.score(engine.for_pairs(rng.integers(0, world.n, 300), rng.integers(0, world.n, 300)))
    assert pos.mean() > neg.mean()


def test_bagged_model_scores_the_mean_of_its_fits(synthetic):
    _world, engine, _ = synthetic
    fits = [train(engine, rng=np.random.default_rng(s), rounds=1) for s in (1, 2, 3)]
    X = np.vstack([engine.for_home(h) for h in (0, 7, 40)])
    mean = np.mean([m.score(X) for m in fits], axis=0)
    np.testing.assert_allclose(average(fits).score(X), mean, rtol=1e-10, atol=1e-10)
    assert not np.allclose(fits[0].score(X), mean)
    bagged = train(engine, rng=np.random.default_rng(1), rounds=1, bags=3)
    assert bagged.counts["bags"] == 3
    np.testing.assert_allclose(bagged.score(X), bagged.contributions(X).sum(axis=1) + bagged.intercept)


def test_cold_start_model_uses_no_network_feature(synthetic):
    _world, engine, _ = synthetic
    cold = train(engine, rng=np.random.default_rng(0), network=False, rounds=1)
    X = engine.for_home(3)
    assert np.all(cold.contributions(X)[:, NETWORK] == 0)


def test_holdout_keeps_a_tie_at_both_ends():
    world = random_world(120, seed=1)
    train_edges, hidden = holdout_split(world.edges, 0.1, np.random.default_rng(0))
    assert len(hidden) == round(0.1 * len(world.edges))
    deg = np.bincount(train_edges.ravel(), minlength=world.n)
    assert np.all(deg[hidden.ravel()] >= 1)


def test_evaluate_reports_every_method():
    world = random_world(120, seed=2)
    result = evaluate(FeatureEngine(world), holdout=0.1, seed=1, cold_cities=10)
    assert set(result["link_prediction"]) == {"model", "random", "distance",
                                              "preferential_attachment", "common_neighbours",
                                              "adamic_adar", "resource_allocation"}
    for metrics in result["link_prediction"].values():
        assert 0 <= metrics["hits@10"] <= 1 and 0 <= metrics["auc"] <= 1
    assert result["cold_start_queries"] > 0
    assert result["link_prediction"]["model"]["auc"] > result["link_prediction"]["random"]["auc"]


def test_policy_and_known_partners_are_excluded(tiny_world):
    engine = FeatureEngine(tiny_world)
    model = train(engine, rng=np.random.default_rng(0), rounds=1, target_share=0.3)
    rec = Recommender(tiny_world, model, engine=engine)
    statuses = {"AM": "no_relations", "CY": "no_relations", "NL": "frozen"}
    ranking = rec.rank(IDX["Istanbul"], top=20, status_of=lambda c: statuses.get(c, "normal"))
    names = {s.name for s in ranking.suggestions}
    assert not names & {"Yerevan", "Nicosia", "Rotterdam"}  # policy
    assert not names & {"Berlin", "Paris", "Istanbul"}  # already partners, itself
    excluded = {s.name: s.reasons[0] for s in ranking.excluded}
    assert "no diplomatic relations" in excluded["Yerevan"]
    assert "frozen" in excluded["Rotterdam"]
    assert all(s.reasons for s in ranking.suggestions)
    # the Netherlands is not frozen today: Rotterdam comes back
    today = rec.rank(IDX["Istanbul"], top=20, countries=["NL"], status_of=lambda c: "normal")
    assert [s.name for s in today.suggestions] == ["Rotterdam"]


def test_reasons_are_plain_language(tiny_world):
    engine = FeatureEngine(tiny_world)
    model = train(engine, rng=np.random.default_rng(0), rounds=1, target_share=0.3)
    rec = Recommender(tiny_world, model, engine=engine)
    x = engine.for_home(IDX["Istanbul"])[IDX["Rotterdam"]]
    h, r = IDX["Istanbul"], IDX["Rotterdam"]
    assert rec.reason_text("common_partners", h, r, x) == "twinned with Berlin, your partner"
    assert rec.reason_text("ottoman_history", h, IDX["Sarajevo"], x) == (
        "shares Turkish-Ottoman history (source: en.wikipedia.org/wiki/Bosnia_Eyalet)")
    assert rec.reason_text("log_distance", h, IDX["Sarajevo"], x) == "920 km away"
    assert len(NAMES) == len(model.tables)
    from django.utils import translation

    with translation.override("tr"):
        assert rec.reason_text("ottoman_history", h, IDX["Sarajevo"], x).startswith(
            "Türk-Osmanlı tarihini paylaşıyor (kaynak: en.wikipedia.org/")


def test_spatial_network_reasons_name_the_town():
    from .test_features import _spatial_world

    world, _lat, _lng = _spatial_world()
    engine = FeatureEngine(world)
    # three ties are too few to train on; the reason texts do not depend on the weights
    model = LinearModel(names=list(NAMES), groups=["network"] * len(NAMES),
                        thresholds=[[]] * len(NAMES), tables=[[0.0]] * len(NAMES), intercept=0.0,
                        use=[True] * len(NAMES))
    rec = Recommender(world, model, engine=engine)
    x = engine.for_home(0)
    # Q lies 22 km from H's partner P; M twins with N, 33 km from H
    assert rec.reason_text("near_your_partners", 0, 3, x[3]) == "near your partner P (22 km)"
    assert rec.reason_text("twins_with_your_neighbours", 0, 4, x[4]) == (
        "N, 33 km from you, is already its sister city")
    # R lies 39 km from M, which twins with H's neighbour N
    assert rec.reason_text("regional_ties", 0, 5, x[5]) == "M, near it, is twinned with N, near you"
    from django.utils import translation

    with translation.override("tr"):
        assert rec.reason_text("near_your_partners", 0, 3, x[3]) == "ortağınız P yakınında (22 km)"


def test_contributions_of_mostly_zero_columns_equal_the_table_lookup(synthetic):
    _world, engine, model = synthetic
    X = engine.for_home(7)  # network columns are mostly zero: the sparse path is taken
    expected = np.column_stack([
        np.asarray(tab)[np.searchsorted(np.asarray(th), X[:, k], side="right")] if use else
        np.zeros(len(X)) for k, (th, tab, use) in enumerate(zip(model.thresholds, model.tables,
                                                                  model.use))])
    assert (X[:, NETWORK] == 0).mean() > 0.25
    np.testing.assert_allclose(model.contributions(X), expected)


def test_node_for_a_name_folds_accents_and_case(tiny_world):
    model = LinearModel(names=list(NAMES), groups=["network"] * len(NAMES),
                        thresholds=[[]] * len(NAMES), tables=[[0.0]] * len(NAMES), intercept=0.0,
                        use=[True] * len(NAMES))
    rec = Recommender(tiny_world, model, engine=FeatureEngine(tiny_world))
    assert rec.node_for(name="İSTANBUL", country="TR") == IDX["Istanbul"]
    assert rec.node_for(name="baku") == IDX["Baku"]  # no country: any country
    assert rec.node_for(name="Baku", country="TR") is None
    assert rec.node_for(name="Atlantis", country="GR") is None


def test_training_pairs_walk_negatives_share_partners_and_weigh_less(synthetic):
    from citydiplomacy.recommend.features import INDEX
    from citydiplomacy.recommend.sampling import NEGATIVES, training_rows

    _world, engine, _model = synthetic
    rows = training_rows(engine, np.random.default_rng(1), rounds=1)
    y, w, kind, X = rows["y"], rows["w"], rows["kind"], rows["X"]
    walk, uniform = (y == 0) & (kind == 1), (y == 0) & (kind == 0)
    assert walk.sum() > uniform.sum() * NEGATIVES["two_hop"] / NEGATIVES["uniform"] / 2
    # a two-step walk ends at a city sharing a partner with the home (or falls back to uniform)
    assert (X[walk, INDEX["common_partners"]] > 0).mean() > 0.9
    # importance weights: negatives stand for a uniform draw, so the over-drawn cities that share
    # partners weigh less; weights of the negatives average 1, positives weigh 1
    shared = (y == 0) & (X[:, INDEX["common_partners"]] > 0)
    assert w[shared].mean() < w[(y == 0) & ~shared].mean()
    assert w[y == 0].mean() == pytest.approx(1.0)
    assert (w[y == 1] == 1.0).all()
