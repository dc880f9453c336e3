"""Performance evidence: ratios measured in the same run on the same machine.

(The "list API >= 0.5 of a bare endpoint" aim is retired: no user need stated it, and the list
API's speed is judged by `make reliability`'s p95 under load like every other page.)

1. Recommender ranking vs a pure-NumPy haversine over the same candidates (the floor):
   time per ranking and the ratio.
2. Import throughput (`import-pairs`, 5,000 rows of the world twin-town file, gazetteer loaded
   first): rows per second on SQLite and on PostgreSQL.

Writes the table into docs/BENCHMARKS.md, section "Performance evidence" (between markers).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "reliability"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stack import BIN

IMPORT_ROWS = 5000
ROWS: list[tuple[str, str, str]] = []


def conditions() -> str:
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    return (f"{platform.machine()}, {os.cpu_count()} CPUs shared with other work (load {load:.1f}), "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")


def recommender_vs_haversine() -> None:
    print("1. recommender ranking vs pure-NumPy haversine floor", flush=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
    import django
    import numpy as np

    django.setup()

    from citydiplomacy.recommend.engine import Recommender
    from citydiplomacy.recommend.features import FeatureEngine
    from citydiplomacy.recommend.learn import train
    from citydiplomacy.recommend.world import world_from_packages

    world = world_from_packages()
    engine = FeatureEngine(world)
    model = train(engine, rng=np.random.default_rng(0))
    recommender = Recommender(world, model, engine=engine)
    cand = recommender.candidates
    lat, lng = np.radians(world.lat.astype(float)), np.radians(world.lng.astype(float))
    homes = np.random.default_rng(1).choice(cand, size=50, replace=False)

    def floor(home):
        dlat, dlng = lat[cand] - lat[home], lng[cand] - lng[home]
        a = np.sin(dlat / 2) ** 2 + np.cos(lat[home]) * np.cos(lat[cand]) * np.sin(dlng / 2) ** 2
        km = 2 * 6371.0 * np.arcsin(np.sqrt(a))
        top = np.argpartition(km, 20)[:20]
        return cand[top[np.argsort(km[top])]]

    def timed(fn):
        t0 = time.perf_counter()
        for home in homes:
            fn(int(home))
        return (time.perf_counter() - t0) / len(homes)

    timed(floor)
    timed(lambda h: recommender.rank(h, explain=False))
    floor_s = timed(floor)
    rank_s = timed(lambda h: recommender.rank(h, explain=False))
    explained_s = timed(lambda h: recommender.rank(h, explain=True))
    ROWS.append(("recommender ranking / NumPy haversine floor (time per ranking)",
                 (f"{rank_s * 1000:.1f} ms vs {floor_s * 1000:.2f} ms → {rank_s / floor_s:.0f}× the floor "
                  f"(with explanations {explained_s * 1000:.1f} ms)"),
                 f"{len(cand):,} candidates, 50 homes, top 20, in process"))
    print(f"   {rank_s / floor_s:.0f}x", flush=True)


def run(*args, env):
    return subprocess.run([str(BIN / "python"), "-m", "citydiplomacy.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=1800, check=True)


IMPORT_CODE = """
import json, time
from citydiplomacy.places.services import import_pairs, load_gazetteer
load_gazetteer(progress=False)
t0 = time.perf_counter()
summary = import_pairs(PATH, source="bench-subset.csv")
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": summary.rows_read}))
"""


def import_throughput() -> None:
    print("2. import throughput (import-pairs, 5,000 rows)", flush=True)
    with tempfile.TemporaryDirectory(prefix="citydiplomacy-bench.") as tmp:
        subset = Path(tmp) / "subset.csv"
        with open(ROOT / "data" / "twincities" / "twin_cities_raw.csv", encoding="utf-8") as src:
            subset.write_text("".join(src.readlines()[:IMPORT_ROWS + 1]), encoding="utf-8")
        code = IMPORT_CODE.replace("PATH", repr(str(subset)))
        # SQLite: a throw-away VAR_DIR
        env = {**os.environ, "DEBUG": "1", "CITYDIPLOMACY_VAR_DIR": str(Path(tmp) / "var"),
               "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        figures = {}
        for backend in ("SQLite", "PostgreSQL"):
            stack = None
            if backend == "PostgreSQL":
                from stack import Postgres

                stack = Postgres()
                stack.init()
                env = {**env, "DATABASE_URL": stack.url}
            try:
                run("migrate", "--noinput", env=env)
                out = run("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]
                result = json.loads(out)
                figures[backend] = result["rows"] / result["seconds"]
                print(f"   {backend}: {figures[backend]:.0f} rows/s", flush=True)
            finally:
                if stack:
                    stack.destroy()
    ROWS.append(("import-pairs throughput",
                 f"SQLite {figures['SQLite']:.0f} rows/s · PostgreSQL {figures['PostgreSQL']:.0f} rows/s",
                 (f"{IMPORT_ROWS:,} rows of the world file into an empty registry (resolver + one "
                  "transaction), gazetteer already loaded")))


def write_docs(when: str) -> None:
    doc = ROOT / "docs" / "BENCHMARKS.md"
    begin, end = "<!-- performance-evidence:begin -->", "<!-- performance-evidence:end -->"
    table = ["| measure | figure | conditions |", "|---|---|---|"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in ROWS]
    block = "\n".join([begin, f"Measured by `make bench` (`benchmarks/performance_evidence.py`) on {when}.", "",
                       *table, end])
    text = doc.read_text(encoding="utf-8")
    if begin not in text:
        text += "\n## Performance evidence\n" + begin + "\n" + end + "\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    doc.write_text(head + block + tail, encoding="utf-8")


def main() -> int:
    when = conditions()
    print(f"Performance evidence · {when}", flush=True)
    for step in (recommender_vs_haversine, import_throughput):
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - report, keep the other figures
            ROWS.append((step.__name__, f"not measured: {type(exc).__name__}: {str(exc)[:200]}", ""))
            print(f"   {step.__name__} failed: {exc}", flush=True)
    for row in ROWS:
        print(" | ".join(row))
    if os.environ.get("BENCH_WRITE_DOCS", "1") == "1":
        write_docs(when)
    return 0 if all(not b.startswith("not measured") for _a, b, _c in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
