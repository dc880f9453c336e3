"""Performance evidence: ratios measured in the same run on the same machine.

1. Agreements list API vs a bare Django JSON endpoint on the same gunicorn server (PostgreSQL,
   DEBUG off): throughput ratio (aim >= 0.5). The bare endpoint returns the same 50 rows with
   `values()` and JsonResponse, no DRF, no permissions, no as-of computation.
2. Recommender ranking vs a pure-NumPy haversine over the same candidates (the floor):
   time per ranking and the ratio.
3. Import throughput (`import-pairs`, 5,000 rows of the world twin-town file, gazetteer loaded
   first): rows per second on SQLite and on PostgreSQL.

Writes the table into docs/BENCHMARKS.md, section "Performance evidence" (between markers).
Knobs: BENCH_SECONDS (per endpoint and round, default 8), BENCH_THREADS (default 8).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "reliability"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stack import BIN, Stack

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
IMPORT_ROWS = 5000
ROWS: list[tuple[str, str, str]] = []


def conditions() -> str:
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    return (f"{platform.machine()}, {os.cpu_count()} CPUs shared with other work (load {load:.1f}), "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")


def throughput(url: str, headers: dict, seconds: float, threads: int) -> tuple[float, int]:
    stop = time.monotonic() + seconds
    counts, errors = [0] * threads, [0] * threads

    def run(i):
        session = requests.Session()
        session.headers.update(headers)
        while time.monotonic() < stop:
            response = session.get(url, timeout=30)
            if response.status_code == 200:
                counts[i] += 1
            else:
                errors[i] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.monotonic() - t0), sum(errors)


def api_vs_bare() -> None:
    print("1. agreements list API vs bare Django JSON endpoint (same gunicorn, PostgreSQL)", flush=True)
    os.environ["RELIABILITY_SKIP_WORLD"] = "1"
    with Stack(workers=2, log=print) as stack:
        stack.env["DJANGO_SETTINGS_MODULE"] = "_bench_settings"
        stack.env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{ROOT / 'benchmarks'}"
        stack.prepare()
        token = stack.tokens()["ibb-viewer"]
        stack.start_gunicorn()
        headers = {"Authorization": f"Token {token}"}
        api = f"{stack.base}/api/agreements/?page_size=50"
        bare = f"{stack.base}/bench/bare-agreements/"
        for url in (api, bare):  # warm up every worker
            throughput(url, headers, 2, THREADS)
        rates = {"api": [], "bare": []}
        for _round in range(2):  # alternate, so that drifting load hits both alike
            for key, url in (("api", api), ("bare", bare)):
                rate, errors = throughput(url, headers, SECONDS, THREADS)
                assert errors == 0, f"{errors} errors from {url}"
                rates[key].append(rate)
        rows = len(requests.get(api, headers=headers, timeout=30).json()["results"])
    api_rate, bare_rate = (sum(v) / len(v) for v in (rates["api"], rates["bare"]))
    ratio = api_rate / bare_rate
    ROWS.append(("agreements list API / bare JSON endpoint (throughput)",
                 f"{api_rate:.0f} vs {bare_rate:.0f} req/s → ratio {ratio:.2f} (aim ≥ 0.5)",
                 f"gunicorn 2 workers, {THREADS} client threads, 2×{SECONDS:.0f} s each, {rows} rows/page, PostgreSQL"))
    print(f"   ratio {ratio:.2f}", flush=True)


def recommender_vs_haversine() -> None:
    print("2. recommender ranking vs pure-NumPy haversine floor", flush=True)
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
    print("3. import throughput (import-pairs, 5,000 rows)", flush=True)
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
    for step in (api_vs_bare, recommender_vs_haversine, import_throughput):
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
