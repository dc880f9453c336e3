"""Backup and restore of the registry: one file with the database and every upload.

Archive layout, format 3 (default): the engine's own dump (a SQLite file made with the online
backup API, or `pg_dump -Fc`) is written by the engine straight into the head of the file; a zip
follows it, as a self-extracting archive follows its stub, with offsets counted from the start
of the file (`unzip` and `zipfile` read it). The dump is not copied again; it is read once,
for its CRC-32.
    manifest.json   format, created_at, database vendor, applied migrations, per table its row
                    count (and, in a portable archive, its content checksum); `dump`: the dump's
                    name, length in bytes and CRC-32; per data member its sha256; per media
                    file its size and sha256
    data/...        format 1 (`--portable`, for moving between engines): one JSON file per
                    table (web.ops.backup_portable); format 2 (archives of earlier versions, still
                    restored): the engine's dump as the member `data/database.sqlite3` or
                    `data/database.pgdump`
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
import json
import mmap
import os
import shutil
import tempfile
import zipfile
import zlib
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

FORMAT = 3  # the engine's own dump at the head of the file, the zip after it
FORMAT_ZIPPED_DUMP = 2  # the dump as a zip member (archives of earlier versions)
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
            manifest = _write_native(Path(temp_name), using)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return manifest


def _manifest(format_: int, using: str) -> dict:
    return {"format": format_, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connections[using].vendor, "left_out": sorted(SECRET_TABLES),
            "migrations": [], "tables": {}, "data": {}, "media": {}}


def _write_native(path: Path, using: str) -> dict:
    manifest = _manifest(FORMAT, using)
    vendor = manifest["vendor"]
    manifest["tables"], manifest["migrations"] = backup_engines.dump(vendor, path, using)
    size = path.stat().st_size
    manifest["dump"] = {"name": backup_engines.DUMP_MEMBER[vendor], "bytes": size,
                        "crc32": _crc32_file(path)}
    with open(path, "r+b") as handle:
        handle.seek(size)
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            _write_media(archive, manifest)
    return manifest


def _crc32_file(path: Path) -> str:
    # CRC-32 (zlib, ~3 GB/s), not sha256 (~1 GB/s): it guards against damage, as a zip member's
    # own CRC does; sha256 inside the same archive would not stop a forger either.
    with open(path, "rb") as data, mmap.mmap(data.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return f"{zlib.crc32(view):08x}"


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
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, FORMAT_ZIPPED_DUMP,
                                                                          FORMAT_PORTABLE):
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"Unsupported backup format {found!r}; this version reads formats "
                          f"{FORMAT_PORTABLE} to {FORMAT}.")
    return manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict) -> None:
    """The archive's own checks: every member present and matching its checksum."""
    members = set(archive.namelist())
    for name in manifest["media"]:
        safe_media_name(name)
    expected = {f"media/{name}": info["sha256"] for name, info in manifest["media"].items()}
    for member, checksum in {**manifest["data"], **expected}.items():
        if member not in members:
            raise BackupError(f"The backup is incomplete: {member} is missing.")
        if sha256_member(archive, member) != checksum:
            raise BackupError(f"The backup is damaged: {member} does not match its checksum.")


def _take_dump(path, archive: zipfile.ZipFile, manifest: dict, scratch: Path) -> Path:
    """The engine's dump as a file in `scratch`; format 3: its bytes at the head of the file,
    checked against their length and CRC-32."""
    target = scratch / "dump"
    if manifest["format"] == FORMAT_ZIPPED_DUMP:
        member = backup_engines.DUMP_MEMBER.get(manifest.get("vendor"), "")
        if member not in manifest["data"]:
            raise BackupError("The backup is incomplete: it holds no database dump.")
        with archive.open(member) as data, open(target, "wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
        return target
    head = manifest.get("dump") if isinstance(manifest.get("dump"), dict) else {}
    size = head.get("bytes")
    zip_start = min(info.header_offset for info in archive.infolist())
    if not isinstance(size, int) or size <= 0 or size != zip_start:
        raise BackupError("The backup is incomplete: the database dump at the head of the file "
                          "is missing or cut short.")
    crc, buffer = 0, bytearray(1 << 20)
    with open(path, "rb") as data, open(target, "wb") as out:
        while size and (read := data.readinto(memoryview(buffer)[:min(size, len(buffer))])):
            chunk = memoryview(buffer)[:read]
            crc = zlib.crc32(chunk, crc)
            out.write(chunk)
            size -= read
    if size or f"{crc:08x}" != head.get("crc32"):
        raise BackupError("The backup is damaged: the database dump does not match its checksum.")
    return target


def _check_target(manifest: dict, using: str, force: bool) -> None:
    """The database's checks: same engine (for a dump), same migrations, no rows unless forced."""
    vendor = connections[using].vendor
    if manifest["format"] != FORMAT_PORTABLE and manifest.get("vendor") != vendor:
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
    with archive, tempfile.TemporaryDirectory(prefix=".restore-") as scratch:
        manifest = read_manifest(archive)
        _check_members(archive, manifest)
        portable = manifest["format"] == FORMAT_PORTABLE
        dump = None if portable else _take_dump(path, archive, manifest, Path(scratch))
        _check_target(manifest, using, force)
        if portable:
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
        say(f"the database dump: restoring with the {manifest['vendor']} tool")
        backup_engines.restore(manifest["vendor"], dump, using)
        ContentType.objects.clear_cache()
        mismatches = verify(manifest, using)
        if mismatches:
            raise BackupError("The restored database differs from the backup's row counts: "
                              + "; ".join(mismatches))
        restore_media(archive, manifest)
    return manifest
