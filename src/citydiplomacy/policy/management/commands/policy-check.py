"""`citydiplomacy policy-check [--on DATE]`: re-check every agreement against the
central-government policy table (cron it daily); prints what was flagged or cleared."""

import datetime as dt

from django.core.management.base import BaseCommand

from citydiplomacy.agreements.services import run_policy_check


class Command(BaseCommand):
    help = "Flag ties in force with frozen / no-relations countries as needing review (cron-able)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None,
                            help="Check as on this date (YYYY-MM-DD); default today.")

    def handle(self, *args, on=None, **options):
        counts = run_policy_check(on=on)
        self.stdout.write(f"checked {counts['checked']}, flagged {counts['flagged']}, "
                          f"cleared {counts['cleared']}")
