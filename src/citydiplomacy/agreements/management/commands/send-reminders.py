"""`citydiplomacy send-reminders [--date YYYY-MM-DD] [--days N]`: notify each organisation's staff
of anniversaries, expiries, renewals, late permission requests and directive deadlines that
fall due (agreements.reminder_notices). Run it daily; a reminder is sent once."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.agreements.reminder_notices import HORIZON_DAYS, send_due_reminders


class Command(BaseCommand):
    help = "Send the reminders that fall due as notifications (in the app and by email)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Today's date (default: today), YYYY-MM-DD.")
        parser.add_argument("--days", type=int, default=HORIZON_DAYS, help="How far ahead to remind.")

    def handle(self, *args, date=None, days=HORIZON_DAYS, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("Give --date as YYYY-MM-DD.") from exc
        if not 0 < days <= 366:
            raise CommandError("Give --days between 1 and 366.")
        told = send_due_reminders(today=today, horizon_days=days)
        self.stdout.write(f"{told} notifications sent.")
