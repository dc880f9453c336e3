"""What every kind of backup shares: the tables it covers, their row counts and content
checksums (computed from the stored values, comparable across SQLite and PostgreSQL), the
uploaded files under MEDIA_ROOT, and the checks a restore makes before it touches anything.

The content checksum of a table is computed from the rows as stored (column values in pk order,
normalised: dates in ISO form, datetimes in UTC, JSON with sorted keys).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from citydiplomacy.web.ops.backup_secrets import is_secret

CHUNK = 2000
# Rows that `migrate` itself creates; an otherwise empty database still has them.
GENERATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why and what to do."""


@dataclass
class TableSummary:
    model: str
    table: str
    rows: int
    sha256: str


# --- which tables ------------------------------------------------------------------------------
def concrete_models() -> list:
    """Every managed, concrete model with its own table, auto-created m2m tables included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def serialized_models() -> list:
    """Models written to data/*.json: every table but the secret ones, many-to-many link tables
    as tables of their own (with their row ids), so that a restore reproduces them exactly."""
    return [model for model in concrete_models() if not is_secret(model)]


def local_field_names(model) -> list[str]:
    return [f.name for f in model._meta.local_fields]


# --- checksums ---------------------------------------------------------------------------------
def _canonical(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"cannot checksum {type(value).__name__}")


def table_summary(model, using: str = DEFAULT_DB_ALIAS) -> TableSummary:
    """Row count and content checksum of one table, computed from the stored values."""
    meta = model._meta
    columns = [f.attname for f in meta.concrete_fields]
    digest = hashlib.sha256()
    rows = 0
    queryset = model._base_manager.using(using).order_by(meta.pk.attname).values_list(*columns)
    for row in queryset.iterator(chunk_size=CHUNK):
        digest.update(json.dumps(row, default=_canonical, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
        rows += 1
    return TableSummary(meta.label_lower, meta.db_table, rows, digest.hexdigest())


def database_summary(using: str = DEFAULT_DB_ALIAS) -> dict[str, TableSummary]:
    return {m._meta.label_lower: table_summary(m, using) for m in concrete_models()}


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[Path]:
    root = media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def safe_media_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"Refusing media path {name!r} in the archive (outside the media folder).")
    return path


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    busy = []
    for model in concrete_models():
        if model._meta.label_lower in GENERATED_BY_MIGRATE or is_secret(model):
            continue
        if model._base_manager.using(using).exists():
            busy.append(model._meta.label_lower)
    return busy


def empty_tables(using: str, models: list) -> None:
    connection = connections[using]
    tables = [m._meta.db_table for m in models]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=False,
                                          allow_cascade=True)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
        # transaction; run those checks now, truncate, then defer again for the load.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    connection.ops.execute_sql_flush(statements)


def reset_sequences(using: str, models: list) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def sha256_member(archive: zipfile.ZipFile, member: str) -> str:
    digest = hashlib.sha256()
    with archive.open(member) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore_media(archive: zipfile.ZipFile, manifest: dict) -> None:
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    for name, info in manifest["media"].items():
        relative = safe_media_name(name)
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".restore-", dir=target.parent)
        digest = hashlib.sha256()
        try:
            with os.fdopen(handle, "wb") as out, archive.open(f"media/{name}") as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != info["sha256"]:
                raise BackupError(f"The backup is damaged: media/{name} does not match its checksum.")
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise


def media_summary() -> dict[str, str]:
    root = media_root()
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in media_files()}


def row_counts(models: list, using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """{label: {"model", "table", "rows"}} by SELECT count(*), in the caller's transaction."""
    counts = {}
    with connections[using].cursor() as cursor:
        for model in models:
            meta = model._meta
            cursor.execute(f"SELECT count(*) FROM {connections[using].ops.quote_name(meta.db_table)}")
            counts[meta.label_lower] = {"model": meta.label_lower, "table": meta.db_table,
                                        "rows": cursor.fetchone()[0]}
    return counts


def verify(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Compare row counts (and content checksums, where the manifest has them) with the
    database; the differences, if any."""
    problems = []
    if any("sha256" in saved for saved in manifest["tables"].values()):
        now = {label: {"rows": s.rows, "sha256": s.sha256} for label, s in database_summary(using).items()}
    else:  # an engine's own dump restores content exactly; its counts are checked
        now = row_counts(concrete_models(), using)
    for label, saved in manifest["tables"].items():
        if is_secret(label):  # in archives made before they were left out: not restored
            continue
        current = now.get(label)
        if current is None:
            problems.append(f"{label}: table missing")
        elif current["rows"] != saved["rows"]:
            problems.append(f"{label}: {current['rows']} rows, backup has {saved['rows']}")
        elif "sha256" in saved and current["sha256"] != saved["sha256"]:
            problems.append(f"{label}: content differs")
    for label in set(now) - set(manifest["tables"]):
        if now[label]["rows"] and not is_secret(label):
            problems.append(f"{label}: {now[label]['rows']} rows not in the backup")
    return problems
