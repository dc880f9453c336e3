"""`citydiplomacy policy-check [--on DATE]`: list every tie in force that needs review under
the central-government policy table on a date (default today). Nothing is written: the flag
is computed from the table on every read (policy.rules), so this is a report to cron or mail."""

import datetime as dt

from django.core.management.base import BaseCommand

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.selectors import agreement_rows


class Command(BaseCommand):
    help = "List ties in force with frozen / no-relations countries or regions (they need review)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None,
                            help="Check as on this date (YYYY-MM-DD); default today.")

    def handle(self, *args, on=None, **options):
        queryset = Agreement.objects.filter(archived_at__isnull=True).select_related(
            "organisation", "partner", "partner_organisation")
        rows = agreement_rows(None, queryset=queryset, as_of=on, flag="needs_review")
        for row in rows:
            self.stdout.write(f"{row.agreement.pk}\t{row.agreement.organisation.name}\t"
                              f"{row.agreement.title}\t{row.review_note}")
        self.stdout.write(f"needs review: {len(rows)}")
