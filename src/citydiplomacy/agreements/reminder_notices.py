"""Reminders sent as notifications: anniversaries, expiries, renewals and late permission
requests of every organisation's ties (agreements.reminder_dates.reminders_in), and directive
deadlines, each told once to the organisation's staff when it falls within the horizon.

Run daily: `citydiplomacy send-reminders` (cron or a systemd timer in production)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citydiplomacy.accounts import notifications
from citydiplomacy.accounts.models import NotificationKind
from citydiplomacy.agreements import reminder_dates
from citydiplomacy.agreements.lifecycle import IN_FORCE, State
from citydiplomacy.agreements.models import Agreement, DirectiveTask

HORIZON_DAYS = 30
DIRECTIVE_NOTICE_DAYS = 7


def send_due_reminders(*, today: dt.date | None = None, horizon_days: int = HORIZON_DAYS) -> int:
    """Notify what falls due between today and the horizon; returns how many users were told
    (a reminder already sent is not sent again)."""
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=horizon_days)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        ties = (Agreement.objects.filter(archived_at__isnull=True)
                .filter(state__in=[*IN_FORCE, State.PERMISSION_REQUESTED])
                .select_related("partner", "partner_organisation"))
        staff: dict[int, list] = {}
        for reminder in reminder_dates.reminders_in(ties, start=today, end=end):
            users = staff.setdefault(reminder.organisation_id,
                                     list(notifications.organisation_staff(reminder.organisation_id)))
            kind = NotificationKind.ANNIVERSARY if reminder.kind == "anniversary" else NotificationKind.DEADLINE
            told += notifications.notify(
                users, kind, subject=_("%(what)s on %(date)s") % {
                    "what": reminder.title, "date": reminder.on.strftime("%d.%m.%Y")},
                link=reverse("agreements:detail", args=[reminder.agreement_id]),
                key=f"reminder:{reminder.kind}:{reminder.agreement_id}:{reminder.on.isoformat()}")
        soon = today + dt.timedelta(days=DIRECTIVE_NOTICE_DAYS)
        for task in (DirectiveTask.objects.filter(state=DirectiveTask.State.OPEN, directive__deadline__lte=soon)
                     .select_related("directive", "agreement")):
            users = staff.setdefault(task.organisation_id, list(notifications.organisation_staff(task.organisation_id)))
            late = task.directive.deadline < today
            subject = (_("Overdue directive task: %(title)s (deadline %(date)s)") if late
                       else _("Directive deadline near: %(title)s (deadline %(date)s)")) % {
                "title": task.agreement.title, "date": task.directive.deadline.strftime("%d.%m.%Y")}
            told += notifications.notify(
                users, NotificationKind.DEADLINE, subject=subject, link=reverse("agreements:directive-tasks"),
                key=f"directive:{task.pk}:{'late' if late else 'near'}")
    return told
