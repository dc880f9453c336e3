"""Proximity profiles are computed by a background task, never in the request: the first view
answers at once with a note and enqueues one task; after a change of the organisation's
published partners the page shows the previous profile with its date and a "being updated"
note (in Turkish too) until the task has run; a step that publishes a tie asks for the task."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.analytics.proximity_results import refresh_proximity
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=refresh_proximity.module_path, status="READY").count()


def refuse(*args, **kwargs):
    raise AssertionError("proximity profile computed in the request")



def test_first_view_answers_at_once_and_enqueues_one_task(client_for, ibb_relations, monkeypatch):
    monkeypatch.setattr("citydiplomacy.analytics.proximity.profile_numbers", refuse)
    client = client_for("viewer")
    page = client.get("/analytics/proximity/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="result-computing"' in body and 'http-equiv="refresh"' in body
    assert 'data-testid="proximity-table"' not in body
    assert queued() == 1
    client.get("/analytics/proximity/")
    assert queued() == 1  # already waiting: not queued twice


def test_previous_profile_with_its_date_while_being_updated(client_for, ibb_relations, istanbul, users,
                                                            monkeypatch, django_capture_on_commit_callbacks):
    from citydiplomacy.agreements.services import create_agreement
    from citydiplomacy.agreements.transitions import transition

    refresh_proximity.call(istanbul.pk)
    client = client_for("viewer")
    page = client.get("/analytics/proximity/")
    placed = page.context["profile"].placed
    assert page.context["stored"].updating is False and 'data-testid="result-date"' in page.content.decode()
    DBTaskResult.objects.all().delete()

    # a new tie is published: its step asks for the task when it commits ...
    partner = LocalGovernment.objects.create(name="Tiflis", country_code="GE", latitude=41.7, longitude=44.8)
    letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=partner,
                              title="Letter to Tbilisi")
    with django_capture_on_commit_callbacks(execute=True):
        transition(letter, actor=users["officer"], to="signed", on="2025-01-15")
    assert queued() == 1

    # ... and until it has run, the page shows the previous profile, dated, with a note
    monkeypatch.setattr("citydiplomacy.analytics.proximity.profile_numbers", refuse)
    page = client.get("/analytics/proximity/")
    body = page.content.decode()
    assert page.context["stored"].updating is True and page.context["profile"].placed == placed
    assert 'data-testid="result-updating"' in body and 'data-testid="proximity-table"' in body
    assert 'http-equiv="refresh"' not in body
    turkish = client.get("/analytics/proximity/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "arka planda" in turkish and "Yakınlık" in turkish
    assert queued() == 1
    monkeypatch.undo()

    refresh_proximity.call(istanbul.pk)
    page = client.get("/analytics/proximity/")
    assert page.context["stored"].updating is False
    assert page.context["profile"].partners == placed_partners(istanbul) and page.context["profile"].summary


def placed_partners(organisation) -> int:
    from citydiplomacy.analytics.proximity_results import partner_ids

    return len(partner_ids(organisation.pk))


def test_profile_words_follow_the_reader_not_the_worker(client_for, ibb_relations, istanbul):
    from django.utils import translation

    with translation.override("en"):
        refresh_proximity.call(istanbul.pk)  # the worker's language
    body = client_for("viewer").get("/analytics/proximity/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Both in the OIC" not in body


def test_the_profile_speaks_numbers_in_the_readers_format():
    """Turkish groups thousands with a dot and writes decimals with a comma (2.233 km, %39,0)."""
    from types import SimpleNamespace

    from django.utils import translation

    from citydiplomacy.analytics.proximity import DISTANCE_BINS, KINDS, profile_from

    rows = [{"kind": kind, "share": 39.0, "baseline": 10.7, "ratio": 3.6} for kind in KINDS]
    bins = [{"label": "", "partners": 1, "share": 10.0, "baseline": 5.0} for _ in DISTANCE_BINS[1:]]
    numbers = {"partners": 43, "placed": 41, "rows": rows, "distance_bins": bins,
               "median_km": 2233.4, "baseline_median_km": 7145.0}
    town = SimpleNamespace(name="İstanbul Büyükşehir Belediyesi")
    with translation.override("tr"):
        profile = profile_from(town, numbers)
    text = " ".join(profile.summary)
    assert "2.233 km" in text and "7.145 km" in text and "%39,0" in text and "3,6×" in text, text
    assert profile.distance_bins[2]["label"] == "1.000–2.000 km"
    with translation.override("en"):
        profile = profile_from(town, numbers)
    assert "2,233 km" in " ".join(profile.summary) and "39.0%" in " ".join(profile.summary)
    assert profile.distance_bins[2]["label"] == "1,000–2,000 km"
