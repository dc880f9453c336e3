"""Backup and restore of the registry: one zip archive with the database and every upload.

Archive layout
    manifest.json   format, kind, created_at, database vendor, applied migrations, per table
                    its row count (and, in a portable archive, its content checksum), per data
                    member its sha256, per media file its size and sha256
    data/...        format 2 (default): the engine's own dump, `data/database.sqlite3` (SQLite's
                    online backup API) or `data/database.pgdump` (`pg_dump -Fc`), stored as is;
                    format 1 (`--portable`, for moving between engines): one JSON file per
                    table (web.ops.backup_portable)
    media/<path>    every file under MEDIA_ROOT (uploaded documents)
Tokens and session keys are left out (web.ops.backup_secrets); a restore leaves their tables
empty, so that tokens are issued anew.

Restore loads into a database with exactly the archive's migrations applied. It refuses a
database that holds any row (content types and permissions, which `migrate` creates, do not
count) unless `force=True`. Before it changes anything it checks every member's checksum and
the media paths. An engine dump is restored by the engine's tool in one step (all or nothing)
and the row counts are compared with the manifest; a portable archive is loaded in one
transaction and verified (counts and checksums) before the commit. Uploaded files are written
only after the database, to temporary names renamed into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from citydiplomacy.web.ops import backup_engines, backup_portable
from citydiplomacy.web.ops.backup_secrets import SECRET_TABLES
from citydiplomacy.web.ops.backup_tables import (  # noqa: F401 - the public names of backups
    BackupError,
    TableSummary,
    applied_migrations,
    concrete_models,
    database_summary,
    empty_tables,
    media_files,
    media_root,
    media_summary,
    non_empty_tables,
    reset_sequences,
    restore_media,
    safe_media_name,
    sha256_file,
    sha256_member,
    table_summary,
    verify,
)

FORMAT = 2  # the engine's own dump
FORMAT_PORTABLE = 1  # JSON per table (dumpdata format), between engines
MANIFEST = "manifest.json"
_empty_tables = empty_tables  # the name older tests and tools use


# --- backup ------------------------------------------------------------------------------------
def backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, portable: bool = False) -> dict:
    """Write the archive to `path` (atomically: a temporary file renamed at the end)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".backup-", suffix=".zip", dir=target.parent)
    os.close(handle)
    try:
        if portable:
            manifest = _write_portable(Path(temp_name), using)
        else:
            manifest = _write_native(Path(temp_name), target.parent, using)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return manifest


def _manifest(format_: int, using: str) -> dict:
    return {"format": format_, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connections[using].vendor, "left_out": sorted(SECRET_TABLES),
            "migrations": [], "tables": {}, "data": {}, "media": {}}


def _write_native(path: Path, workdir: Path, using: str) -> dict:
    manifest = _manifest(FORMAT, using)
    vendor = manifest["vendor"]
    member = backup_engines.DUMP_MEMBER.get(vendor, "")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=workdir) as scratch:
        dump = Path(scratch) / Path(member or "dump").name
        manifest["tables"], manifest["migrations"] = backup_engines.dump(vendor, dump, using)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            # stored as is: a pg_dump -Fc file is compressed already; deflating a SQLite file
            # would cost more than the copy itself
            manifest["data"][member] = _store_hashed(archive, dump, member)
            _write_media(archive, manifest)
    return manifest


def _store_hashed(archive: zipfile.ZipFile, source: Path, member: str) -> str:
    """Copy `source` into the archive as is and answer its sha256, reading the file once."""
    digest = hashlib.sha256()
    with open(source, "rb") as data, archive.open(member, "w", force_zip64=True) as out:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _write_portable(path: Path, using: str) -> dict:
    connection = connections[using]
    manifest = _manifest(FORMAT_PORTABLE, using)
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # One consistent snapshot for every table, without blocking writers.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = applied_migrations(using)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            backup_portable.write_tables(archive, manifest, using)
            _write_media(archive, manifest)
    return manifest


def _write_media(archive: zipfile.ZipFile, manifest: dict) -> None:
    root = media_root()
    for file_path in media_files():
        name = file_path.relative_to(root).as_posix()
        archive.write(file_path, f"media/{name}", compress_type=zipfile.ZIP_DEFLATED)
        manifest["media"][name] = {"size": file_path.stat().st_size, "sha256": sha256_file(file_path)}
    archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True),
                     compress_type=zipfile.ZIP_DEFLATED)


# --- restore -----------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError("Not a citydiplomacy backup: the archive has no manifest.json.") from exc
    except ValueError as exc:
        raise BackupError("The backup's manifest.json is damaged (not JSON).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, FORMAT_PORTABLE):
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"Unsupported backup format {found!r}; this version reads formats "
                          f"{FORMAT_PORTABLE} and {FORMAT}.")
    return manifest


def _check_archive(archive: zipfile.ZipFile, manifest: dict, using: str, force: bool) -> None:
    """Every check a restore makes before it changes anything."""
    members = set(archive.namelist())
    for name in manifest["media"]:
        safe_media_name(name)
    expected = {f"media/{name}": info["sha256"] for name, info in manifest["media"].items()}
    for member, checksum in {**manifest["data"], **expected}.items():
        if member not in members:
            raise BackupError(f"The backup is incomplete: {member} is missing.")
        if sha256_member(archive, member) != checksum:
            raise BackupError(f"The backup is damaged: {member} does not match its checksum.")
    vendor = connections[using].vendor
    if manifest["format"] == FORMAT and manifest.get("vendor") != vendor:
        raise BackupError(
            f"This backup is a {manifest.get('vendor')} dump and this database is {vendor}. "
            "To move between engines, make a portable backup (`backup --portable`) and restore that.")
    here = applied_migrations(using)
    if here != manifest["migrations"]:
        saved, current = set(map(tuple, manifest["migrations"])), set(map(tuple, here))
        missing, extra = sorted(saved - current), sorted(current - saved)
        raise BackupError(
            "The database schema differs from the backup's. Migrate an empty database to the "
            "backup's migrations, restore, then migrate forward. "
            f"Missing here: {missing[:5]}{'…' if len(missing) > 5 else ''}; "
            f"not in the backup: {extra[:5]}{'…' if len(extra) > 5 else ''}.")
    busy = non_empty_tables(using)
    if busy and not force:
        raise BackupError(
            f"The database is not empty ({len(busy)} tables hold rows, e.g. {', '.join(busy[:3])}). "
            "Restore into a freshly migrated database, or pass --force to replace everything.")


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
        _check_archive(archive, manifest, using, force)
        if manifest["format"] == FORMAT_PORTABLE:
            with transaction.atomic(using=using):
                empty_tables(using, concrete_models())
                ContentType.objects.clear_cache()
                backup_portable.load_tables(archive, manifest, using, say)
                reset_sequences(using, concrete_models())
                ContentType.objects.clear_cache()
                mismatches = verify(manifest, using)
                if mismatches:
                    raise BackupError("Restored data differ from the backup: " + "; ".join(mismatches))
                restore_media(archive, manifest)
            return manifest
        member = backup_engines.DUMP_MEMBER[manifest["vendor"]]
        with tempfile.TemporaryDirectory(prefix=".restore-") as scratch:
            dump = Path(archive.extract(member, scratch))
            say(f"{member}: restoring with the {manifest['vendor']} tool")
            backup_engines.restore(manifest["vendor"], dump, using)
        ContentType.objects.clear_cache()
        mismatches = verify(manifest, using)
        if mismatches:
            raise BackupError("The restored database differs from the backup's row counts: "
                              + "; ".join(mismatches))
        restore_media(archive, manifest)
    return manifest
