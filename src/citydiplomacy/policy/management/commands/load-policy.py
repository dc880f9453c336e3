"""`citydiplomacy load-policy`: load the vendored policy tables from data/policy/ (idempotent)."""

from django.core.management.base import BaseCommand

from citydiplomacy.policy.services import load_policy_tables


class Command(BaseCommand):
    help = "Load the country-relation and permitting-authority tables from data/policy/."

    def handle(self, *args, **options):
        counts = load_policy_tables()
        self.stdout.write(f"new country relations: {counts['country_relations']}, "
                          f"new permitting authorities: {counts['permitting_authorities']}")
