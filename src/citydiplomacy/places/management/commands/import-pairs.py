
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.places.services import ImportError_, import_pairs


class Command(BaseCommand):
    help = "Import twin-town pairs (CSV or XLSX with city1,country1,city2,country2)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", help="source label stored with each tie (default: file name)")

    def handle(self, *args, **options):
        try:
            import_pairs(options["file"], stdout=self.stdout, source=options.get("source"))
        except (ImportError_, OSError) as exc:
            raise CommandError(str(exc)) from exc
