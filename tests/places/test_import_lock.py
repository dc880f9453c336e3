"""Finding F4: on SQLite a long import-pairs held the write lock for its whole single
transaction, so that logins and every other write failed after the 20 s busy timeout. Now the
import commits in batches: another writer waits for one batch at most. Runs the real CLI,
slowed by tests/places/slow_import.py, on a SQLite file of its own."""

from __future__ import annotations

import sqlite3
import subprocess
import time

from tests.places.test_interrupted_import import CLI, SLOW_CLI, WORLD, _env, _prepare

# One batch of 200 rows takes about 1.2 s of artificial delay plus its writes; the whole import
# takes 12 s and more. Each write below must get in between two batches: when it commits, the
# import has written part of its ties, not all (a single transaction would let it in only after
# the last). Judged by what is stored, not by a clock, so that a loaded machine cannot fail it.


def test_other_writes_wait_for_one_batch_at_most(tmp_path, prepared_sqlite):
    var_dir = tmp_path / "var"
    _prepare(var_dir, "sqlite", template=prepared_sqlite)
    source = tmp_path / "pairs.csv"
    source.write_text("".join(WORLD.read_text(encoding="utf-8").splitlines(True)[:2000]),
                      encoding="utf-8")
    database = var_dir / "citydiplomacy.sqlite3"
    with sqlite3.connect(database) as con:
        con.execute("CREATE TABLE probe (at REAL)")
    # about 3 ms per name looked up: 2 × 1,999 names ≈ 12 s in all, ≈ 1.2 s per batch of 200 rows
    proc = subprocess.Popen(SLOW_CLI + ["import-pairs", str(source)],
                            env=_env(var_dir, SLOW_IMPORT_DELAY="0.003"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ties_seen = []
    try:
        reader = sqlite3.connect(database, timeout=30)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until the import has written its first rows
            time.sleep(0.2)
            if reader.execute("SELECT count(*) FROM governments_localgovernment").fetchone()[0]:
                break
        reader.close()
        for _ in range(4):  # another user's writes, while the import runs
            writer = sqlite3.connect(database, timeout=300, isolation_level=None)
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO probe VALUES (?)", (time.time(),))
            ties_seen.append(writer.execute("SELECT count(*) FROM places_reportedtie").fetchone()[0])
            writer.execute("COMMIT")
            writer.close()
            assert proc.poll() is None, "the import ended before the writes: not a test of waiting"
            time.sleep(0.5)
        _out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    with sqlite3.connect(database) as con:
        ties = con.execute("SELECT count(*) FROM places_reportedtie").fetchone()[0]
    assert ties > 0
    assert all(seen < ties for seen in ties_seen), (ties_seen, ties)
    subprocess.run(CLI + ["import-pairs", str(source)], env=_env(var_dir), check=True,
                   capture_output=True, timeout=300)  # a rerun adds nothing and fails nothing
