"""Fixtures for the analytics tests: İBB's real relations (data/istanbul, 45 rows) imported
through the agreements app, the national policy table, and a few activities."""

from __future__ import annotations

import datetime as dt

import pytest

from citydiplomacy.agreements.models import Activity, Agreement


@pytest.fixture
def ibb_relations(istanbul, users, tmp_path, settings):
    from citydiplomacy.agreements.relations_import import import_relations
    from citydiplomacy.policy.services import load_policy_tables

    settings.VAR_DIR = tmp_path
    istanbul.wikidata_id = "Q406"
    istanbul.save()
    load_policy_tables()
    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)
    return Agreement.objects.filter(organisation=istanbul)


@pytest.fixture
def rotterdam_tie(ibb_relations):
    return ibb_relations.get(partner__name="Rotterdam")


@pytest.fixture
def activities(ibb_relations, istanbul):
    tie = ibb_relations.filter(state="active", partner__isnull=False).order_by("signed_on").first()
    rows = [
        ("Kültür haftası", dt.date(2017, 5, 10), "culture_arts", "held", 12000),
        ("Ulaşım çalıştayı", dt.date(2017, 9, 1), "transport", "held", 3000),
        ("=HYPERLINK(\"x\")", dt.date(2017, 10, 1), "tourism", "cancelled", None),
    ]
    for title, day, area, status, cost in rows:
        Activity.objects.create(organisation=istanbul, agreement=tie, partner=tie.partner,
                                kind="event", title=title, starts_on=day, area=area, status=status,
                                cost_try=cost)
    return tie




@pytest.fixture
def make_queued_pdfs():
    """Run, in this process, the report-PDF tasks waiting in the queue (what the worker does);
    answers how many ran."""
    from django_tasks_db.models import DBTaskResult

    from citydiplomacy.analytics.report_pdf import produce_report_pdf

    def run() -> int:
        waiting = DBTaskResult.objects.filter(task_path=produce_report_pdf.module_path, status="READY")
        ran = 0
        for row in waiting:
            produce_report_pdf.call(*row.args_kwargs["args"])
            row.delete()
            ran += 1
        return ran

    return run
