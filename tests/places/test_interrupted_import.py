"""SIGKILL in the middle of import-pairs, then a rerun, gives exactly the DB of an
uninterrupted run (one transaction per file). Runs the real CLI in subprocesses on SQLite."""

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
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _prepare(var_dir: Path) -> None:
    var_dir.mkdir()
    for args in (["migrate", "-v0"],
                 ["load-gazetteer", "--no-progress", "--countries", "NL,TR,DE,FR,IT,AL,GB",
                  "--min-population", "20000"]):
        subprocess.run(CLI + args, env=_env(var_dir), check=True, capture_output=True, timeout=300)


def _dump(var_dir: Path) -> tuple:
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


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the subprocess check runs on its own SQLite files")
def test_sigkill_midway_then_rerun_equals_uninterrupted(tmp_path):
    source = tmp_path / "pairs.csv"
    source.write_text("".join(WORLD.read_text(encoding="utf-8").splitlines(True)[:2500]),
                      encoding="utf-8")
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    _prepare(clean)
    _prepare(killed)
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

    subprocess.run(CLI + ["import-pairs", str(source)], env=_env(killed), check=True,
                   capture_output=True, timeout=300)
    assert _dump(killed) == _dump(clean)
    # and re-running changes nothing
    subprocess.run(CLI + ["import-pairs", str(source)], env=_env(killed), check=True,
                   capture_output=True, timeout=300)
    assert _dump(killed) == _dump(clean)
