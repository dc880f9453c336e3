"""Backup time as a ratio to the engine's own tool run alone, on the same data in the same run
(issue 14 item 5; target ≤ 1.5×).

Per engine, ROUNDS rounds in turn of:
- the tool alone: SQLite's online backup API copying the database file (`sqlite3` in a fresh
  Python process), or `pg_dump -Fc` of the database;
- `citydiplomacy backup FILE` as an operator runs it (a process of its own: Django's start
  included), and `web.ops.backup.backup()` timed inside a process (the backup's own work).
Each ratio is the median over the rounds of the backup's time over the tool's; the same for CPU
time (user + system of the process and its children: the tool's process; backup() with the
pg_dump it runs; PostgreSQL's server-side work is in neither), which a loaded machine disturbs
less than wall time. The data is the
demo registry with the world network (the gazetteer of ~235,000 places, ~26,000 reported ties)
plus its uploads.

    .venv/bin/python benchmarks/backup.py                          # SQLite, demo built in /tmp
    .venv/bin/python benchmarks/backup.py --var-dir DIR            # SQLite demo already in DIR
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/backup.py [--var-dir DIR]  # PostgreSQL

`--strict` exits 1 when the command's ratio is over the target.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BACKUP_BENCH_ROUNDS", "3"))
TARGET = 1.5
TIMED = ("import resource, time\nfrom citydiplomacy.web.ops.backup import backup\n"
         "cpu = lambda: sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF), "
         "resource.getrusage(resource.RUSAGE_CHILDREN)))\n"
         "c = cpu(); t = time.perf_counter(); backup({path!r})\n"
         "print('BACKUP_SECONDS', time.perf_counter() - t, cpu() - c)")


def cli(env, *args, timeout=3600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citydiplomacy.cli", *args], env=env, cwd=ROOT,
                          check=True, timeout=timeout, capture_output=True, text=True)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env) -> tuple[float, float]:
    """(wall, CPU) seconds of a command run to its end."""
    t0, c0 = time.perf_counter(), children_cpu()
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=3600, capture_output=True)
    return time.perf_counter() - t0, children_cpu() - c0


def pg_dump_path(env) -> str:
    code = ("from django.db import connection\nfrom citydiplomacy.web.ops.backup_engines import pg_tool\n"
            "print(pg_tool('pg_dump', 'default'))")
    return cli(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


def tool_command(env, var_dir: Path, target: Path) -> list[str]:
    url = env.get("DATABASE_URL", "")
    if url:
        return [pg_dump_path(env), "--format=custom", "--no-owner", "--no-privileges",
                f"--file={target}", f"--dbname={url}"]
    source = var_dir / "citydiplomacy.sqlite3"
    code = f"import sqlite3; sqlite3.connect({str(source)!r}).backup(sqlite3.connect({str(target)!r}))"
    return [sys.executable, "-c", code]


def describe(env) -> str:
    code = ("from citydiplomacy.places.models import Place, ReportedTie\n"
            "from citydiplomacy.agreements.models import Agreement\n"
            "from citydiplomacy.governments.models import LocalGovernment\n"
            "print(f'{Place.objects.count():,} places, {ReportedTie.objects.count():,} reported ties, '"
            "f'{LocalGovernment.objects.count():,} local governments, {Agreement.objects.count():,} agreements')")
    return cli(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", type=Path, help="a var dir whose demo registry is loaded already")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    engine = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    with tempfile.TemporaryDirectory(prefix="cd-backup-bench.") as scratch_name:
        scratch = Path(scratch_name)
        var_dir = args.var_dir or scratch / "var"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DEBUG": "1",
               "CITYDIPLOMACY_VAR_DIR": str(var_dir),
               "CITYDIPLOMACY_DEMO_PASSWORD": os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD", "bench-Pass-1234")}
        if args.var_dir is None:
            print("building the demo registry with the world network (minutes) ...", flush=True)
            cli(env, "migrate", "--noinput")
            cli(env, "demo")
        print(f"{engine}: {describe(env)}; load {os.getloadavg()[0]:.1f} at start", flush=True)
        tool, command, inner, tool_cpu, inner_cpu, sizes = [], [], [], [], [], {}
        for round_ in range(ROUNDS):
            dump, archive, archive2 = (scratch / f"tool-{round_}", scratch / f"cmd-{round_}.zip",
                                       scratch / f"fn-{round_}.zip")
            for series, value in zip((tool, tool_cpu), timed(tool_command(env, var_dir, dump), env),
                                     strict=True):
                series.append(value)
            command.append(timed([sys.executable, "-m", "citydiplomacy.cli", "backup", str(archive)], env)[0])
            out = cli(env, "shell", "-c", TIMED.format(path=str(archive2))).stdout
            wall, cpu = out.split("BACKUP_SECONDS")[-1].split()[:2]
            inner.append(float(wall))
            inner_cpu.append(float(cpu))
            sizes = {"tool output": dump.stat().st_size, "archive": archive.stat().st_size}
            for path in (dump, archive, archive2):
                path.unlink()
            print(f"  round {round_ + 1} (load {os.getloadavg()[0]:.1f}): tool {tool[-1]:.2f} s "
                  f"(CPU {tool_cpu[-1]:.2f} s), command {command[-1]:.2f} s, backup() {inner[-1]:.2f} s "
                  f"(CPU {inner_cpu[-1]:.2f} s)", flush=True)
    ratio_command = statistics.median(c / t for c, t in zip(command, tool, strict=True))
    ratio_inner = statistics.median(i / t for i, t in zip(inner, tool, strict=True))
    ratio_cpu = statistics.median(i / t for i, t in zip(inner_cpu, tool_cpu, strict=True))
    tool_name = "pg_dump -Fc" if engine == "postgresql" else "sqlite3 backup API"
    print(f"{engine}: {tool_name} alone median {statistics.median(tool):.2f} s "
          f"({sizes['tool output'] / 1e6:.0f} MB); `citydiplomacy backup` median "
          f"{statistics.median(command):.2f} s ({sizes['archive'] / 1e6:.0f} MB archive), ratio "
          f"{ratio_command:.2f}×; backup() in process median {statistics.median(inner):.2f} s, "
          f"ratio {ratio_inner:.2f}× (target ≤ {TARGET}×); CPU: tool median "
          f"{statistics.median(tool_cpu):.2f} s, backup() {statistics.median(inner_cpu):.2f} s, ratio "
          f"{ratio_cpu:.2f}×; load {os.getloadavg()[0]:.1f} at the end")
    return 1 if args.strict and ratio_command > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
