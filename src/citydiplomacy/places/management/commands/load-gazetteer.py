
import time

from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.places.services import load_gazetteer


class Command(BaseCommand):
    help = "Load countries, ISO 3166-2 regions and GeoNames cities500 places (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--countries", default="",
                            help="only these ISO codes, comma-separated (for tests and demos)")
        parser.add_argument("--min-population", type=int, default=0)
        parser.add_argument("--no-index", action="store_true",
                            help="do not build the resolver's on-disk index now (the first "
                            "resolve or import-pairs builds it)")

    def handle(self, *args, **options):
        start = time.perf_counter()
        places = None
        if options["countries"] or options["min_population"]:
            from citydiplomacy.places.gazetteer import places_from_packages

            wanted = {c.strip().upper() for c in options["countries"].split(",") if c.strip()}
            places = [p for p in places_from_packages()
                      if (not wanted or p.country_code in wanted)
                      and p.population >= options["min_population"]]
        from citydiplomacy.places.registries import VendoredFileError

        try:
            counts = load_gazetteer(stdout=self.stdout, progress=not options["no_progress"],
                                    places=places)
        except VendoredFileError as exc:  # checked before anything is deleted or written
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{counts['countries']} countries, {counts['regions']} regions, "
            f"{counts['places']} places loaded in {time.perf_counter() - start:.1f} s"
        )
        if not options["no_index"]:
            from citydiplomacy.places.resolver_cache import store_index

            start = time.perf_counter()
            built = store_index()  # the first resolve/import-pairs reads it instead of building
            self.stdout.write(f"resolver index {'built and stored' if built else 'already stored'}"
                              f" in {time.perf_counter() - start:.1f} s")
