"""Directives: the central government calls municipalities to review, suspend or end their ties
with a country or region; each affected agreement gets a task, answered by a council decision
through the lifecycle; compliance is seen per directive; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.accounts.models import Notification, NotificationKind
from citydiplomacy.agreements.models import Agreement, Directive, DirectiveTask
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db

NL_CALL = {"country": "Hollanda", "issued_on": "2017-03-15", "action": "end", "deadline": "2017-04-15",
           "reason": "Hollanda ile yaşanan diplomatik kriz üzerine kardeş şehir ilişkilerinin sona erdirilmesi çağrısı.",
           "source": "https://www.hurriyetdailynews.com/istanbul-terminates-sister-city-protocol-with-rotterdam-after-erdogans-call-110846"}


def _tie(organisation, partner, state="active", title=None):
    return Agreement.objects.create(organisation=organisation, partner=partner, instrument="twinning",
                                    title=title or f"{organisation.name}–{partner.name}", state=state,
                                    signed_on=dt.date(2005, 6, 24))


@pytest.fixture
def ties(istanbul, ankara, policy_tables):
    rotterdam = LocalGovernment.objects.create(name="Rotterdam", country_code="NL", kind="municipality")
    utrecht = LocalGovernment.objects.create(name="Utrecht", country_code="NL", kind="municipality")
    koln = LocalGovernment.objects.create(name="Köln", country_code="DE", kind="municipality")
    return {"istanbul_rotterdam": _tie(istanbul, rotterdam), "ankara_utrecht": _tie(ankara, utrecht),
            "ankara_koln": _tie(ankara, koln), "istanbul_draft": _tie(istanbul, utrecht, state="draft"),
            "istanbul_ended": _tie(istanbul, utrecht, state="terminated")}


def test_a_directive_gives_each_affected_municipality_a_task(ties, api_client_for, users, run_worker):
    response = api_client_for("authority").post("/api/directives/", NL_CALL, format="json")
    assert response.status_code == 201, response.json()
    queued = response.json()
    assert queued["country_code"] == "NL" and queued["place"]
    # the POST answers at once; the tasks are created by the background worker
    assert queued["progress"] == {"state": "queued", "tasks_created": 0, "agreements_affected": None, "percent": 0}
    assert not DirectiveTask.objects.exists() and not Notification.objects.exists()
    run_worker()
    body = api_client_for("authority").get(f"/api/directives/{queued['id']}/").json()
    assert body["open"] == 2
    assert body["progress"] == {"state": "done", "tasks_created": 2, "agreements_affected": 2, "percent": 100}
    assert sorted(a["agreement"] for a in body["agreements"]) == sorted(
        [ties["istanbul_rotterdam"].pk, ties["ankara_utrecht"].pk])
    for role in ("officer", "other_officer", "approver"):
        assert Notification.objects.filter(user=users[role], kind=NotificationKind.DIRECTIVE).count() == 1
    assert not Notification.objects.filter(user=users["viewer"]).exists()


def test_a_council_decision_answers_the_task_and_compliance_shows_it(ties, api_client_for, step, run_worker):
    directive_id = api_client_for("oversight").post("/api/directives/", NL_CALL, format="json").json()["id"]
    run_worker()
    ended = step(ties["istanbul_rotterdam"].pk, "terminated", "2017-03-15", role="approver",
                 reference="Meclis 2017/412", reason="Hükümetin çağrısı üzerine")
    assert ended.status_code == 200, ended.json()
    detail = api_client_for("authority").get(f"/api/directives/{directive_id}/").json()
    states = {a["agreement"]: (a["response_state"], a["council_reference"]) for a in detail["agreements"]}
    assert states[ties["istanbul_rotterdam"].pk] == ("done", "Meclis 2017/412")
    assert states[ties["ankara_utrecht"].pk] == ("open", "")
    assert (detail["answered"], detail["open"]) == (1, 1)


def test_a_review_may_be_answered_by_keeping_the_tie(ties, client_for, users):
    directive = Directive.objects.create(country_code="NL", issued_on=dt.date(2017, 3, 15), action="review",
                                         reason="r", source="s", deadline=dt.date(2017, 4, 15))
    task = DirectiveTask.objects.create(directive=directive, agreement=ties["istanbul_rotterdam"],
                                        organisation=ties["istanbul_rotterdam"].organisation)
    assert client_for("officer").post(f"/agreements/directives/tasks/{task.pk}/keep/",
                                      {"date": "2017-04-01", "reference": "M-1"}).status_code == 403
    task.refresh_from_db()
    assert task.state == "open"  # an officer does not record council decisions
    assert client_for("other_officer").post(f"/agreements/directives/tasks/{task.pk}/keep/",
                                            {"date": "2017-04-01", "reference": "M-1"}).status_code == 404
    client_for("approver").post(f"/agreements/directives/tasks/{task.pk}/keep/",
                                {"date": "2017-04-01", "reference": "Meclis 2017/500"})
    task.refresh_from_db()
    assert task.state == "done" and task.council_reference == "Meclis 2017/500"


@pytest.mark.parametrize("change", [
    {"country": "Atlantis"}, {"country": "", "region": ""}, {"region": "UA-43"}, {"country": "", "region": "XX-99"},
    {"action": "bomb"}, {"reason": ""}, {"deadline": "2017-01-01"}, {"issued_on": "15.03.2017"},
])
def test_bad_directives_are_refused_and_nothing_changes(ties, api_client_for, change):
    response = api_client_for("oversight").post("/api/directives/", {**NL_CALL, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert not Directive.objects.exists() and not DirectiveTask.objects.exists()
    assert not DBTaskResult.objects.exists()  # no fan-out queued either


def test_who_may_issue_and_read(ties, api_client_for, client_for, run_worker):
    for role in ("officer", "approver", "admin", "viewer"):
        assert api_client_for(role).post("/api/directives/", NL_CALL, format="json").status_code == 403
        assert api_client_for(role).get("/api/directives/").status_code == 403
    assert not Directive.objects.exists()
    api_client_for("oversight").post("/api/directives/", NL_CALL, format="json")
    run_worker()
    page = client_for("other_officer").get("/agreements/directives/tasks/")
    assert page.status_code == 200
    assert [t.agreement_id for t, _place in page.context["tasks"]] == [ties["ankara_utrecht"].pk]


def test_northern_cyprus_is_not_cyprus(istanbul, policy_tables, api_client_for, run_worker):
    girne = LocalGovernment.objects.create(name="Girne", country_code="XC", kind="municipality")
    limassol = LocalGovernment.objects.create(name="Limassol", country_code="CY", kind="municipality")
    _tie(istanbul, girne)
    cyprus = _tie(istanbul, limassol)
    directive_id = api_client_for("oversight").post("/api/directives/", {**NL_CALL, "country": "CY"},
                                                    format="json").json()["id"]
    run_worker()
    body = api_client_for("oversight").get(f"/api/directives/{directive_id}/").json()
    assert [a["agreement"] for a in body["agreements"]] == [cyprus.pk]


def test_web_issue_form_reports_errors_in_turkish(ties, client_for):
    response = client_for("oversight").post("/agreements/directives/", {**NL_CALL, "country": "Atlantis"},
                                            HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 400
    assert "Bilinmeyen ülke" in response.content.decode()
    assert not Directive.objects.exists()


def test_the_directive_page_lists_its_tasks_a_page_at_a_time(ties, api_client_for, client_for, run_worker,
                                                              monkeypatch):
    from citydiplomacy.agreements import directive_views

    monkeypatch.setattr(directive_views, "TASKS_PER_PAGE", 1)
    directive_id = api_client_for("oversight").post("/api/directives/", NL_CALL, format="json").json()["id"]
    run_worker()
    client = client_for("authority")
    first = client.get(f"/agreements/directives/{directive_id}/")
    second = client.get(f"/agreements/directives/{directive_id}/", {"page": 2})
    assert first.status_code == second.status_code == 200
    shown = [next(iter(r.context["page"])).agreement_id for r in (first, second)]
    assert sorted(shown) == sorted([ties["istanbul_rotterdam"].pk, ties["ankara_utrecht"].pk])
    assert 'page=1"' in second.content.decode()  # a link back to the first page
