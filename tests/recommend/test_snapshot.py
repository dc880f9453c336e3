"""The recommender is never built inside a request once a process holds one: when its inputs
change, the held one keeps answering and the task worker is asked for a snapshot built from
the new inputs; a process then loads that snapshot instead of building (recommend/snapshot.py)."""

from __future__ import annotations

import pytest

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.recommend import services, snapshot

from .fixtures import build_registry_network


@pytest.fixture
def trained(db, istanbul, settings, tmp_path):
    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "models"
    services.set_recommender(None)
    build_registry_network(istanbul)
    services.train_recommender(source="db")
    yield
    services.set_recommender(None)


def _waiting() -> list:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=snapshot.refresh_recommender.module_path,
                                            status="READY").values_list("args_kwargs", flat=True))


def test_changed_inputs_keep_the_held_recommender_and_ask_for_a_snapshot(trained, monkeypatch):
    held = services.get_recommender("db")
    assert held is not None and not services.recommender_updating()
    LocalGovernment.objects.create(name="Yeni Belde", kind=GovernmentKind.MUNICIPALITY,
                                   country_code="TR")
    built = []
    monkeypatch.setattr(services, "build_recommender", lambda source="auto": built.append(source))
    assert services.get_recommender("db") is held  # not built in the request
    assert built == [] and services.recommender_updating()
    assert _waiting() == [{"args": ["db"], "kwargs": {}}]
    services.get_recommender("db")
    assert len(_waiting()) == 1  # asked once


def test_the_task_writes_a_snapshot_that_processes_load(trained):
    LocalGovernment.objects.create(name="Yeni Belde", kind=GovernmentKind.MUNICIPALITY,
                                   country_code="TR")
    key = services._cache_key()
    assert snapshot.load("db", key) is None
    assert snapshot.refresh_recommender.call("db") == snapshot.inputs_key(key)
    files = sorted(p.name for p in snapshot.path_for("db", key).parent.glob("recommender-db-*"))
    assert files == [snapshot.path_for("db", key).name]  # the older snapshot was removed
    services.set_recommender(None)
    loaded = services.get_recommender("db")
    assert loaded is not None and not services.recommender_updating()
    assert loaded.world.n == snapshot.load("db", key).world.n


def test_an_unreadable_snapshot_is_built_again(trained):
    key = services._cache_key()
    snapshot.path_for("db", key).write_bytes(b"not a pickle")
    assert snapshot.load("db", key) is None
    services.set_recommender(None)
    assert services.get_recommender("db") is not None


def test_page_says_suggestions_are_being_updated(trained, client_for, monkeypatch):
    services.set_recommender(services.get_recommender("auto"))
    page = client_for("viewer").get("/recommendations/")
    assert page.status_code == 200 and b'data-testid="result-updating"' not in page.content
    LocalGovernment.objects.create(name="Yeni Belde", kind=GovernmentKind.MUNICIPALITY,
                                   country_code="TR")
    page = client_for("viewer").get("/recommendations/")
    assert b'data-testid="result-updating"' in page.content
