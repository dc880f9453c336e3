"""`citydiplomacy backup` / `restore`: every table and every upload comes back identical.

The in-process tests run on the suite's database (SQLite, or PostgreSQL when DATABASE_URL
points there), with the engine's own dump and with the portable (JSON) archive: back up, empty
the database, restore, then compare row counts and content checksums table by table and the
uploaded files byte by byte. They commit (transaction=True): pg_dump and pg_restore are other
sessions. The end-to-end test runs the real commands against a separate, freshly migrated
empty database (a SQLite file; plus a PostgreSQL database, and SQLite → PostgreSQL through a
portable archive, when the suite runs on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from citydiplomacy.agreements import services
from citydiplomacy.agreements.models import Activity, Agreement, Document
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.web.ops import backup as ops
from citydiplomacy.web.ops.backup_secrets import is_secret
from tests.conftest import POSTGRES_SERVER_URL, copy_sqlite, create_postgres_copy
from tests.sample_files import MINIMAL_PDF

PDF = MINIMAL_PDF
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registry(users, istanbul, media):
    """A small registry touching every kind of column: dates, datetimes with microseconds,
    JSON, history rows, many-to-many links, an uploaded document, non-ASCII text."""
    from django.contrib.auth.models import Group, Permission

    officer = users["officer"]
    group = Group.objects.create(name="İzleyiciler <b>")
    group.permissions.add(*Permission.objects.all()[:3])
    officer.groups.add(group)
    partner = LocalGovernment.objects.create(name="Şuşa / Shusha", kind="municipality",
                                             country_code="AZ", latitude=39.76, longitude=46.75)
    agreement = services.create_agreement(
        actor=officer, instrument="twinning", partner=partner, title="Kardeş şehir — “Şuşa”",
        areas=["culture_arts", "education_youth"], notes="<script>alert(1)</script>")
    agreement = services.update_agreement(agreement, actor=officer, version=agreement.version,
                                          term_years=5)
    services.add_document(actor=officer, agreement=agreement,
                          upload=SimpleUploadedFile("karar ü.pdf", PDF), kind="council_decision")
    services.create_activity(actor=officer, kind="incoming_delegation", title="Heyet ziyareti",
                             starts_on=dt.date(2024, 5, 1), partner=partner)
    return agreement


def _media_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _wipe(media: Path) -> None:
    ops._empty_tables("default", ops.concrete_models())
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("portable", [False, True], ids=["engine-dump", "portable"])
def test_restore_gives_back_every_table_and_file(registry, media, tmp_path, portable):
    before = ops.database_summary()
    files = _media_tree(media)
    assert files and Document.objects.count() == 1
    assert before["agreements.historicalagreement"].rows >= 2
    assert before["accounts.user_groups"].rows == 1  # m2m tables are counted and checked too

    archive = tmp_path / "registry.zip"
    call_command("backup", str(archive), *(["--portable"] if portable else []))
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["format"] == (1 if portable else 3)
    assert {label: t["rows"] for label, t in manifest["tables"].items()} == \
        {label: s.rows for label, s in before.items() if not is_secret(label)}  # tokens, sessions: never

    _wipe(media)
    assert ops.non_empty_tables() == [] and not _media_tree(media)
    call_command("restore", str(archive))

    after = ops.database_summary()
    for label, summary in before.items():
        assert (after[label].rows, after[label].sha256) == (summary.rows, summary.sha256), label
    assert _media_tree(media) == files
    restored = Agreement.objects.get(pk=registry.pk)
    assert restored.version == registry.version == 2 and restored.areas == ["culture_arts", "education_youth"]
    assert Document.objects.get().file.read() == PDF
    assert Activity.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_restore_get_fresh_ids(registry, media, tmp_path, users):
    archive = tmp_path / "registry.zip"
    call_command("backup", str(archive))
    _wipe(media)
    call_command("restore", str(archive))
    newer = LocalGovernment.objects.create(name="Kotor", kind="municipality", country_code="ME")
    assert newer.pk > max(LocalGovernment.objects.exclude(pk=newer.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data_unless_forced(registry, media, tmp_path):
    archive = tmp_path / "registry.zip"
    call_command("backup", str(archive))
    LocalGovernment.objects.create(name="Added after the backup", kind="municipality", country_code="NL")
    before = ops.database_summary()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert ops.database_summary() == before
    call_command("restore", str(archive), force=True)
    assert not LocalGovernment.objects.filter(name="Added after the backup").exists()
    assert ops.verify(json.loads(zipfile.ZipFile(archive).read("manifest.json"))) == []


HEAD = "<the bytes before the zip: the engine's dump>"


def _rewrite(archive: Path, target: Path, change) -> None:
    with zipfile.ZipFile(archive) as src:
        members = {name: src.read(name) for name in src.namelist()}
        head_length = min(info.header_offset for info in src.infolist())
    members[HEAD] = archive.read_bytes()[:head_length]
    members = change(members)
    target.write_bytes(members.pop(HEAD, b""))
    with open(target, "r+b") as out:
        out.seek(0, os.SEEK_END)
        with zipfile.ZipFile(out, "w") as dst:
            for name, data in members.items():
                dst.writestr(name, data)


@pytest.mark.django_db(transaction=True)
def test_an_archive_of_format_2_still_restores(registry, media, tmp_path):
    """Format 2 (before the dump moved to the head of the file) kept it as a zip member."""
    archive, older = tmp_path / "registry.zip", tmp_path / "format2.zip"
    call_command("backup", str(archive))
    before = ops.database_summary()

    def as_format_2(members):
        manifest = json.loads(members["manifest.json"])
        member = {"sqlite": "data/database.sqlite3", "postgresql": "data/database.pgdump"}[manifest["vendor"]]
        members[member] = members.pop(HEAD)
        manifest.update(format=2, data={member: hashlib.sha256(members[member]).hexdigest()})
        del manifest["dump"]
        members["manifest.json"] = json.dumps(manifest).encode()
        return members

    _rewrite(archive, older, as_format_2)
    with zipfile.ZipFile(older) as check:
        assert min(info.header_offset for info in check.infolist()) == 0
    _wipe(media)
    call_command("restore", str(older), force=True)
    assert ops.database_summary() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage, message", [
    ("vendor", "make a portable backup"),
    ("data", "does not match its checksum"),
    ("missing", "is missing"),
    ("traversal", "outside the media folder"),
    ("media", "does not match its checksum"),
    ("schema", "schema differs"),
    ("manifest", "no manifest"),
    ("not_zip", "Cannot open"),
])
def test_damaged_or_hostile_archives_change_nothing(registry, media, tmp_path, damage, message):
    archive = tmp_path / "registry.zip"
    call_command("backup", str(archive))
    bad = tmp_path / "bad.zip"

    def change(members):
        manifest = json.loads(members["manifest.json"])
        dump = members[HEAD]
        if damage == "data":
            middle = len(dump) // 2
            members[HEAD] = dump[:middle] + bytes([dump[middle] ^ 1]) + dump[middle + 1:]
        elif damage == "missing":
            del members[HEAD]
        elif damage == "vendor":
            manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"
        elif damage == "traversal":
            manifest["media"]["../../etc/evil.sh"] = {"size": 1, "sha256": "0" * 64}
            members["media/../../etc/evil.sh"] = b"x"
        elif damage == "media":
            name = next(iter(manifest["media"]))
            members[f"media/{name}"] = b"%PDF-1.4 tampered"
        elif damage == "schema":
            manifest["migrations"].append(["agreements", "9999_from_the_future"])
        elif damage == "manifest":
            del members["manifest.json"]
            return members
        members["manifest.json"] = json.dumps(manifest).encode()
        return members

    if damage == "not_zip":
        bad.write_bytes(b"PK\x03\x04 truncated")
    else:
        _rewrite(archive, bad, change)
    _wipe(media)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad))
    assert ops.non_empty_tables() == []
    assert not _media_tree(media)
    assert not (tmp_path / "etc").exists()


# --- end to end: the real commands, a separate freshly migrated database --------------------
def _cli(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "citydiplomacy.cli", *args], env=env, cwd=ROOT,
                            check=False, capture_output=True, text=True, timeout=240)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


SUMMARY_SCRIPT = """
import json
from django.core.management import call_command
from citydiplomacy.web.ops.backup import database_summary, media_summary
try:  # a second restore into the now non-empty database must be refused
    call_command("restore", ARCHIVE)
    refused = ""
except Exception as exc:
    refused = str(exc)
print(json.dumps({"tables": {k: [v.rows, v.sha256] for k, v in database_summary().items()},
                  "media": media_summary(), "refused": refused}))
"""
POPULATE_SCRIPT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
call_command("demo", skip_data=True)
from citydiplomacy.accounts.models import User
from citydiplomacy.agreements import services
from citydiplomacy.governments.models import LocalGovernment
officer = User.objects.get(username="ibb-officer")
partner = LocalGovernment.objects.create(name="Münster", kind="municipality", country_code="DE")
agreement = services.create_agreement(actor=officer, instrument="twinning", partner=partner,
                                      title="Kardeş şehir Münster", areas=["culture_arts"])
services.add_document(actor=officer, agreement=agreement,
                      upload=SimpleUploadedFile("protokol.pdf", PDF_BYTES), kind="other")
""".replace("PDF_BYTES", repr(PDF))


def _summary(env: dict, archive: Path) -> dict:
    script = SUMMARY_SCRIPT.replace("ARCHIVE", repr(str(archive)))
    return json.loads(_cli(env, "shell", "-c", script).stdout.strip().splitlines()[-1])


def _pg_databases(template: str) -> tuple[list[str], list[str]]:
    """Two databases, each a copy of the run's migrated one (the same empty schema as a migrate):
    their names and URLs."""
    suffix = uuid.uuid4().hex[:8]
    names = [f"cd_backup_src_{suffix}", f"cd_backup_dst_{suffix}"]
    return names, [create_postgres_copy(template, name) for name in names]


def _backends() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return ["sqlite", "postgresql", "sqlite-to-postgresql"]
    return ["sqlite"]


@pytest.mark.parametrize("backend", _backends())
def test_backup_then_restore_into_a_fresh_database(tmp_path, backend, migrated_sqlite, request):
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(DEBUG="1", PYTHONPATH=str(ROOT / "src"), CITYDIPLOMACY_DEMO_PASSWORD="e2e-Password-1234")
    source = dict(base, CITYDIPLOMACY_VAR_DIR=str(tmp_path / "source"))
    target = dict(base, CITYDIPLOMACY_VAR_DIR=str(tmp_path / "target"))
    cleanup = None
    if backend != "sqlite":
        names, urls = _pg_databases(request.getfixturevalue("migrated_postgres"))
        target["DATABASE_URL"] = urls[1]
        if backend == "postgresql":
            source["DATABASE_URL"] = urls[0]
        cleanup = names
    try:  # the same empty schema as a migrate gives, without paying for one each time
        for env in (source, target):
            Path(env["CITYDIPLOMACY_VAR_DIR"]).mkdir(exist_ok=True)
        if "DATABASE_URL" not in source:
            copy_sqlite(migrated_sqlite, tmp_path / "source")
        if backend == "sqlite":
            copy_sqlite(migrated_sqlite, tmp_path / "target")
        _cli(source, "shell", "-c", POPULATE_SCRIPT)
        archive = tmp_path / "registry.zip"
        original = _summary(source, tmp_path / "absent.zip")
        _cli(source, "backup", str(archive), *(["--portable"] if "-to-" in backend else []))
        saved = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
        assert saved["tables"]["agreements.agreement"]["rows"] == 1
        assert saved["tables"]["accounts.user"]["rows"] == 7  # the demo users, with ministry

        result = _cli(target, "restore", str(archive))
        assert "checksums verified" in result.stdout
        restored = _summary(target, archive)
        assert restored["refused"] and "not empty" in restored["refused"]
        assert restored["media"] == {name: info["sha256"] for name, info in saved["media"].items()}
        assert len(restored["media"]) == 1 and restored["media"] == original["media"]
        for table, summary in original["tables"].items():
            if table in saved["tables"]:  # every table but the secret ones (empty here anyway)
                assert restored["tables"][table] == summary, table
    finally:
        if cleanup:
            import psycopg

            with psycopg.connect(POSTGRES_SERVER_URL, autocommit=True) as conn:
                for name in cleanup:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
