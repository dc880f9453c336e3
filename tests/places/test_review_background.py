"""Place-review candidates are computed by a background task, never in the request: the first
view of a name answers at once with a note and enqueues one task; a finished import asks for
the whole queue; after a reviewer's choice the page shows the previous candidates with their
date and a "being updated" note (in Turkish too) until the task has run."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import selectors
from citydiplomacy.places.review_results import refresh_review_candidates

pytestmark = pytest.mark.django_db


def queued() -> list:
    return list(DBTaskResult.objects.filter(task_path=refresh_review_candidates.module_path, status="READY")
                .values_list("args_kwargs", flat=True))


def refuse(*args, **kwargs):
    raise AssertionError("resolved inside the request")



@pytest.fixture
def albany(gazetteer):
    return LocalGovernment.objects.create(name="Albany", kind="other", is_unresolved=True, raw_name="Albany",
                                          raw_country="United States")


def test_first_view_answers_at_once_and_enqueues_one_task(client_for, albany, monkeypatch):
    monkeypatch.setattr(selectors.DbResolver, "build", staticmethod(refuse))
    client = client_for("officer")
    page = client.get(f"/places/review/{albany.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="result-computing"' in body
    assert 'data-testid="candidate"' not in body and 'http-equiv="refresh"' in body
    client.get(f"/places/review/{albany.pk}/")
    assert queued() == [{"args": [albany.pk], "kwargs": {}}]  # once


def test_candidates_after_the_task_then_previous_ones_while_being_updated(
        client_for, albany, users, gazetteer, monkeypatch, django_capture_on_commit_callbacks):
    from citydiplomacy.places import services

    refresh_review_candidates.call()  # the whole queue, as the worker runs it after an import
    client = client_for("officer")
    page = client.get(f"/places/review/{albany.pk}/")
    body = page.content.decode()
    assert body.count('data-testid="candidate"') >= 2 and 'data-testid="result-date"' in body
    assert "5106834" in body  # Albany, New York among them
    DBTaskResult.objects.all().delete()

    other = LocalGovernment.objects.create(name="Rotterdam?", kind="other", is_unresolved=True,
                                           raw_name="Rotterdam", raw_country="Netherlands")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_choice(other, "unresolved", "", users["officer"])
    assert queued() == [{"args": [None], "kwargs": {}}]  # the choice asks for the whole queue

    monkeypatch.setattr(selectors.DbResolver, "build", staticmethod(refuse))
    page = client.get(f"/places/review/{albany.pk}/")
    body = page.content.decode()
    assert page.context["stored"].updating is True and body.count('data-testid="candidate"') >= 2
    assert 'data-testid="result-updating"' in body
    turkish = client.get(f"/places/review/{albany.pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "arka planda" in turkish
    monkeypatch.undo()

    refresh_review_candidates.call()
    assert client.get(f"/places/review/{albany.pk}/").context["stored"].updating is False


def test_an_import_asks_for_the_whole_queue(albany, tmp_path, django_capture_on_commit_callbacks):
    import csv

    from citydiplomacy.places import services

    path = tmp_path / "pairs.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["city1", "country1", "city2", "country2"],
                                  ["Albany", "United States", "Rotterdam", "Netherlands"]])
    with django_capture_on_commit_callbacks(execute=True):
        services.import_pairs(path)
    assert {"args": [None], "kwargs": {}} in queued()
