"""The API answers only what its OpenAPI schema says (issue 16 item 1, issue 19 item 9).

`test_schemathesis_every_check_every_phase` is the CI run of schemathesis 3 with every check
(`schemathesis.checks.ALL_CHECKS`, what `--checks all` runs: no 5xx, status codes, content
types, headers and bodies as documented, invalid input rejected, authentication not ignored),
over positive and negative data for every operation, then the stateful phase (create, then
read/edit/delete what was created, following the schema's links). It runs in process against
the WSGI application and a seeded test database, bounded in examples and steps (well under
90 s on a shared machine) and derandomized, and fails on any failure.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, assume, given
from hypothesis import settings as hypothesis_settings
from schemathesis import DataGenerationMethod
from schemathesis.checks import ALL_CHECKS
from schemathesis.exceptions import SkipTest
from schemathesis.types import NotSet

TIME_BUDGET_SECONDS = 75
POSITIVE_EXAMPLES = 12
NEGATIVE_EXAMPLES = 8
STATEFUL_EXAMPLES = 25


SIGNS_OUT = {("DELETE", "/api/auth/token/"), ("DELETE", "/api/auth/tokens/"), ("POST", "/api/me/password/")}


def api_token(user) -> str:
    """A token as the installed authentication issues it (knox or DRF's authtoken)."""
    from django.conf import settings

    if "knox" in settings.INSTALLED_APPS:
        from knox.models import AuthToken

        return AuthToken.objects.create(user)[1]
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key


@pytest.fixture
def wsgi_app():
    # a request must not close the test's connection (the whole test runs in one transaction)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.core.wsgi import get_wsgi_application

    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(users, istanbul):
    from citydiplomacy.agreements import services
    from citydiplomacy.governments.models import LocalGovernment

    partner = LocalGovernment.objects.create(name="Rotterdam", kind="municipality", country_code="NL")
    for title in ("Kardeş şehir", "İşbirliği protokolü"):
        services.create_agreement(actor=users["officer"], instrument="twinning", partner=partner, title=title)
    services.create_activity(actor=users["officer"], kind="event", title="Festival",
                             starts_on=dt.date(2025, 5, 1), partner=partner)
    return {"Authorization": f"Token {api_token(users['officer'])}"}


def with_token(schema, headers: dict):
    """The officer's token as explicit authentication (as `schemathesis run -H` sets it): not
    generated, and the `ignored_auth` check removes it to see the API refuse the request."""

    @schema.auth()
    class OfficerToken:
        def get(self, case, context):
            return headers["Authorization"]

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": data}
            case.cookies = {}

    return schema


def _wire_value(text: str, schema: dict):
    """A query value as the server reads it: digits are a number, true/false a boolean."""
    kind = schema.get("type")
    try:
        if kind == "integer" and text.lstrip("-").isdigit():
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _breaks_schema(case, location: str, parameters, sent: dict[str, list[str]]) -> bool:
    from schemathesis.specs.openapi._hypothesis import get_schema_for_location

    schema = get_schema_for_location(case.operation, location, parameters)
    wire = {}
    for parameter in parameters:
        if parameter.name in sent:
            values = sent[parameter.name]
            if len(values) > 1:  # a repeated parameter: the API reads the last one
                return True
            wire[parameter.name] = _wire_value(values[0], schema["properties"].get(parameter.name, {}))
    return not case.operation.schema.validator_cls(schema).is_valid(wire)


FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _form_body_breaks_schema(case) -> bool:
    """A form or multipart body carries text only: a negated field that turns into valid text
    on the wire (the boolean False sent as the string "False" for a text field) is valid input."""
    body_schema = case.operation.body[0].definition.get("schema", {}) if case.operation.body else {}
    while "$ref" in body_schema:  # "#/components/schemas/Name"
        node = case.operation.schema.raw_schema
        for part in body_schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        body_schema = node
    if not isinstance(case.body, dict) or "properties" not in body_schema:
        return True
    wire = {name: _wire_value(str(value), body_schema["properties"].get(name, {}))
            for name, value in case.body.items() if not isinstance(value, (list, dict))}
    if len(wire) != len(case.body):
        return True
    return not case.operation.schema.validator_cls(body_schema).is_valid(wire)


def negation_reaches_the_server(case, response) -> bool:
    """schemathesis 3 negates parameters by type (the integer 5 becomes the string "5"), which a
    URL cannot carry, and marks parts negative that the operation does not have (a GET's body).
    Only a request whose URL or body, as sent, breaks the schema is invalid input that the API
    must refuse (schemathesis 4 does the same serialisation-aware check)."""
    meta = case.meta
    if meta is None:
        return True
    if meta.body and meta.body.is_negative and not isinstance(case.body, NotSet):
        return _form_body_breaks_schema(case) if case.media_type in FORM_MEDIA_TYPES else True
    if meta.path_parameters and meta.path_parameters.is_negative and case.path_parameters:
        sent = {name: [str(value)] for name, value in case.path_parameters.items()}
        if _breaks_schema(case, "path", case.operation.path_parameters, sent):
            return True
    if meta.query and meta.query.is_negative:
        sent = parse_qs(urlsplit(response.request.url).query, keep_blank_values=True)
        if _breaks_schema(case, "query", case.operation.query, sent):
            return True
    return False


NOT_NEGATIVE_CHECKS = tuple(check for check in ALL_CHECKS if check.__name__ != "negative_data_rejection")


def validate(case, response) -> None:
    negative = case.data_generation_method and case.data_generation_method.is_negative
    checks = ALL_CHECKS if not negative or negation_reaches_the_server(case, response) else NOT_NEGATIVE_CHECKS
    case.validate_response(response, checks=checks)


def has_wire_form(case) -> bool:
    """A form or multipart body is made of fields: a negated body that is not an object (a
    number, a list) cannot be encoded that way (schemathesis 3 fails to serialise it)."""
    return isinstance(case.body, dict) or case.media_type in (None, "application/json")


def _run(app, operation, method, examples, failures, deadline) -> int:
    sent = 0
    found: list[str] = []

    @given(case=operation.as_strategy(data_generation_method=method))
    @hypothesis_settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def check(case):
        nonlocal sent
        assume(has_wire_form(case))
        # past the time budget or after this operation's first failure, send nothing more (the
        # failure is recorded here, not raised: hypothesis would replay it against a database
        # the failing request has already changed)
        if found or time.monotonic() > deadline:
            return
        response = case.call_wsgi(app=app)
        sent += 1
        try:
            validate(case, response)
        except Exception as exc:  # noqa: BLE001 - schemathesis' check failures
            found.append(f"{operation.verbose_name} [{method.name}]: {str(exc).strip()[:2000]}")

    try:
        check()
    except SkipTest:  # nothing to make invalid (no parameters and no body)
        assert method == DataGenerationMethod.negative
    except Exception as exc:  # noqa: BLE001 - collect every operation's failure
        found.append(f"{operation.verbose_name} [{method.name}]: {str(exc).strip()[:2000]}")
    failures.extend(found)
    return sent


@pytest.mark.django_db
def test_schemathesis_every_check_every_phase(wsgi_app, seeded):
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    schema = with_token(schemathesis.from_wsgi("/api/schema/", wsgi_app), seeded)
    # Revoking tokens or changing the password signs the fuzzer's own token out, and every later
    # request would be a 401: those endpoints have their own tests (tests/accounts).
    operations = [result.ok() for result in schema.get_all_operations()
                  if (result.ok().method.upper(), result.ok().path) not in SIGNS_OUT]
    assert len(operations) >= 30
    failures: list[str] = []
    sent = 0
    for operation in operations:
        for method, examples in ((DataGenerationMethod.positive, POSITIVE_EXAMPLES),
                                 (DataGenerationMethod.negative, NEGATIVE_EXAMPLES)):
            sent += _run(wsgi_app, operation, method, examples, failures, deadline)

    steps = []

    class Workflow(schema.as_state_machine()):
        def setup(self):
            # each example starts from the same database, so that a replay draws the same data
            self._example = transaction.atomic()
            self._example.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._example.__exit__(None, None, None)

        def _add_results_to_targets(self, targets, results):
            # schemathesis 3.39 overrides hypothesis' former `_add_result_to_targets`; hypothesis
            # 6.170 calls this one instead, which would put a created record in no link's bundle
            for result in results:
                target = None if result is None else self._get_target_for_result(result)
                if target is not None:
                    super()._add_results_to_targets((target,), [result])

        def step(self, case, previous=None):
            try:  # any error of a step is recorded, not raised (see validate_response)
                return super().step(case, previous)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"stateful step {case.method} {case.path}: {type(exc).__name__}: "
                                f"{str(exc).strip()[:2000]}")
                return None

        def call(self, case, **kwargs):
            return case.call_wsgi(app=wsgi_app)

        def validate_response(self, response, case, additional_checks=()):
            steps.append((case.method, case.path, response.status_code))
            try:  # recorded, not raised: a replay would meet a database this step has changed
                validate(case, response)
            except Exception as exc:  # noqa: BLE001 - schemathesis' check failures
                failures.append(f"stateful {case.method} {case.path}: {str(exc).strip()[:2000]}")

    try:
        Workflow.run(settings=hypothesis_settings(
            max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, deadline=None, database=None,
            derandomize=True, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    except Exception as exc:  # noqa: BLE001
        failures.append(f"stateful: {str(exc).strip()[:3000]}")
    assert not failures, "\n\n".join(failures)
    assert sent >= 300, f"only {sent} requests within the time budget"
    followed = [step for step in steps if "{id}" in step[1] and step[2] < 300]
    assert followed, f"the stateful phase never reached a created record: {steps[:20]}"


# --- the schema itself ------------------------------------------------------------------------
@pytest.fixture
def api_schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def _operations(api_schema):
    for path, item in api_schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


@pytest.mark.django_db
def test_every_operation_documents_its_errors_in_the_json_error_shape(api_schema):
    for path, method, operation in _operations(api_schema):
        for code in ("400", "401", "403", "404", "429"):
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, code)
        if method != "get":
            assert "409" in operation["responses"], (path, method)
    assert api_schema["components"]["schemas"]["Error"]["required"] == ["error"]


@pytest.mark.django_db
def test_no_nullable_without_type_and_no_overlapping_one_of(api_schema):
    problems = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node:
                problems.append(f"nullable without type at {where}")
            if "oneOf" in node and all(b.get("type") == "string" for b in node["oneOf"]):
                problems.append(f"oneOf of strings at {where}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(api_schema, "#")
    assert not problems, problems


@pytest.mark.django_db
def test_record_ids_in_paths_are_integers_and_limits_are_documented(api_schema):
    for path, _method, operation in _operations(api_schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id":
                assert parameter["schema"]["type"] == "integer", path
    reminders = {p["name"]: p["schema"] for p in api_schema["paths"]["/api/reminders/"]["get"]["parameters"]}
    assert reminders["days"]["maximum"] == 3660
    assert reminders["organisation"]["maximum"] == 2**63 - 1


@pytest.mark.django_db
def test_descriptions_are_written_for_api_users(api_schema):
    internal = ("RuleViolation", "StaleVersion", "services'", "selectors", "Translate the")
    for path, method, operation in _operations(api_schema):
        text = operation.get("description", "") + operation.get("summary", "")
        assert not any(word in text for word in internal), (path, method, text)


# --- junk gets a 4xx, never a 5xx (issue 19 item 9, security finding F9) ----------------------
@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/agreements/abc/", "/api/activities/null%2Cnull/", "/api/agreements/null/archive/",
    "/api/places/search.json?q=ber", "/api/reminders.json", "/api/calendar.json",
    "/api/agreements/1/events.json", "/api/analytics/network.json", "/api/policy/impact.json",
    "/api/permitting-authorities.json", "/api/recommendations.json", "/api/calendar/feed.json",
])
def test_junk_paths_answer_404_in_the_json_error_shape(api_client_for, url):
    response = api_client_for("officer").get(url)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/agreements/?organisation=852610363060216397824",
    "/api/activities/?agreement=149965022323702118575016771584",
    "/api/reminders/?organisation=99999999999999999999999",
    "/api/reminders/?days=3661", "/api/reminders/?start=", "/api/permitting-authorities/?on=",
    "/api/places/search/?q=ber&limit=false", "/api/members/?page_size=null",
    "/api/agreements/?include_archived=perhaps", "/api/agreements/?page_size=501",
])
def test_out_of_range_and_malformed_query_parameters_answer_400(api_client_for, url):
    response = api_client_for("officer").get(url)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_unhandled_error_under_api_answers_json(users, monkeypatch):
    from django.test import Client

    from citydiplomacy.agreements import calendar_api

    def boom(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(calendar_api.ReminderViewSet, "list", boom)
    client = Client(raise_request_exception=False)
    client.force_login(users["officer"])
    response = client.get("/api/reminders/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "server_error"


def test_a_form_field_negated_into_valid_text_is_valid_input(api_schema):
    """schemathesis negates a text field into the boolean False, which a multipart body sends as
    the text "False": the API rightly accepts it; a missing required field stays invalid."""
    loaded = schemathesis.from_dict(api_schema)
    operation = loaded["/api/international-organisations/"]["POST"]
    form = operation.make_case(body={"name": "Kardeş Şehirler Birliği", "acronym": False},
                               media_type="multipart/form-data")
    assert not _form_body_breaks_schema(form)
    missing = operation.make_case(body={"acronym": "KŞB"}, media_type="multipart/form-data")
    assert _form_body_breaks_schema(missing)
