"""Network results are computed by a background task, never in the request: a page with no
result, or one computed before the ties changed, answers at once with a note and enqueues the
task; a step into force asks for the task when it commits."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.analytics.tasks import refresh_network_results
from citydiplomacy.core import stored_results
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=refresh_network_results.module_path,
                                       status="READY").count()


@pytest.fixture
def no_computing_in_requests(monkeypatch):
    """Computing the statistics inside a request fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network statistics computed in the request")

    monkeypatch.setattr("citydiplomacy.analytics.network.network_stats", refuse)
    monkeypatch.setattr("citydiplomacy.analytics.tasks.compute_network_results", refuse)


def test_first_view_answers_at_once_and_enqueues_one_task(client_for, ibb_relations,
                                                          no_computing_in_requests):
    client = client_for("viewer")
    page = client.get("/analytics/network/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="result-computing"' in body and 'http-equiv="refresh"' in body
    assert queued() == 1
    client.get("/analytics/network/")  # a second reader does not queue it again
    client.get("/analytics/world/")
    assert queued() == 1
    assert client.get("/analytics/world/data.json").status_code == 202
    api = client_for("viewer").get("/api/analytics/network/")
    assert api.status_code == 202 and api.json()["updating"] is True


def test_first_view_note_in_turkish(client_for, ibb_relations, no_computing_in_requests):
    client = client_for("viewer")
    body = client.get("/analytics/network/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "arka planda" in body


def test_results_after_the_task_then_previous_ones_with_a_note(client_for, ibb_relations, users,
                                                               django_capture_on_commit_callbacks):
    from citydiplomacy.agreements.services import create_agreement
    from citydiplomacy.agreements.transitions import transition

    client = client_for("viewer")
    refresh_network_results.call()  # what the worker runs
    page = client.get("/analytics/network/")
    assert page.context["stored"].updating is False
    nodes = page.context["stats"]["nodes"]
    assert nodes >= 2 and 'data-testid="result-date"' in page.content.decode()
    data = client.get("/analytics/world/data.json")
    assert data.status_code == 200 and data.json()["edge_count"] >= 1
    DBTaskResult.objects.all().delete()

    # a new tie comes into force: its step asks for the task when it commits ...
    partner = LocalGovernment.objects.create(name="Tiflis", country_code="GE", latitude=41.7,
                                             longitude=44.8)
    letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                              partner=partner, title="Letter to Tbilisi")
    with django_capture_on_commit_callbacks(execute=True):
        transition(letter, actor=users["officer"], to="signed", on="2025-01-15")
    assert queued() == 1

    # ... and until it has run, pages show the previous figures with their date and a note
    def refuse(*args, **kwargs):
        raise AssertionError("network statistics computed in the request")

    from citydiplomacy.analytics import network

    original, network.network_stats = network.network_stats, refuse
    try:
        page = client.get("/analytics/network/")
    finally:
        network.network_stats = original
    body = page.content.decode()
    assert page.context["stored"].updating is True
    assert page.context["stats"]["nodes"] == nodes
    assert 'data-testid="result-updating"' in body and 'http-equiv="refresh"' not in body
    assert client.get("/analytics/world/data.json")["X-Result-Updating"] == "1"
    assert queued() == 1  # already waiting: not queued twice

    refresh_network_results.call()
    page = client.get("/analytics/network/")
    assert page.context["stored"].updating is False
    assert page.context["stats"]["edges"] >= 1


def test_steps_that_do_not_change_ties_in_force_ask_for_nothing(ibb_relations, users,
                                                                 django_capture_on_commit_callbacks):
    from citydiplomacy.agreements.services import create_agreement

    partner = ibb_relations.filter(partner__isnull=False).first().partner
    with django_capture_on_commit_callbacks(execute=True):
        create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=partner,
                         title="A draft")
    assert queued() == 0


def test_a_stored_result_is_replaced_whole(db):
    stored_results.write("demo-kind", "inputs-1", {"a": 1, "b": [1, 2]})
    assert stored_results.read("demo-kind", "inputs-1").value == {"a": 1, "b": [1, 2]}
    old = stored_results.read("demo-kind", "inputs-2")
    assert old.updating and old.value == {"a": 1, "b": [1, 2]}
    stored_results.write("demo-kind", "inputs-2", {"a": 2})
    assert stored_results.read("demo-kind", "inputs-2").value == {"a": 2}


def test_dashboard_figures_come_from_the_small_totals_entry(ibb_relations, users, monkeypatch):
    """The dashboard shows the world network's cities and ties from their own small entry,
    without reading (unpickling) the whole stored statistics."""
    from citydiplomacy.analytics import selectors
    from citydiplomacy.analytics.dashboard import analytics_section
    from citydiplomacy.analytics.tasks import NETWORK

    assert len(analytics_section(users["viewer"])["figures"]) == 3  # nothing computed yet
    refresh_network_results.call()
    stats = selectors.network_summary().value
    real_held = stored_results.held

    def held(kind):
        assert kind != NETWORK, "the dashboard read the whole network statistics"
        return real_held(kind)

    monkeypatch.setattr(stored_results, "held", held)
    figures = analytics_section(users["viewer"])["figures"]
    assert [value for _label, value, _url in figures[3:]] == [stats["nodes"], stats["edges"]]
