"""Every endpoint × every role answers as the matrix in tests/permission_matrix.py says."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.permission_matrix import CASES, ROLES, all_routes, build_objects


def test_every_route_and_method_has_cases():
    covered: dict[str, set[str]] = {}
    for case in CASES:
        covered.setdefault(case.name, set()).add(case.method)
    missing = []
    for name, methods in all_routes().items():
        if name not in covered:
            missing.append(f"{name} (no case at all)")
            continue
        for method in methods - {"HEAD", "OPTIONS"} - covered[name]:
            missing.append(f"{method} {name}")
    assert not missing, "endpoints without permission-matrix cases: " + ", ".join(sorted(missing))


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expected) == set(ROLES), case.label


def _request(case, objects, user):
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(objects))
    if case.query:
        url = f"{url}?{case.query_of(objects)}"
    data = case.data(objects) if case.data else None
    method = getattr(client, case.method.lower())
    if case.method == "GET":
        return method(url)
    if case.api:
        return method(url, data=json.dumps(data or {}), content_type="application/json")
    return method(url, data=data or {})


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_matrix(case, istanbul, ankara, users):
    objects = build_objects(istanbul, ankara, users)
    failures = []
    for role in ROLES:
        # Each role's request runs in a savepoint that is rolled back, so one role's
        # successful write cannot change what the next role sees.
        with transaction.atomic():
            response = _request(case, objects, users[role])
            transaction.set_rollback(True)
        expected = case.expected[role]
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
        if response.status_code >= 500:
            failures.append(f"{role}: server error")
    assert not failures, f"{case.label}: " + "; ".join(failures)
