"""`import-pairs FILE`: import a twin-town list (places.imports).

The command lowers its own CPU priority first (``os.nice``, setting
``CITYDIPLOMACY_IMPORT_NICE``, 10 by default; ``--nice 0`` keeps it): a large import is
minutes of CPU work (name resolution above all) that, on a small server, would otherwise take
the cores from the web workers and slow every request while it runs. Only this process is
lowered; imports started inside a web worker are not.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.places.services import ImportError_, import_pairs


class Command(BaseCommand):
    help = "Import twin-town pairs (CSV or XLSX with city1,country1,city2,country2)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", help="source label stored with each tie (default: file name)")
        parser.add_argument("--nice", type=int, default=None,
                            help="raise this process's niceness by N before importing "
                                 "(default: CITYDIPLOMACY_IMPORT_NICE, 10; 0 keeps it)")

    def handle(self, *args, **options):
        nice = options["nice"]
        if nice is None:
            nice = int(getattr(settings, "CITYDIPLOMACY_IMPORT_NICE", 10))
        if nice > 0 and hasattr(os, "nice"):
            os.nice(nice)
        try:
            import_pairs(options["file"], stdout=self.stdout, source=options.get("source"))
        except (ImportError_, OSError) as exc:
            raise CommandError(str(exc)) from exc
