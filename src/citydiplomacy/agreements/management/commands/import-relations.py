"""`citydiplomacy import-relations FILE --organisation ID`: import a list of historical
relations (columns as data/istanbul/istanbul_relations.csv). Idempotent; all or nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.agreements.relations_import import import_relations
from citydiplomacy.governments.models import LocalGovernment


class Command(BaseCommand):
    help = "Import historical relations from a CSV list; they enter flagged 'imported, steps not recorded'."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True,
                            help="Id or exact name of the home organisation (a local government).")

    def handle(self, *args, file, organisation, **options):
        lookup = {"pk": int(organisation)} if organisation.isdigit() else {"name": organisation}
        home = LocalGovernment.objects.filter(**lookup).first()
        if home is None:
            raise CommandError(f"No local government {organisation!r}.")
        try:
            report = import_relations(file, organisation=home)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"{report.rows} rows: {report.created} imported, {report.existing} already there")
