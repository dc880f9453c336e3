"""Warm start (web/ops/warm.py): after `warm_up`, the first recommendation, proximity profile
and place review of a process build nothing: the recommender, the proximity look-ups and the
web resolver are already held."""

from __future__ import annotations

import pytest

from citydiplomacy.analytics import proximity
from citydiplomacy.places import selectors as place_selectors
from citydiplomacy.places import services as place_services
from citydiplomacy.recommend import services
from citydiplomacy.web.ops.warm import warm_up
from tests.recommend.fixtures import build_registry_network


@pytest.fixture
def trained(db, istanbul, settings, tmp_path):
    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "models"
    services.set_recommender(None)
    build_registry_network(istanbul)
    services.train_recommender(source="auto")
    yield
    services.set_recommender(None)
    place_services.invalidate_resolver()
    proximity._lookups.cache_clear()


def test_first_requests_after_warm_up_build_nothing(trained, client_for, monkeypatch, istanbul):
    services.set_recommender(None)
    place_services.invalidate_resolver()
    proximity.clear_cache()
    # warm_up hands its database connection back before the worker serves; inside this test's
    # transaction that would close the test's own connection (PostgreSQL)
    monkeypatch.setattr("citydiplomacy.web.ops.warm.close_old_connections", lambda: None)
    took = warm_up()
    assert set(took) == {"recommender", "proximity", "resolver", "maps"}

    def forbidden(*args, **kwargs):
        raise AssertionError("built inside a request")

    monkeypatch.setattr(services, "build_recommender", forbidden)
    monkeypatch.setattr(services, "load_world", forbidden)
    monkeypatch.setattr(proximity, "_own_engine", forbidden)
    monkeypatch.setattr(place_selectors.DbResolver, "build", staticmethod(forbidden))
    client = client_for("officer")
    assert client.get("/recommendations/").status_code == 200
    assert client.get("/analytics/proximity/").status_code == 200
    assert client.get(f"/places/review/{istanbul.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_empty_registry_starts_without_building_the_world(monkeypatch):
    """Nobody to recommend for or profile: the worker does not spend half a minute resolving the
    world's twin-town list before it answers its first request."""
    monkeypatch.setattr("citydiplomacy.web.ops.warm.close_old_connections", lambda: None)

    def forbidden(*args, **kwargs):
        raise AssertionError("the world was built for an empty registry")

    monkeypatch.setattr(services, "get_recommender", forbidden)
    monkeypatch.setattr(proximity, "_engine", forbidden)
    assert set(warm_up()) == {"resolver", "maps"}
