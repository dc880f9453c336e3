"""`citydiplomacy backup FILE`: the whole registry in one file (the engine's own dump, then a zip
of the manifest and uploaded documents); `--portable` writes a zip of JSON per table instead, for
moving between SQLite and PostgreSQL."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from citydiplomacy.web.ops.backup import backup
from citydiplomacy.web.ops.backup_secrets import SECRET_TABLES


class Command(BaseCommand):
    # A backup must run even when a setting breaks a system check (as pg_dump would), and the
    # checks (URLs, templates, admin) cost twice the backup itself on the demo registry.
    requires_system_checks = []
    help = ("Write the database (SQLite backup API or pg_dump; --portable: JSON per table) and "
            "every uploaded document to one archive (zip) with a manifest.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archive to write (replaced atomically if it exists).")
        parser.add_argument("--database", default="default")
        parser.add_argument("--portable", action="store_true",
                            help="JSON per table (slow), to restore into another database engine.")

    def handle(self, *args, file, database, portable=False, **options):
        manifest = backup(file, using=database, portable=portable)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {file}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files. Left out: {', '.join(sorted(SECRET_TABLES))}."))
