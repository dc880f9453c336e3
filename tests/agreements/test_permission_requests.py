"""The permitting authority as a user: its queue, its decision in the system, who may record
it under each installation setting, what it may read, and the notifications on both sides."""

from __future__ import annotations

import pytest
from django.core import mail

from citydiplomacy.accounts.models import Notification, NotificationChoice, NotificationKind
from citydiplomacy.agreements.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_system(settings):
    settings.AUTHORITY_DECIDES_IN_SYSTEM = True


@pytest.fixture
def requested(policy_tables, partners, create, step, users, django_capture_on_commit_callbacks):
    """An İBB twinning with Utrecht whose permission was requested on 2024-03-01."""
    users["officer"].email = "officer@ibb.example"
    users["officer"].save()
    users["authority"].email = "ministry@example.gov"
    users["authority"].save()
    agreement = create(partners["utrecht"])
    assert step(agreement["id"], "in_committee", "2024-01-10").status_code == 200
    assert step(agreement["id"], "council_approved", "2024-02-01", reference="2024/55",
                final_on="2024-02-08").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert step(agreement["id"], "permission_requested", "2024-03-01").status_code == 200
    return agreement["id"]


def test_request_reaches_the_authority_and_its_decision_reaches_the_municipality(
        in_system, requested, step, users, api_client_for, english, django_capture_on_commit_callbacks):
    told = Notification.objects.get(user=users["authority"], kind=NotificationKind.PERMISSION_REQUESTED)
    assert "Tie with Utrecht" in told.subject and told.link == f"/agreements/permission-requests/{requested}/"
    queue = api_client_for("authority").get("/api/permission-requests/")
    assert queue.status_code == 200
    assert queue.json()["count"] == 1
    [entry] = queue.json()["results"]
    assert entry["agreement"] == requested and entry["partner_country"] == "NL"
    assert entry["council_decision_number"] == "2024/55" and entry["council_decision_final_on"] == "2024-02-08"
    assert entry["policy_status_on_request"] == "normal" and entry["age_days"] > 0
    with django_capture_on_commit_callbacks(execute=True):
        granted = step(requested, "permission_granted", "2024-03-20", role="authority", reference="E-2024/881")
    assert granted.status_code == 200, granted.json()
    assert granted.json()["status"] == "permission_granted"
    agreement = Agreement.objects.get(pk=requested)
    assert agreement.permission_reference == "E-2024/881"
    assert agreement.events.order_by("-id").first().actor == users["authority"]
    news = Notification.objects.filter(user=users["officer"], kind=NotificationKind.PERMISSION_DECIDED)
    assert news.count() == 1 and "E-2024/881" in news.get().body
    assert Notification.objects.filter(user=users["approver"], kind=NotificationKind.PERMISSION_DECIDED).exists()
    assert any("officer@ibb.example" in m.to for m in mail.outbox)
    assert any("ministry@example.gov" in m.to for m in mail.outbox)
    assert api_client_for("authority").get("/api/permission-requests/").json()["results"] == []


def test_when_the_authority_decides_in_the_system_an_approver_cannot_record_it(in_system, requested, step):
    refused = step(requested, "permission_granted", "2024-03-20", role="approver", reference="E-1")
    assert refused.status_code == 403
    assert Agreement.objects.get(pk=requested).state == "permission_requested"


def test_when_it_does_not_the_approver_records_the_letter_and_the_authority_cannot(requested, step, users):
    assert step(requested, "permission_granted", "2024-03-20", role="authority", reference="E-1").status_code == 403
    assert Agreement.objects.get(pk=requested).state == "permission_requested"
    assert step(requested, "permission_granted", "2024-03-20", role="approver", reference="E-1").status_code == 200
    assert not Notification.objects.filter(user=users["authority"]).exists()


def test_bad_decisions_are_refused_and_change_nothing(in_system, requested, step):
    no_reference = step(requested, "permission_denied", "2024-03-20", role="authority")
    assert no_reference.status_code in (400, 409)
    assert "reference" in str(no_reference.json()).lower()
    assert Agreement.objects.get(pk=requested).state == "permission_requested"
    assert step(requested, "permission_denied", "2024-03-20", role="authority", reference="E-2").status_code == 200
    again = step(requested, "permission_granted", "2024-03-21", role="authority", reference="E-3")
    assert again.status_code == 409
    assert Agreement.objects.get(pk=requested).state == "permission_denied"


def test_the_authority_reads_requested_agreements_only(in_system, requested, create, partners, api_client_for):
    draft = create(partners["berlin"])
    authority = api_client_for("authority")
    assert authority.get(f"/api/agreements/{draft['id']}/").status_code == 404
    assert [a["id"] for a in authority.get("/api/agreements/").json()["results"]] == [requested]
    assert authority.post(f"/api/agreements/{draft['id']}/transition/",
                          {"to": "in_committee", "date": "2024-01-01"}, format="json").status_code == 404


def test_municipalities_cannot_read_the_queue(in_system, requested, api_client_for, client_for):
    for role in ("officer", "other_officer", "approver", "admin", "viewer"):
        assert api_client_for(role).get("/api/permission-requests/").status_code == 403
        assert client_for(role).get("/agreements/permission-requests/").status_code == 403
    assert api_client_for("other_officer").get(f"/api/agreements/{requested}/").status_code == 404
    assert api_client_for("oversight").get("/api/permission-requests/").status_code == 200


def test_each_user_chooses_what_to_receive(in_system, policy_tables, partners, create, step, users, client_for,
                                          django_capture_on_commit_callbacks):
    officer = client_for("officer")
    response = officer.post("/notifications/settings/", {
        f"{NotificationKind.PERMISSION_DECIDED}:in_app": "on"})
    assert response.status_code == 302
    choice = NotificationChoice.objects.get(user=users["officer"], kind=NotificationKind.PERMISSION_DECIDED)
    assert choice.in_app and not choice.email
    users["officer"].email = "officer@ibb.example"
    users["officer"].save()
    agreement = create(partners["utrecht"])
    step(agreement["id"], "in_committee", "2024-01-10")
    step(agreement["id"], "council_approved", "2024-02-01", reference="2024/55", final_on="2024-02-08")
    step(agreement["id"], "permission_requested", "2024-03-01")
    users["approver"].email = "approver@ibb.example"
    users["approver"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(agreement["id"], "permission_granted", "2024-03-20", role="authority", reference="E-9")
    assert any("approver@ibb.example" in m.to for m in mail.outbox)
    assert Notification.objects.filter(user=users["officer"]).count() == 1
    assert not any("officer@ibb.example" in m.to for m in mail.outbox)
    page = officer.get("/notifications/")
    assert "E-9" in page.content.decode()
    officer.post("/notifications/")
    assert not Notification.objects.filter(user=users["officer"], read_at__isnull=True).exists()


def test_web_queue_and_decision_form(in_system, requested, client_for, users):
    ministry = client_for("authority")
    queue = ministry.get("/agreements/permission-requests/")
    assert queue.status_code == 200 and "Tie with Utrecht" in queue.content.decode()
    form = ministry.post(f"/agreements/permission-requests/{requested}/",
                         {"decision": "permission_granted", "date": "2024-03-20", "reference": ""})
    assert form.status_code == 200 and form.context["form"].errors["reference"]
    assert Agreement.objects.get(pk=requested).state == "permission_requested"
    done = ministry.post(f"/agreements/permission-requests/{requested}/",
                         {"decision": "permission_granted", "date": "2024-03-20", "reference": "E-7",
                          "version": Agreement.objects.get(pk=requested).version})
    assert done.status_code == 302
    assert Agreement.objects.get(pk=requested).state == "permission_granted"
    assert client_for("approver").post(f"/agreements/permission-requests/{requested}/", {}).status_code == 403
