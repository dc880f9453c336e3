"""Fixtures for the agreements and policy tests: the vendored policy tables, partners in
the Netherlands, Turkey, Armenia, Cyprus and Northern Cyprus, and a step-by-step helper."""

from __future__ import annotations

import pytest

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.agreements.gazetteer_fixture import world_gazetteer, world_places  # noqa: F401


@pytest.fixture
def english(settings):
    """Messages in English for the assertions (the default language is Turkish)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def policy_tables(db):
    load_policy_tables()


@pytest.fixture
def partners(db) -> dict[str, LocalGovernment]:
    def make(name, code, **extra):
        return LocalGovernment.objects.create(name=name, country_code=code, kind="municipality", **extra)

    return {
        "utrecht": make("Utrecht", "NL", geonameid=2745912),
        "berlin": make("Berlin", "DE", geonameid=2950159),
        "izmir": LocalGovernment.objects.create(name="İzmir Büyükşehir Belediyesi", country_code="TR",
                                                kind=GovernmentKind.METROPOLITAN_MUNICIPALITY),
        "yerevan": make("Yerevan", "AM"),
        "limassol": make("Limassol", "CY"),
        "nicosia_tr": make("Nicosia Turkish Municipality", "XC", raw_country="Northern Cyprus"),
    }


@pytest.fixture
def step(api_client_for):
    """step(agreement_id, to, date, role=..., **extra) → the API response of a transition."""

    def do(agreement_id: int, to: str, date: str, role: str | None = None, **extra):
        if role is None:
            role = "approver" if to in DECIDE_TARGETS else "officer"
        return api_client_for(role).post(f"/api/agreements/{agreement_id}/transition/",
                                         {"to": to, "date": date, **extra}, format="json")

    return do


DECIDE_TARGETS = {"council_approved", "council_rejected", "permission_granted", "permission_denied",
                  "suspended", "terminated"}


@pytest.fixture
def create(api_client_for):
    def do(partner, instrument="twinning", role="officer", **extra):
        response = api_client_for(role).post(
            "/api/agreements/", {"instrument": instrument, "partner": partner.pk,
                                 "title": f"Tie with {partner.name}", **extra}, format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return do


@pytest.fixture
def run_worker(db, monkeypatch):
    """Run what the background queue holds, as `citydiplomacy worker --batch` does. Inside a
    test's transaction the worker must not close the connection (it does between tasks, which
    on PostgreSQL would end the test's transaction)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        from django.core.management import call_command

        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    return run
