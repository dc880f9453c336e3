"""SIGKILL in the middle of import-pairs, then a rerun, gives exactly the DB of an
uninterrupted run (one transaction per file). Runs the real CLI in subprocesses, on SQLite
files of its own and, when POSTGRES_URL is set, on PostgreSQL databases of its own."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from citydiplomacy.cli import main; main()"]
WORLD = ROOT / "data" / "twincities" / "twin_cities_raw.csv"


def _env(var_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(var_dir), **extra)
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


def _prepare(var_dir: Path, backend: str) -> None:
    var_dir.mkdir()
    if backend == "postgres":  # a fresh database per side on the CI server
        import psycopg

        base = os.environ["POSTGRES_URL"]
        name = f"cd_kill_{var_dir.name}_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
        (var_dir / "DATABASE_URL").write_text(base.rsplit("/", 1)[0] + "/" + name)
    for args in (["migrate", "-v0"],
                 ["load-gazetteer", "--no-progress", "--countries", "NL,TR,DE,FR,IT,AL,GB",
                  "--min-population", "20000"]):
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
    finally:
        con.close()
    return govs, ties, batches


def _natural(dump: tuple) -> tuple:
    """The dump with surrogate ids replaced by the rows they point to (PostgreSQL sequences
    are not transactional: a killed transaction's ids are never handed out again)."""
    govs, ties, batches = dump
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
    source.write_text("".join(WORLD.read_text(encoding="utf-8").splitlines(True)[:2500]),
                      encoding="utf-8")
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    if backend == "postgres":
        request.addfinalizer(lambda: _drop_databases(clean, killed))
    _prepare(clean, backend)
    _prepare(killed, backend)
    subprocess.run(CLI + ["import-pairs", str(source)], env=_env(clean), check=True,
                   capture_output=True, timeout=300)

    proc = subprocess.Popen(CLI + ["import-pairs", str(source)],
                            env=_env(killed, CITYDIPLOMACY_IMPORT_PAUSE_AT_ROW="1500"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:  # wait until the import is inside its transaction
            if line.strip() == "PAUSED":
                break
        assert proc.poll() is None, proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    govs, ties, batches = _dump(killed)
    assert govs == [] and ties == [] and batches == []  # nothing half-written

    expected = _dump(clean)
    for _ in range(2):  # the rerun completes the import; a further run changes nothing
        subprocess.run(CLI + ["import-pairs", str(source)], env=_env(killed), check=True,
                       capture_output=True, timeout=300)
        if backend == "sqlite":
            assert _dump(killed) == expected  # ids included
        else:
            assert _natural(_dump(killed)) == _natural(expected)
