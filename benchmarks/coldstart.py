"""First views after a fresh start: what a newcomer meets after a deploy or a restart.

Starts `citydiplomacy serve` (gunicorn, 2 web workers, the background task worker) on a demo
registry, waits until every web worker has warmed up (web/ops/warm.py) and answers /health/,
logs in as an officer and views each page ONCE (the first view), then WARM_VIEWS more times;
then makes a write through the web forms (a new local government, a draft agreement with it)
and views the heavy pages again (first view after the write). Prints, per page, the first-view
time and its ratio to the page's warm median in the same run, and the machine's load.

The annual report PDF is made by the background task worker (analytics/report_pdf.py): its
first view is the 202 "being prepared" answer; the script then asks again (every 0.25 s) until
the PDF is served and prints how long the worker took ("ready after"). Its warm views are
downloads of the PDF made; after the write the data changed, so it is made again.

    .venv/bin/python benchmarks/coldstart.py                     # SQLite, a demo built in /tmp
    .venv/bin/python benchmarks/coldstart.py --var-dir DIR       # a var dir with the demo loaded
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/coldstart.py   # PostgreSQL

Target (issue 15): every first view under 1 s. `--strict` exits 1 when one is not.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
WARM_VIEWS = 5
TARGET_S = 1.0
USER = "ibb-officer"
# one client views each page several times a minute: the request rate limits (settings
# REST_FRAMEWORK, core.throttling) would answer 429, which is not what is measured
# Served as reliability/stack.py serves it: DEBUG off, manifest static files, plain HTTP on loopback.
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "benchmark-secret-key-not-for-production-0123456789abcdef",
              "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
              "SECURE_HSTS_SECONDS": "0"}
THROTTLES_OFF = {name: "100000/min" for name in (
    "ANON_THROTTLE_RATE", "USER_THROTTLE_RATE", "HEAVY_THROTTLE_RATE", "HEAVY_ANON_THROTTLE_RATE")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(env, *args, timeout=1800) -> None:
    subprocess.run([sys.executable, "-m", "citydiplomacy.cli", *args], env=env, cwd=ROOT,
                   check=True, timeout=timeout, stdout=subprocess.DEVNULL)


def prepare(env, var_dir: Path | None) -> None:
    """A demo registry: migrated and loaded unless `var_dir` already holds one."""
    if var_dir is not None and "DATABASE_URL" not in env and (var_dir / "citydiplomacy.sqlite3").exists():
        cli(env, "migrate", "--noinput")
        return
    print("building the demo registry (a few minutes) ...", flush=True)
    cli(env, "migrate", "--noinput")
    cli(env, "demo", *(["--allow-production-demo"] if env.get("DEBUG") == "0" else []))  # its own database


class Server:
    def __init__(self, env, port: int, workers: int, log: Path):
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.process = subprocess.Popen(
            [sys.executable, "-m", "citydiplomacy.cli", "serve", "--port", str(port),
             "--workers", str(workers)], env=env, cwd=ROOT,
            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> float:
        """Seconds from start until every web worker has warmed up and /health/ answers."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.log}")
            warmed = self.log.read_text(errors="replace").count("warm start (seconds)")
            if warmed >= self.workers:
                try:
                    if requests.get(self.url + "/health/", timeout=5).ok:
                        return time.monotonic() - start
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        raise SystemExit(f"the server was not ready in {timeout} s; see {self.log}")

    def stop(self) -> None:
        end(self.process)


def end(process: subprocess.Popen, timeout: float = 30) -> None:
    """Terminates a process this script started (killed if it does not end in `timeout` s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


def login(base: str, password: str, user: str = USER) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/login/", data={"username": user, "password": password,
                                                   "csrfmiddlewaretoken": token},
                          headers={"Referer": base + "/login/"}, timeout=30)
    if "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as {user} ({answer.status_code})")
    return session


def timed(session, url: str) -> tuple[float, requests.Response]:
    start = time.perf_counter()
    response = session.get(url, timeout=120)
    return time.perf_counter() - start, response


def ok(session, url: str) -> float:
    """Seconds of one view that must answer 200."""
    seconds, response = timed(session, url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return seconds


def first_id(session, url: str, pattern: str) -> str:
    match = re.search(pattern, session.get(url, timeout=120).text)
    if not match:
        raise SystemExit(f"no link matching {pattern} on {url}")
    return match.group(1)


def post_form(session, base: str, path: str, data: dict) -> requests.Response:
    form = session.get(base + path, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(base + path, data={**data, "csrfmiddlewaretoken": token},
                          headers={"Referer": base + path}, timeout=120)
    if answer.status_code >= 400 or answer.url.rstrip("/").endswith(path.rstrip("/")):
        raise SystemExit(f"the write to {path} was refused ({answer.status_code})")
    return answer


def pages(session, base: str) -> dict[str, str]:
    agreement = first_id(session, base + "/agreements/", r'href="/agreements/(\d+)/"')
    review = first_id(session, base + "/places/review/", r'href="/places/review/(\d+)/"')
    return {
        "dashboard": "/",
        "registry list": "/agreements/",
        "registry filtered": "/agreements/?status=active&country=DE",
        "agreement detail": f"/agreements/{agreement}/",
        "map": "/analytics/map/",
        "world network": "/analytics/world/",
        "network statistics": "/analytics/network/",
        "proximity": "/analytics/proximity/",
        "recommendations": "/recommendations/",
        "place review": f"/places/review/{review}/",
        "annual report": "/analytics/report/2017/",
        "annual report PDF": "/analytics/report/2017.pdf",
        "public register": "/public/",
        "API list": "/api/agreements/",
    }


HEAVY = ("dashboard", "map", "world network", "network statistics", "proximity",
         "recommendations", "place review", "annual report PDF", "registry list")
# made by the task worker: the first view answers 202 ("being prepared") until it is there
PREPARED = {"annual report PDF"}


def first_view(session, base: str, name: str, path: str) -> float:
    seconds, response = timed(session, base + path)
    if response.status_code != 200 and not (name in PREPARED and response.status_code == 202):
        raise SystemExit(f"{name} ({path}) answered {response.status_code}")
    return seconds


def ready_after(session, url: str, timeout: float = 300) -> float:
    """Seconds until a page made in the background answers 200 (asked every 0.25 s)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        response = session.get(url, timeout=120)
        if response.status_code == 200:
            return time.perf_counter() - start
        if response.status_code != 202:
            raise SystemExit(f"{url} answered {response.status_code}")
        time.sleep(0.25)
    raise SystemExit(f"{url} was not ready in {timeout} s")


def measure(session, base: str, urls: dict[str, str]) -> dict[str, dict]:
    results = {}
    for name, path in urls.items():  # first views, one each, as a newcomer clicks through
        results[name] = {"first": first_view(session, base, name, path), "warm": []}
    for name in PREPARED:
        results[name]["ready"] = ready_after(session, base + urls[name])
    for _ in range(WARM_VIEWS):
        for name, path in urls.items():
            results[name]["warm"].append(ok(session, base + path))
    return results


def write(session, base: str) -> None:
    tag = secrets.token_hex(3)
    answer = post_form(session, base, "/local-governments/new/", {
        "name": f"Coldstart {tag}", "kind": "municipality", "country_code": "DE",
        "latitude": "50.1", "longitude": "8.7"})
    partner = re.search(r"/local-governments/(\d+)/", answer.url).group(1)
    post_form(session, base, "/agreements/new/", {
        "instrument": "twinning", "title": f"Coldstart benchmark {tag}", "partner": partner})


def prepared_lines(results: dict[str, dict], ready_after_write: dict[str, float]) -> list[str]:
    return [f"{name}: made by the task worker, ready {results[name]['ready']:.2f} s after its first view; "
            f"{ready_after_write[name]:.2f} s after the first view following the write"
            for name in PREPARED]


def table(results: dict[str, dict], after: dict[str, float]) -> list[str]:
    lines = ["| page | first view (s) | warm median (s) | ratio | after a write (s) |",
             "|---|---:|---:|---:|---:|"]
    for name, row in results.items():
        median = statistics.median(row["warm"])
        later = f"{after[name]:.2f}" if name in after else ""
        lines.append(f"| {name} | {row['first']:.2f} | {median:.3f} | "
                     f"{row['first'] / median:.1f}× | {later} |")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, help="a var folder with the demo loaded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a first view takes 1 s or more")
    args = parser.parse_args(argv)
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="coldstart-"))
    password = os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    env = dict(os.environ, CITYDIPLOMACY_VAR_DIR=str(var_dir), CITYDIPLOMACY_DEMO_PASSWORD=password,
               DEBUG=os.environ.get("DEBUG", "1"), LOG_LEVEL="WARNING",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
               **THROTTLES_OFF)
    prepare(env, args.var_dir)
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    server = Server(env, free_port(), args.workers, var_dir / "coldstart-server.log")
    try:
        ready = server.wait_ready()
        load_before = os.getloadavg()
        session = login(server.url, password)
        urls = pages(session, server.url)
        results = measure(session, server.url, urls)
        write(session, server.url)
        after, ready_after_write = {}, {}
        for name in HEAVY:
            after[name] = first_view(session, server.url, name, urls[name])
        for name in PREPARED:
            ready_after_write[name] = ready_after(session, server.url + urls[name])
        load_after = os.getloadavg()
    finally:
        server.stop()
    print(f"\ncoldstart on {engine}: server ready (warm) {ready:.1f} s after start; "
          f"{os.cpu_count()} cores; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    print("\n".join(table(results, after)))
    print("\n".join(["", *prepared_lines(results, ready_after_write)]))
    slow = [n for n, r in results.items() if r["first"] >= TARGET_S]
    slow += [f"{n} (after the write)" for n, s in after.items() if s >= TARGET_S]
    print(f"\nfirst views of {TARGET_S:.0f} s or more: {', '.join(slow) or 'none'}")
    return 1 if slow and args.strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
