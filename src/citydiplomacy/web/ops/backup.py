"""Backup and restore of the registry: one zip archive with every table and every upload.

Archive layout (format 1)
    manifest.json                 format, created_at, database vendor, applied migrations,
                                  per table: model, db_table, rows, sha256 (content checksum),
                                  per data member: its sha256; per media file: size, sha256
    data/<app_label>.<model>.json Django JSON serialization (dumpdata format), rows in pk order;
                                  many-to-many link tables are tables of their own here
    media/<path>                  every file under MEDIA_ROOT (uploaded documents)
Tokens and session keys are left out (web.ops.backup_secrets); a restore empties their tables.

The content checksum of a table is computed from the rows as stored (column values in pk order,
normalised: dates in ISO form, datetimes in UTC, JSON with sorted keys), so a restored database
can be compared table by table with the one that was saved, across SQLite and PostgreSQL.

Restore loads into a migrated database with exactly the archive's migrations applied. It refuses
a database that holds any row (content types and permissions, which `migrate` creates, do not
count) unless `force=True`, which empties it first. Everything is loaded in one transaction and
verified (row counts and checksums) before the commit; uploaded files are written only after the
database verified, to temporary names renamed into place.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from citydiplomacy.web.ops.backup_secrets import is_secret

FORMAT = 1
MANIFEST = "manifest.json"
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


def _local_field_names(model) -> list[str]:
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


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[Path]:
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup ------------------------------------------------------------------------------------
def backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `path` (atomically: a temporary file renamed at the end)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    handle, temp_name = tempfile.mkstemp(prefix=".backup-", suffix=".zip", dir=target.parent)
    os.close(handle)
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # One consistent snapshot for every table, without blocking writers.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest = _write_archive(Path(temp_name), using)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return manifest


def _write_archive(path: Path, using: str) -> dict:
    connection = connections[using]
    manifest: dict = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "vendor": connection.vendor,
        "migrations": applied_migrations(using),
        "tables": {},
        "data": {},
        "media": {},
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for model in serialized_models():
            label = model._meta.label_lower
            member = f"data/{label}.json"
            digest = _HashingWriter()
            with archive.open(member, "w", force_zip64=True) as raw:
                digest.target = raw
                text = io.TextIOWrapper(digest, encoding="utf-8", write_through=True)
                queryset = model._base_manager.using(using).order_by(model._meta.pk.attname)
                serializers.serialize("json", queryset.iterator(chunk_size=CHUNK), stream=text,
                                      cls=ExactJSONEncoder, fields=_local_field_names(model))
                text.flush()
                text.detach()
            manifest["data"][member] = digest.hexdigest()
        for model in serialized_models():
            summary = table_summary(model, using)
            manifest["tables"][summary.model] = summary.__dict__
        root = _media_root()
        for file_path in media_files():
            name = file_path.relative_to(root).as_posix()
            archive.write(file_path, f"media/{name}")
            manifest["media"][name] = {"size": file_path.stat().st_size,
                                       "sha256": _sha256_file(file_path)}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds (ECMA-262); a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


class _HashingWriter(io.RawIOBase):
    """A binary sink that hashes what passes through to `target`."""

    def __init__(self):
        super().__init__()
        self._digest = hashlib.sha256()
        self.target = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._digest.update(data)
        self.target.write(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


# --- restore -----------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError("Not a citydiplomacy backup: the archive has no manifest.json.") from exc
    except ValueError as exc:
        raise BackupError("The backup's manifest.json is damaged (not JSON).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Unsupported backup format {manifest.get('format')!r}; "
                          f"this version reads format {FORMAT}.")
    return manifest


def _safe_media_name(name: str) -> PurePosixPath:
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


def _empty_tables(using: str, models: list) -> None:
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


def _reset_sequences(using: str, models: list) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, force: bool = False,
            progress=None) -> dict:
    """Load the archive into this (migrated, empty) database and its media folder."""
    from django.contrib.contenttypes.models import ContentType

    say = progress or (lambda message: None)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"Cannot open the backup {os.fspath(path)!r}: {exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        members = set(archive.namelist())
        for name in manifest["media"]:
            _safe_media_name(name)
        for member, checksum in manifest["data"].items():
            if member not in members:
                raise BackupError(f"The backup is incomplete: {member} is missing.")
            if _sha256_member(archive, member) != checksum:
                raise BackupError(f"The backup is damaged: {member} does not match its checksum.")

        here = applied_migrations(using)
        if here != manifest["migrations"]:
            saved, current = set(map(tuple, manifest["migrations"])), set(map(tuple, here))
            missing, extra = sorted(saved - current), sorted(current - saved)
            raise BackupError(
                "The database schema differs from the backup's. Migrate an empty database to the "
                "backup's migrations, restore, then migrate forward. "
                f"Missing here: {missing[:5]}{'…' if len(missing) > 5 else ''}; "
                f"not in the backup: {extra[:5]}{'…' if len(extra) > 5 else ''}.")

        models = concrete_models()
        busy = non_empty_tables(using)
        if busy and not force:
            raise BackupError(
                f"The database is not empty ({len(busy)} tables hold rows, e.g. {', '.join(busy[:3])}). "
                "Restore into a freshly migrated database, or pass --force to replace everything.")

        with transaction.atomic(using=using):
            _empty_tables(using, models)
            ContentType.objects.clear_cache()
            for model in serialized_models():
                member = f"data/{model._meta.label_lower}.json"
                if member not in manifest["data"]:
                    continue
                count = _load_member(archive, member, using)
                say(f"{model._meta.label_lower}: {count} rows")
            _reset_sequences(using, models)
            ContentType.objects.clear_cache()
            mismatches = verify(manifest, using)
            if mismatches:
                raise BackupError("Restored data differ from the backup: " + "; ".join(mismatches))
            _restore_media(archive, manifest)
    return manifest


def _sha256_member(archive: zipfile.ZipFile, member: str) -> str:
    digest = hashlib.sha256()
    with archive.open(member) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_member(archive: zipfile.ZipFile, member: str, using: str) -> int:
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        objects = serializers.deserialize("json", text, using=using, ignorenonexistent=False)
        batch = []
        count = 0
        for item in objects:
            count += 1
            model = type(item.object)
            if item.m2m_data or model._meta.parents:
                item.save(using=using)  # raw save: no auto_now, no history record, no signals
                continue
            batch.append(item.object)
            if len(batch) >= CHUNK:
                _raw_insert(batch, using)
                batch = []
        if batch:
            _raw_insert(batch, using)
    return count


def _raw_insert(objects: list, using: str) -> None:
    """INSERT the rows exactly as given (raw: auto_now/auto_now_add do not overwrite them)."""
    model = type(objects[0])
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connections[using].ops.bulk_batch_size(fields, objects))
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start:start + size], fields=fields, raw=True, using=using)


def verify(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Compare row counts and content checksums with the manifest; the differences, if any."""
    problems = []
    now = database_summary(using)
    for label, saved in manifest["tables"].items():
        if is_secret(label):  # in archives made before they were left out: not restored
            continue
        current = now.get(label)
        if current is None:
            problems.append(f"{label}: table missing")
        elif current.rows != saved["rows"]:
            problems.append(f"{label}: {current.rows} rows, backup has {saved['rows']}")
        elif current.sha256 != saved["sha256"]:
            problems.append(f"{label}: content differs")
    for label in set(now) - set(manifest["tables"]):
        if now[label].rows:
            problems.append(f"{label}: {now[label].rows} rows not in the backup")
    return problems


def _restore_media(archive: zipfile.ZipFile, manifest: dict) -> None:
    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    for name, info in manifest["media"].items():
        relative = _safe_media_name(name)
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
    root = _media_root()
    return {p.relative_to(root).as_posix(): _sha256_file(p) for p in media_files()}
