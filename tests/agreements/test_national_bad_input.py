"""Issue 17's bad-input acceptance in one place, through the API and the web pages: a directive
for an unknown country, a decision without a reference, a decision on a request that is not
open each get a clear error in the user's language, and nothing stored changes (the agreement,
its events, the directives, their tasks, the background queue, the notifications). The fourth,
a municipality file with duplicate codes refused whole, is in tests/governments/test_municipalities.py."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.accounts.models import Notification
from citydiplomacy.agreements.models import Agreement, AgreementEvent, Directive, DirectiveTask
from tests.agreements.test_directives import NL_CALL, ties  # noqa: F401 (fixture)
from tests.agreements.test_permission_requests import in_system, requested  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def stored() -> tuple:
    """Everything a refused request must leave as it was."""
    return (sorted(Agreement.objects.values_list("id", "state", "version", "permission_reference")),
            AgreementEvent.objects.count(), Directive.objects.count(), DirectiveTask.objects.count(),
            DBTaskResult.objects.count(), Notification.objects.count())


def test_a_directive_for_an_unknown_country(ties, api_client_for, client_for):  # noqa: F811
    before = stored()
    api = api_client_for("authority").post("/api/directives/", {**NL_CALL, "country": "Atlantis"}, format="json")
    assert api.status_code == 400
    assert "Atlantis" in api.json()["error"]["details"]["country"][0]
    page = client_for("authority").post("/agreements/directives/", {**NL_CALL, "country": "Atlantis"},
                                        HTTP_ACCEPT_LANGUAGE="tr")
    assert page.status_code == 400
    assert "Bilinmeyen ülke “Atlantis”" in page.content.decode()
    assert stored() == before


def test_a_decision_without_a_reference(in_system, requested, step, client_for):  # noqa: F811
    before = stored()
    api = step(requested, "permission_granted", "2024-03-20", role="authority")
    assert api.status_code in (400, 409)
    assert "numara" in api.json()["error"]["message"]  # "… enter its number (decision or permission number)"
    page = client_for("authority").post(f"/agreements/permission-requests/{requested}/", {
        "decision": "permission_granted", "date": "2024-03-20", "reference": "",
        "version": Agreement.objects.get(pk=requested).version}, HTTP_ACCEPT_LANGUAGE="tr")
    assert page.context["form"].errors["reference"]
    assert stored() == before


def test_a_decision_on_a_request_that_is_not_open(in_system, requested, step, client_for):  # noqa: F811
    assert step(requested, "permission_denied", "2024-03-20", role="authority", reference="E-2").status_code == 200
    before = stored()
    api = step(requested, "permission_granted", "2024-03-21", role="authority", reference="E-3")
    assert api.status_code == 409
    assert "Bakanlık izni verilmedi" in api.json()["error"]["message"]  # it names the state it is in
    page = client_for("authority").post(f"/agreements/permission-requests/{requested}/", {
        "decision": "permission_granted", "date": "2024-03-21", "reference": "E-4",
        "version": Agreement.objects.get(pk=requested).version}, follow=True, HTTP_ACCEPT_LANGUAGE="tr")
    assert any("Bakanlık izni verilmedi" in str(message) for message in page.context["messages"])
    assert page.context["is_open"] is False
    assert stored() == before
    assert Agreement.objects.get(pk=requested).permission_reference == "E-2"


def test_a_decision_on_an_agreement_never_requested(in_system, policy_tables, partners, create, step):  # noqa: F811
    draft = create(partners["berlin"])["id"]
    before = stored()
    # the authority does not even see an agreement without a request (and learns nothing of it)
    assert step(draft, "permission_granted", "2024-03-21", role="authority", reference="E-5").status_code == 404
    assert stored() == before
