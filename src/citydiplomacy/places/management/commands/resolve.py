from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.places.services import ImportError_, resolve_file


class Command(BaseCommand):
    help = "Resolve a CSV of name,country rows to places; writes status, geonameid, position."

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        try:
            counts = resolve_file(options["input"], options["out"])
        except (ImportError_, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
