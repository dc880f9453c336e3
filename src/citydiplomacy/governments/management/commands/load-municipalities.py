"""`citydiplomacy load-municipalities`: load Türkiye's municipalities from data/governments/ (idempotent)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.governments.municipalities import MUNICIPALITIES_FILE, load_municipalities


class Command(BaseCommand):
    help = "Load every Turkish municipality and special provincial administration (official codes)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=MUNICIPALITIES_FILE,
                            help="a CSV in the format of data/governments/turkish_municipalities.csv")

    def handle(self, *args, **options):
        try:
            result = load_municipalities(options["file"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"municipalities: {result.created} new, {result.updated} given their code, "
                          f"{result.unchanged} already loaded")
