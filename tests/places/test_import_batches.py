"""Issue 19 item 4, what keeps an import's batches short (places.imports): the local
governments a batch needs are created in one INSERT per kind, not one per row; and
`import-pairs` lowers its own CPU priority so that the web workers keep the cores."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import services
from citydiplomacy.places.models import ReportedTie
from tests.places.test_import import write_csv


@pytest.mark.django_db
def test_a_batch_creates_its_governments_in_a_few_inserts(tmp_path, settings):
    settings.CITYDIPLOMACY_IMPORT_BATCH_ROWS = 200
    rows = [["city1", "country1", "city2", "country2"]]
    rows += [[f"Testkent {i}", "Atlantis", f"Testkent {i + 1}", "Atlantis"] for i in range(400)]
    path = write_csv(tmp_path / "pairs.csv", rows)
    with CaptureQueriesContext(connection) as queries:
        summary = services.import_pairs(path)
    inserts = [q for q in queries.captured_queries
               if q["sql"].startswith("INSERT") and "governments_localgovernment" in q["sql"]]
    assert summary.ties_created == 400 and summary.governments_created == 401
    assert LocalGovernment.objects.filter(is_unresolved=True).count() == 401
    # a few multi-row INSERTs (SQLite's 999-variable limit splits them); one per row before: 401
    assert len(inserts) <= 20, len(inserts)
    names = set(LocalGovernment.objects.values_list("search_text", flat=True))
    assert "testkent 7 | testkent 7" in names  # the folded search text, as save() fills it
    assert ReportedTie.objects.filter(low__name="Testkent 0").count() == 1


@pytest.mark.django_db
def test_import_pairs_command_lowers_its_cpu_priority(tmp_path, monkeypatch, settings):
    calls = []
    monkeypatch.setattr(os, "nice", calls.append)
    path = write_csv(tmp_path / "pairs.csv", [["city1", "country1", "city2", "country2"],
                                              ["Testkent 1", "Atlantis", "Testkent 2", "Atlantis"]])
    settings.CITYDIPLOMACY_IMPORT_NICE = 7
    call_command("import-pairs", str(path))
    call_command("import-pairs", str(path), "--nice", "0")
    assert calls == [7]
