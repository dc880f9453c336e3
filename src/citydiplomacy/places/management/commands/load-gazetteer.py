import time

from django.core.management.base import BaseCommand

from citydiplomacy.places.services import load_gazetteer


class Command(BaseCommand):
    help = "Load countries, ISO 3166-2 regions and GeoNames cities500 places (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        start = time.perf_counter()
        counts = load_gazetteer(stdout=self.stdout, progress=not options["no_progress"])
        self.stdout.write(
            f"{counts['countries']} countries, {counts['regions']} regions, "
            f"{counts['places']} places loaded in {time.perf_counter() - start:.1f} s"
        )
