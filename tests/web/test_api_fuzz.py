"""A short schemathesis pass over every API operation, in process (WSGI, in-memory test DB).

The schema is read from /api/schema/ of the Django WSGI application itself; every operation is
exercised as an authenticated officer (token) and as an anonymous client. Checks: no 5xx,
responses match their documented schema and content type. The pass is deterministic
(`derandomize`) and bounded (~350 requests); `reliability/fuzz.py` runs the long pass (2,000+
requests) against gunicorn + PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from citydiplomacy.accounts.services import issue_api_token

MIN_REQUESTS = 300
# Schema mismatches found by this pass in apps owned by others, while they are open (reported,
# each with a strict-xfail regression test); the pass still requires no 5xx from them.
KNOWN_SCHEMA_BUGS: set[str] = set()
CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance)


@pytest.fixture
def wsgi_app(settings):
    # Django's test client does the same: a request must not close the test's connection
    # (the whole test runs in one transaction).
    # Both signals matter on PostgreSQL, where a connection with CONN_MAX_AGE is closed as
    # "obsolete" when its autocommit differs from the settings (it does inside a test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.core.wsgi import get_wsgi_application

    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(users, istanbul):
    """A few real records so that generated ids sometimes hit something (ids start at 1)."""
    from citydiplomacy.agreements import services
    from citydiplomacy.governments.models import LocalGovernment

    partner = LocalGovernment.objects.create(name="Rotterdam", kind="municipality", country_code="NL")
    for title in ("Kardeş şehir", "İşbirliği protokolü"):
        services.create_agreement(actor=users["officer"], instrument="twinning", partner=partner,
                                  title=title)
    services.create_activity(actor=users["officer"], kind="event", title="Festival", starts_on=dt.date(2025, 5, 1),
                             partner=partner)
    return issue_api_token(users["officer"])[1]


def _run_operation(app, operation, headers: dict, examples: int, log: list) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call_wsgi(app=app, headers=headers)
        log.append((case.method, case.formatted_path, response.status_code))
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.django_db
def test_schemathesis_finds_no_server_errors_and_no_schema_mismatches(wsgi_app, seeded):
    schema = schemathesis.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    per_officer = max(5, math.ceil(MIN_REQUESTS * 0.7 / len(operations)))
    per_anonymous = max(3, math.ceil(MIN_REQUESTS * 0.4 / len(operations)))
    log: list[tuple[str, str, int]] = []
    failures = []
    for operation in operations:
        for who, headers, examples in (("officer", {"Authorization": f"Token {seeded}"}, per_officer),
                                       ("anonymous", {}, per_anonymous)):
            try:
                _run_operation(wsgi_app, operation, headers, examples, log)
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                text = str(exc).strip()
                if operation.verbose_name in KNOWN_SCHEMA_BUGS and "Server error" not in text:
                    continue
                failures.append(f"{operation.verbose_name} as {who}: {text[:1500]}")
    # Generated ids rarely exist: every GET with an {id} also runs once on real records (ids 1, 2).
    for operation in operations:
        if operation.method.upper() != "GET" or "{id}" not in operation.path:
            continue
        for pk in (1, 2):
            case = operation.make_case(path_parameters={"id": pk})
            response = case.call_wsgi(app=wsgi_app, headers={"Authorization": f"Token {seeded}"})
            log.append(("GET", case.formatted_path, response.status_code))
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{case.formatted_path}: {str(exc).strip()[:1500]}")
    assert not failures, "\n\n".join(failures)
    print(f"schemathesis: {len(log)} requests, statuses {sorted(statuses := {s for *_, s in log})}")
    assert len(log) >= MIN_REQUESTS, f"only {len(log)} requests generated"

    assert not {s for s in statuses if s >= 500}
    assert any(200 <= s < 300 for s in statuses)


@pytest.mark.django_db
def test_regression_agreement_partner_fields_are_nullable_in_the_schema(client):
    """Found by schemathesis: an agreement with a local-government partner answers
    "partner_organisation": null (and one with an organisation "partner": null), which the schema
    did not allow (agreements/api.py: nested serializers without allow_null)."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    properties = schema["components"]["schemas"]["Agreement"]["properties"]
    for name in ("partner", "partner_organisation"):
        assert properties[name].get("nullable") is True, name


@pytest.mark.django_db
def test_regression_recommendations_response_matches_schema(wsgi_app, seeded):
    """Was: RecommendationViewSet.list answered an object {organisation, trained, results,
    excluded} but the schema documented an array of Recommendation (fixed with extend_schema)."""
    schema = schemathesis.from_wsgi("/api/schema/", wsgi_app)
    operation = schema["/api/recommendations/"]["GET"]
    case = operation.make_case()
    response = case.call_wsgi(app=wsgi_app, headers={"Authorization": f"Token {seeded}"})
    assert response.status_code == 200
    case.validate_response(response, checks=(response_schema_conformance,))


@pytest.mark.django_db(transaction=True)  # a database error must not poison the next request
def test_regression_nul_bytes_in_query_parameters_are_not_server_errors(wsgi_app, seeded):
    """Found by schemathesis against PostgreSQL: GET /api/local-governments/?country=%00 answered
    500 (PostgreSQL refuses NUL in text). Every documented query parameter of every GET gets a NUL."""
    from django.test import Client

    schema = schemathesis.from_wsgi("/api/schema/", wsgi_app)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {seeded}")
    crashes = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET" or "{" in operation.path:
            continue
        for parameter in operation.query:
            response = client.get(operation.path, {parameter.name: "a\x00b"})
            if response.status_code >= 500:
                crashes.append(f"{operation.path}?{parameter.name}=a%00b → {response.status_code}")
    assert not crashes, crashes
