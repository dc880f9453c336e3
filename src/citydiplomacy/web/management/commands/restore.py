"""`citydiplomacy restore FILE`: load a backup into an empty, migrated database (--force: replace)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.web.ops.backup import BackupError, restore
from citydiplomacy.web.ops.backup_secrets import RESTORE_NOTE


class Command(BaseCommand):
    # As for backup: the system checks (URLs, templates, admin) do not bear on the data.
    requires_system_checks = []
    help = ("Restore a backup made by `citydiplomacy backup` into a freshly migrated database; "
            "the archive's checksums are checked first and the row counts afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")
        parser.add_argument("--force", action="store_true",
                            help="Empty a database that already holds data, then restore.")

    def handle(self, *args, file, database, force, **options):
        verbose = options.get("verbosity", 1) > 1
        try:
            manifest = restore(file, using=database, force=force,
                               progress=self.stdout.write if verbose else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored {file}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files; checksums verified, row counts match."))
        self.stdout.write(RESTORE_NOTE)
