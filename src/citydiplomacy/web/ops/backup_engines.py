"""Each engine's own tool, as the backup uses it (web.ops.backup):

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database page by
  page into a file, in one consistent read; in that copy the secret tables are emptied with
  `secure_delete` on, so their former content is overwritten, not left in free pages. A restore
  copies the file back into the live database with the same API (one step: all or nothing).
- PostgreSQL: `pg_dump -Fc` of the database, without the rows of the secret tables
  (`--exclude-table-data`); the row counts are read in the very snapshot pg_dump dumps
  (`pg_export_snapshot` + `--snapshot`). A restore is `pg_restore --clean --single-transaction`:
  it replaces every table in one transaction, so that it fails whole or not at all.

The PostgreSQL client tools are taken from `CITYDIPLOMACY_PG_BIN` (a directory) if set, else from
Debian's /usr/lib/postgresql/<server major version>/bin, else from PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from citydiplomacy.web.ops.backup_secrets import SECRET_TABLES
from citydiplomacy.web.ops.backup_tables import (
    BackupError,
    applied_migrations,
    concrete_models,
    row_counts,
    serialized_models,
)

DUMP_MEMBER = {"sqlite": "data/database.sqlite3", "postgresql": "data/database.pgdump"}
TOOL_TIMEOUT = 6 * 3600


def _secret_tables() -> list[str]:
    return [m._meta.db_table for m in concrete_models() if m._meta.label_lower in SECRET_TABLES]


# --- SQLite ------------------------------------------------------------------------------------
def sqlite_dump(target: Path, using: str) -> tuple[dict, list]:
    """Copy the live database into `target`; answers (row counts, applied migrations) of the copy."""
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("PRAGMA secure_delete=ON")
        copy.execute("BEGIN")
        for table in _secret_tables():
            copy.execute(f'DELETE FROM "{table}"')
        copy.execute("COMMIT")
        counts = {}
        for model in serialized_models():
            meta = model._meta
            rows = copy.execute(f'SELECT count(*) FROM "{meta.db_table}"').fetchone()[0]
            counts[meta.label_lower] = {"model": meta.label_lower, "table": meta.db_table, "rows": rows}
        migrations = sorted([app, name] for app, name in
                            copy.execute("SELECT app, name FROM django_migrations"))
    finally:
        copy.close()
    return counts, migrations


def sqlite_restore(source: Path, using: str) -> None:
    """Replace the live database's content with the file's (one backup step: all or nothing)."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A SQLite restore cannot run inside a transaction.")
    connection.ensure_connection()
    original = sqlite3.connect(source)
    try:
        original.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not restore the database: {exc}") from exc
    finally:
        original.close()


# --- PostgreSQL --------------------------------------------------------------------------------
def pg_tool(name: str, using: str) -> str:
    """The path of pg_dump / pg_restore, matching the server's major version where possible."""
    configured = getattr(settings, "CITYDIPLOMACY_PG_BIN", "") or os.environ.get("CITYDIPLOMACY_PG_BIN", "")
    candidates = [Path(configured) / name] if configured else []
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"{name} (PostgreSQL {major} client tools) was not found: install "
                      f"postgresql-client-{major} or set CITYDIPLOMACY_PG_BIN to its directory.")


def _pg_env(using: str) -> tuple[dict, str]:
    params = connections[using].settings_dict
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return env, params["NAME"]


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({Path(command[0]).name} exit {result.returncode}): "
                          f"{result.stderr.strip()[-800:]}")


def postgres_dump(target: Path, using: str) -> tuple[dict, list]:
    """pg_dump -Fc into `target`; answers (row counts, applied migrations) of the dumped snapshot."""
    connection = connections[using]
    tool = pg_tool("pg_dump", using)
    env, name = _pg_env(using)
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(serialized_models(), using)
        migrations = applied_migrations(using)
        command = [tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                   f"--file={target}"]
        command += [f"--exclude-table-data={table}" for table in _secret_tables()]
        _run(command + [name], env, "pg_dump")
    return counts, migrations


def postgres_restore(source: Path, using: str) -> None:
    """Replace every table with the dump's, in one transaction (pg_restore --clean)."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A PostgreSQL restore cannot run inside a transaction.")
    tool = pg_tool("pg_restore", using)
    env, name = _pg_env(using)
    _run([tool, "--list", str(source)], env, "Reading the dump")
    connection.close()  # no session of ours holds a lock on the tables pg_restore drops
    _run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={name}", str(source)], env, "pg_restore")


def dump(vendor: str, target: Path, using: str) -> tuple[dict, list]:
    if vendor == "sqlite":
        return sqlite_dump(target, using)
    if vendor == "postgresql":
        return postgres_dump(target, using)
    raise BackupError(f"No native backup for {vendor}; use --portable.")


def restore(vendor: str, source: Path, using: str) -> None:
    if vendor == "sqlite":
        sqlite_restore(source, using)
    elif vendor == "postgresql":
        postgres_restore(source, using)
    else:
        raise BackupError(f"No native restore for {vendor}; use a --portable backup.")
