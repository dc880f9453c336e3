"""Gazetteer load, world-network import and autocomplete latency on a real database.

SQLite in a temporary folder by default; PostgreSQL too when POSTGRES_URL is set (an empty
database; its tables are created by migrate). Run: ``.venv/bin/python benchmarks/places_db.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "data" / "twincities" / "twin_cities_raw.csv"
CLI = [sys.executable, "-c", "from citydiplomacy.cli import main; main()"]
SEARCH = """
import os, time, statistics, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
django.setup()
from django.test import Client
from citydiplomacy.accounts.models import User
user, _ = User.objects.get_or_create(username="bench-search", defaults={"role": "oversight"})
client = Client(); client.force_login(user)
times = []
for q in ["Saraybosna", "Köln", "İstanbul", "Constantinople", "ber", "new", "rotter", "lon",
          "Sarajevo", "Durres", "sa", "Xicheng"] * 5:
    t = time.perf_counter(); r = client.get("/api/places/search/", {"q": q}); assert r.status_code == 200
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms")
"""


def run(label: str, env: dict, args: list[str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(CLI + args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if out.returncode:
        print(out.stdout, out.stderr)
        raise SystemExit(f"{label} failed")
    tail = [line for line in out.stdout.splitlines() if line.strip()][:6]
    print(f"  {label:<28} {elapsed:6.1f} s   " + " | ".join(tail[:5]), flush=True)
    return elapsed


def bench(name: str, env: dict) -> None:
    print(f"[{name}]")
    run("migrate", env, ["migrate", "-v0"])
    run("load-gazetteer", env, ["load-gazetteer", "--no-progress"])
    run("load-gazetteer (again)", env, ["load-gazetteer", "--no-progress"])
    run("import-pairs (world file)", env, ["import-pairs", str(WORLD)])
    run("import-pairs (re-run)", env, ["import-pairs", str(WORLD)])
    out = subprocess.run([sys.executable, "-c", SEARCH], env=env, capture_output=True, text=True,
                         check=False)
    print("  autocomplete /api/places/search/: " + (out.stdout.strip() or out.stderr[-500:]))


def main() -> int:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(DEBUG="1", PYTHONPATH=str(ROOT / "src"), ALLOWED_HOSTS="testserver,localhost")
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", {**base, "CITYDIPLOMACY_VAR_DIR": tmp})
        if os.environ.get("POSTGRES_URL"):
            bench("PostgreSQL", {**base, "CITYDIPLOMACY_VAR_DIR": tmp,
                                 "DATABASE_URL": os.environ["POSTGRES_URL"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
