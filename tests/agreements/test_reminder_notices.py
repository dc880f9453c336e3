"""Deadlines and anniversaries reach the organisation's staff as notifications, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from citydiplomacy.accounts.models import Notification, NotificationChoice, NotificationKind
from citydiplomacy.agreements.models import Agreement, Directive, DirectiveTask
from citydiplomacy.agreements.reminder_notices import send_due_reminders
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db


@pytest.fixture
def tie(istanbul, users):
    partner = LocalGovernment.objects.create(name="Rotterdam", country_code="NL")
    return Agreement.objects.create(organisation=istanbul, partner=partner, instrument="twinning", title="t",
                                    state="active", signed_on=dt.date(2005, 6, 24), expires_on=dt.date(2026, 7, 1))


def test_anniversary_and_expiry_are_told_once(tie, users, django_capture_on_commit_callbacks):
    users["approver"].email = "approver@ibb.example"
    users["approver"].save()
    with django_capture_on_commit_callbacks(execute=True):
        told = send_due_reminders(today=dt.date(2026, 6, 10))
    assert told == 3  # the expiry on 2026-07-01, to İstanbul's officer, approver and admin
    kinds = set(Notification.objects.filter(user=users["officer"]).values_list("kind", flat=True))
    assert kinds == {NotificationKind.DEADLINE}
    assert any("approver@ibb.example" in m.to for m in mail.outbox)
    assert send_due_reminders(today=dt.date(2026, 6, 11)) == 0
    assert not Notification.objects.filter(user=users["viewer"]).exists()
    assert not Notification.objects.filter(user=users["other_officer"]).exists()


def test_anniversary(istanbul, users):
    partner = LocalGovernment.objects.create(name="Kazan", country_code="RU")
    Agreement.objects.create(organisation=istanbul, partner=partner, instrument="twinning", title="k",
                             state="active", signed_on=dt.date(2006, 6, 20))
    send_due_reminders(today=dt.date(2026, 6, 1))
    [notice] = Notification.objects.filter(user=users["officer"])
    assert notice.kind == NotificationKind.ANNIVERSARY and "20.06.2026" in notice.subject


def test_email_only_users_get_one_email_and_no_badge(tie, users, django_capture_on_commit_callbacks):
    users["officer"].email = "officer@ibb.example"
    users["officer"].save()
    NotificationChoice.objects.create(user=users["officer"], kind=NotificationKind.DEADLINE, in_app=False, email=True)
    for day in (10, 11):
        with django_capture_on_commit_callbacks(execute=True):
            send_due_reminders(today=dt.date(2026, 6, day))
    assert sum("officer@ibb.example" in m.to for m in mail.outbox) == 1
    assert not Notification.objects.filter(user=users["officer"], read_at__isnull=True).exists()


def test_directive_deadline_near_and_overdue(tie, users):
    directive = Directive.objects.create(country_code="NL", issued_on=dt.date(2026, 5, 1), action="review",
                                         reason="r", source="s", deadline=dt.date(2026, 6, 5))
    DirectiveTask.objects.create(directive=directive, agreement=tie, organisation=tie.organisation)
    call_command("send-reminders", "--date", "2026-06-01", "--days", "1")
    call_command("send-reminders", "--date", "2026-06-08", "--days", "1")
    subjects = list(Notification.objects.filter(user=users["officer"]).values_list("subject", flat=True))
    assert len(subjects) == 2 and any("05.06.2026" in s for s in subjects)
