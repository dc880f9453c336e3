"""SIGKILL in the middle of import-pairs leaves whole batches only (exactly the DB of an
import of the rows committed so far), and a rerun gives exactly the DB of an uninterrupted
run. Runs the real CLI in subprocesses (the pause comes from tests/places/slow_import.py), on
SQLite files of its own and, when POSTGRES_URL is set, on PostgreSQL databases of its own."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from citydiplomacy.cli import main; main()"]
SLOW_CLI = [sys.executable, str(Path(__file__).with_name("slow_import.py"))]
BATCH = "200"
WORLD = ROOT / "data" / "twincities" / "twin_cities_raw.csv"


def _env(var_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(var_dir), CITYDIPLOMACY_IMPORT_BATCH_ROWS=BATCH,
               **extra)
    url_file = var_dir / "DATABASE_URL"
    if url_file.exists():
        env["DATABASE_URL"] = url_file.read_text()
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _drop_databases(*var_dirs: Path) -> None:
    import psycopg

    with psycopg.connect(os.environ["POSTGRES_URL"], autocommit=True) as con:
        for var_dir in var_dirs:
            url_file = var_dir / "DATABASE_URL"
            if url_file.exists():
                name = url_file.read_text().rsplit("/", 1)[1]
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare(var_dir: Path, backend: str, template: Path | None = None,
             migrated: Path | str | None = None) -> None:
    """A migrated database with a small gazetteer for `var_dir`: built by the real CLI (from a
    copy of `migrated`, if given: a migrated SQLite file, or the name of a migrated PostgreSQL
    database), or copied from `template` (a var dir prepared so before: the SQLite file, or on
    PostgreSQL a CREATE DATABASE ... TEMPLATE of its database) to pay for the build once."""
    var_dir.mkdir()
    if backend == "postgres":  # a fresh database per side on the CI server
        import psycopg

        base = os.environ["POSTGRES_URL"]
        name = f"cd_kill_{var_dir.name}_{os.getpid()}"
        copy = f' TEMPLATE "{migrated}"' if migrated else ""
        if template is not None:
            copy = f' TEMPLATE "{(template / "DATABASE_URL").read_text().rsplit("/", 1)[1]}"'
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"{copy}')
        (var_dir / "DATABASE_URL").write_text(base.rsplit("/", 1)[0] + "/" + name)
    elif template is not None:
        for path in template.glob("citydiplomacy.sqlite3*"):  # with a -wal file if one was left
            shutil.copyfile(path, var_dir / path.name)
    if template is not None:
        return
    steps = [["load-gazetteer", "--no-progress", "--countries", "NL,TR,DE,FR,IT,AL,GB",
              "--min-population", "20000"]]
    if backend == "sqlite" and migrated is not None:
        copy_sqlite(migrated, var_dir)
    elif migrated is None:
        steps.insert(0, ["migrate", "-v0"])
    for args in steps:
        subprocess.run(CLI + args, env=_env(var_dir), check=True, capture_output=True, timeout=300)


def _dump(var_dir: Path) -> tuple:
    url_file = var_dir / "DATABASE_URL"
    if url_file.exists():
        import psycopg

        con = psycopg.connect(url_file.read_text())
    else:
        con = sqlite3.connect(var_dir / "citydiplomacy.sqlite3")
    try:
        govs = con.execute(
            "SELECT id, name, country_code, geonameid, region_code, is_unresolved, raw_name,"
            " raw_country, parent_id FROM governments_localgovernment ORDER BY id").fetchall()
        ties = con.execute(
            "SELECT id, low_id, high_id, source, kind FROM places_reportedtie ORDER BY id").fetchall()
        batches = con.execute(
            "SELECT source, sha256, rows_read, ties_created FROM places_importbatch").fetchall()
        progress = con.execute(
            "SELECT rows_done, finished FROM places_importbatch ORDER BY id").fetchall()
    finally:
        con.close()
    return govs, ties, batches, progress


def _natural(dump: tuple) -> tuple:
    """The dump with surrogate ids replaced by the rows they point to (PostgreSQL sequences
    are not transactional: a killed transaction's ids are never handed out again)."""
    govs, ties, batches = dump[:3]
    by_id = {g[0]: g[1:8] for g in govs}
    return (sorted((*g[1:8], by_id.get(g[8])) for g in govs),
            sorted((by_id[t[1]], by_id[t[2]], t[3], t[4]) for t in ties), sorted(batches))


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs once, in the SQLite pass, on databases of its own (both backends)")
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_sigkill_midway_then_rerun_equals_uninterrupted(tmp_path, backend, request):
    if backend == "postgres" and not os.environ.get("POSTGRES_URL"):
        if os.environ.get("REQUIRE_POSTGRES", "") in ("1", "true", "yes"):
            pytest.fail("REQUIRE_POSTGRES=1 but POSTGRES_URL is not set")
        pytest.skip("POSTGRES_URL not set")
    source = tmp_path / "pairs.csv"
    source.write_text("".join(WORLD.read_text(encoding="utf-8").splitlines(True)[:1000]),
                      encoding="utf-8")
    clean, killed, prefix = tmp_path / "clean", tmp_path / "killed", tmp_path / "prefix"
    if backend == "postgres":
        request.addfinalizer(lambda: _drop_databases(clean, killed, prefix))
    if backend == "sqlite":
        template = request.getfixturevalue("prepared_sqlite")
    else:
        _prepare(clean, backend, migrated=request.getfixturevalue("migrated_postgres"))
        template = clean
    for var_dir in (clean, killed, prefix):
        if var_dir != template:
            _prepare(var_dir, backend, template)
    subprocess.run(CLI + ["import-pairs", str(source)], env=_env(clean), check=True,
                   capture_output=True, timeout=300)

    # the 1,400th name looked up: row 700 of 999, inside the fourth batch of 200
    proc = subprocess.Popen(SLOW_CLI + ["import-pairs", str(source)],
                            env=_env(killed, SLOW_IMPORT_PAUSE_AT_CALL="1400"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:  # wait until the import is inside a batch transaction
            if line.strip() == "PAUSED":
                break
        assert proc.poll() is None, proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    govs, ties, _batches, progress = _dump(killed)
    [(rows_done, finished)] = progress
    assert not finished and rows_done == 600 and ties  # three whole batches, no half one
    # nothing half-written: the database is exactly that of an import of the committed rows
    lines = source.read_text(encoding="utf-8").splitlines(True)
    first_rows = tmp_path / "first_rows.csv"
    first_rows.write_text("".join(lines[:1 + rows_done]), encoding="utf-8")
    subprocess.run(CLI + ["import-pairs", str(first_rows), "--source", source.name],
                   env=_env(prefix), check=True, capture_output=True, timeout=300)
    committed = _dump(prefix)
    if backend == "sqlite":
        assert (govs, ties) == committed[:2]  # ids included
    else:
        assert _natural((govs, ties, []))[:2] == _natural(committed)[:2]

    expected = _dump(clean)
    for _ in range(2):  # the rerun completes the import; a further run changes nothing
        run = subprocess.run(CLI + ["import-pairs", str(source)], env=_env(killed), check=True,
                             capture_output=True, timeout=300, text=True)
        if backend == "sqlite":
            assert _dump(killed) == expected  # ids included
        else:
            assert _natural(_dump(killed)) == _natural(expected)
        assert _dump(killed)[3] == [(999, True)]
    assert "Resumed" not in run.stdout
