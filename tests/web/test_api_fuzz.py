"""What schemathesis found, kept as regression tests, and the GETs of real records, in process
(WSGI, in-memory test DB).

The pass over every operation with every check, positive and negative data and the stateful
phase is tests/web/test_api_contract.py; `reliability/fuzz.py` runs the long pass (2,000+
requests) against gunicorn + PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from citydiplomacy.accounts.services import issue_api_token

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


@pytest.mark.django_db
def test_every_get_by_id_answers_real_records_as_documented(wsgi_app, seeded):
    """Generated ids rarely exist: every GET with an {id} also runs on the ids of real records
    (the seeded agreements, activity and local governments; PostgreSQL does not hand out 1 and 2
    again in a later test), as the officer, and its answer must match the schema."""
    from citydiplomacy.agreements.models import Activity, Agreement
    from citydiplomacy.governments.models import LocalGovernment

    ids = sorted({*Agreement.objects.values_list("pk", flat=True),
                  *Activity.objects.values_list("pk", flat=True),
                  *LocalGovernment.objects.values_list("pk", flat=True)})
    schema = schemathesis.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses, failures = set(), []
    for operation in operations:
        if operation.method.upper() != "GET" or "{id}" not in operation.path:
            continue
        for pk in ids:
            case = operation.make_case(path_parameters={"id": pk})
            response = case.call_wsgi(app=wsgi_app, headers={"Authorization": f"Token {seeded}"})
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{case.formatted_path}: {str(exc).strip()[:1500]}")
    assert not failures, "\n\n".join(failures)
    assert 200 in statuses


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
