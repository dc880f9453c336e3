"""One viewer fires 20 parallel PDF report requests; the login page and /health/ must stay under
1 s meanwhile (issue 19 item 3, finding F3: before the one-heavy-request-per-user slot, 20
parallel PDFs on 2 workers pushed /health/ to 19-28 s). PDFs are now made by the background task
worker (analytics/report_pdf.py): a download answers 202 until the PDF is there, then 200.

    DEBUG=1 .venv/bin/python benchmarks/heavy_burst.py [--port 8103] [--seconds 20] [--clients 20]

Starts its own production-like server (`citydiplomacy serve`, 2 gunicorn workers, DEBUG off,
SQLite and the default shared file cache in a temporary folder), loads the demo accounts and
İBB's real relations (so the report has content), signs in as ibb-viewer and runs `burst()`.
Exit status 1 when a probe took 1 s or more.

`burst(base_url, username, password, ...)` is the reusable part: it needs only a running server
(the reliability scenario can call it against its own stack) and returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import coldstart
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Burst-Bench-Pass-1234"
LIMIT_S = 1.0


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base_url}/login/", data={"username": username, "password": password,
                                                        "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base_url}/login/"}, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed: {response.status_code}")
    return session


def burst(base_url: str, username: str, password: str, *, path: str = "/analytics/report/2025.pdf",
          clients: int = 20, seconds: float = 20.0, probe_every: float = 0.5,
          probe_login: tuple[str, str] | None = None) -> dict:
    """`clients` threads of one signed-in user request `path` again and again (not waiting for
    Retry-After) for `seconds`; meanwhile anonymous probes of /health/ and /login/ (and, with
    `probe_login`, a full sign-in of another user) are timed. Returns the figures."""
    viewer = sign_in(base_url, username, password)
    cookies = viewer.cookies.get_dict()
    statuses: Counter = Counter()
    heavy_times: list[float] = []
    probes: dict[str, list[float]] = {"/health/": [], "/login/": []}
    if probe_login:
        probes["sign-in"] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def hammer():
        session = requests.Session()
        session.cookies.update(cookies)
        start.wait()
        while time.monotonic() < stop_at[0]:
            began = time.monotonic()
            try:
                status = session.get(f"{base_url}{path}", timeout=120).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                statuses[status] += 1
                if status == 200:
                    heavy_times.append(time.monotonic() - began)

    def probe():
        while time.monotonic() < stop_at[0]:
            for name in list(probes):
                began = time.monotonic()
                if name == "sign-in":
                    sign_in(base_url, *probe_login)
                else:
                    requests.get(f"{base_url}{name}", timeout=120).raise_for_status()
                probes[name].append(time.monotonic() - began)
            time.sleep(probe_every)

    threads = [threading.Thread(target=hammer) for _ in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    start.wait()
    prober = threading.Thread(target=probe)
    prober.start()
    for thread in [*threads, prober]:
        thread.join()
    return {
        "clients": clients, "seconds": seconds, "path": path,
        "heavy_statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "heavy_200_median_s": round(statistics.median(heavy_times), 3) if heavy_times else None,
        "probes": {name: {"n": len(times), "median_s": round(statistics.median(times), 3),
                          "max_s": round(max(times), 3)} for name, times in probes.items() if times},
    }


class Server:
    """`citydiplomacy serve` (2 workers, DEBUG off) on a throw-away SQLite database."""

    def __init__(self, port: int):
        self.port = port
        self.var = Path(tempfile.mkdtemp(prefix="bench-burst-"))
        self.env = {**os.environ, **coldstart.PRODUCTION, "CITYDIPLOMACY_VAR_DIR": str(self.var),
                    "CITYDIPLOMACY_DEMO_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT / "src"),
                    "LOG_LEVEL": "ERROR"}
        for name in ("DATABASE_URL", "CACHE_URL"):
            self.env.pop(name, None)
        self.process = None

    def cli(self, *args):
        subprocess.run([sys.executable, "-m", "citydiplomacy.cli", *args], env=self.env, cwd=ROOT,
                       check=True, capture_output=True, timeout=900)

    def __enter__(self):
        self.cli("migrate", "--noinput")
        self.cli("collectstatic", "--noinput")
        self.cli("demo", "--skip-data", "--allow-production-demo")
        self.cli("load-policy")
        self.cli("import-relations", str(ROOT / "data" / "istanbul" / "istanbul_relations.csv"),
                 "--organisation", "İstanbul Büyükşehir Belediyesi")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "citydiplomacy.cli", "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env, cwd=ROOT, stdout=open(self.var / "serve.log", "ab"),
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/health/", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        log = (self.var / "serve.log").read_text(errors="replace")[-2000:]
        self.__exit__()
        raise RuntimeError(f"the server did not start:\n{log}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        shutil.rmtree(self.var, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with Server(args.port) as server:
        single = sign_in(server.base, "ibb-viewer", PASSWORD)
        began = time.monotonic()
        first = single.get(f"{server.base}/analytics/report/2025.pdf", timeout=120)
        figures = {"single_pdf_first_answer_s": round(time.monotonic() - began, 3), "idle_probes_s": {}}
        while first.status_code == 202 and time.monotonic() - began < 300:  # made by the task worker
            time.sleep(0.25)
            first = single.get(f"{server.base}/analytics/report/2025.pdf", timeout=120)
        assert first.status_code == 200 and first.content.startswith(b"%PDF"), first.status_code
        figures["single_pdf_ready_s"] = round(time.monotonic() - began, 3)
        for name in ("/health/", "/login/"):  # the same probes with nothing else running
            times = []
            for _ in range(5):
                began = time.monotonic()
                requests.get(f"{server.base}{name}", timeout=60).raise_for_status()
                times.append(time.monotonic() - began)
            figures["idle_probes_s"][name] = round(max(times), 3)
        figures.update(burst(server.base, "ibb-viewer", PASSWORD, clients=args.clients, seconds=args.seconds,
                             probe_login=("ibb-officer", PASSWORD)))
    print(json.dumps(figures, indent=1))
    # the bar: the login page and /health/ (a full sign-in, argon2 included, is reported too)
    worst = max(figures["probes"][name]["max_s"] for name in ("/health/", "/login/"))
    print(f"worst probe {worst:.3f} s (limit {LIMIT_S} s): {'ok' if worst < LIMIT_S else 'MISSED'}")
    return 0 if worst < LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
