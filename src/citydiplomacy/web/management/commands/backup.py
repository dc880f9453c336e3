"""`citydiplomacy backup FILE`: the whole registry (every table + uploaded documents) in one zip."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from citydiplomacy.web.ops.backup import backup
from citydiplomacy.web.ops.backup_secrets import SECRET_TABLES


class Command(BaseCommand):
    help = "Write every table and every uploaded document to one archive (zip) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archive to write (replaced atomically if it exists).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, **options):
        manifest = backup(file, using=database)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {file}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files. Left out: {', '.join(sorted(SECRET_TABLES))}."))
