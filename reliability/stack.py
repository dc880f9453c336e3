"""A production-like stack on loopback, started and stopped by the reliability scripts:
PostgreSQL (own cluster in a temporary directory, free port) + gunicorn (several workers,
DEBUG off, manifest static files) with the demo data and the whole world network."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Reliability-Pass-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL binaries not found (apt install postgresql; .ci/run does it)")
    return Path(found[-1]).parent


class Postgres:
    def __init__(self):
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="citydiplomacy-rel-pg."))
        self.port = free_port()
        self.as_postgres = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://citydiplomacy@127.0.0.1:{self.port}/citydiplomacy"

    def _run(self, *args, check=True):
        return subprocess.run([*self.as_postgres, *map(str, args)], check=check,
                              capture_output=True, text=True, timeout=120)

    def init(self):
        self._run(self.bin / "initdb", "-D", self.dir / "data", "-U", "citydiplomacy", "--auth=trust",
                  "-E", "UTF8")
        self.start()
        subprocess.run([self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                        "citydiplomacy", "citydiplomacy"], check=True, timeout=60)

    def start(self):
        self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-l", self.dir / "server.log", "-w",
                  "-o", f"-c listen_addresses=127.0.0.1 -c port={self.port} -k {self.dir} "
                        "-c max_connections=200", "start")

    def stop(self, mode="fast"):
        self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", mode, "-w", "stop", check=False)

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Stack:
    """PostgreSQL + migrated demo database + gunicorn; use as a context manager."""

    def __init__(self, workers: int = 4, log=print):
        self.log = log
        self.pg = Postgres()
        self.var = Path(tempfile.mkdtemp(prefix="citydiplomacy-rel-var."))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.gunicorn = None
        self.worker = None
        self.env = {**os.environ, "DATABASE_URL": self.pg.url, "DEBUG": "0",
                    "SECRET_KEY": "reliability-run-secret-key-not-for-production-0123456789",
                    "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
                    "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
                    "CITYDIPLOMACY_VAR_DIR": str(self.var), "CITYDIPLOMACY_DEMO_PASSWORD": PASSWORD,
                    "TOKEN_THROTTLE_RATE": "100000/min", "AXES_FAILURE_LIMIT": "100000",
                    # the load test is many users on few tokens: API rates out of its way
                    "USER_THROTTLE_RATE": "1000000/min", "ANON_THROTTLE_RATE": "1000000/min",
                    "HEAVY_THROTTLE_RATE": "1000000/min", "HEAVY_ANON_THROTTLE_RATE": "1000000/min",
                    "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "ERROR"}

    def cli(self, *args, timeout=900, env=None, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(BIN / "python"), "-m", "citydiplomacy.cli", *args], cwd=ROOT,
                                env=env or self.env, capture_output=True, text=True, timeout=timeout,
                                check=False)
        if check and result.returncode:
            raise RuntimeError(f"citydiplomacy {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result

    def shell(self, code: str, timeout=900) -> str:
        return self.cli("shell", "-c", code, timeout=timeout).stdout

    def prepare(self):
        t0 = time.monotonic()
        self.pg.init()
        self.cli("migrate", "--noinput")
        self.cli("collectstatic", "--noinput")
        self.cli("demo", "--allow-production-demo")
        if os.environ.get("RELIABILITY_SKIP_WORLD") == "1":  # quick development runs only
            self.log("  world network skipped (RELIABILITY_SKIP_WORLD=1)")
            return
        summary = self.shell("from citydiplomacy.places.services import import_world_network\n"
                             "print(' | '.join(import_world_network().lines()))")
        self.log(f"  world network: {summary.strip().splitlines()[-1][:300]}")
        self.log(f"  stack prepared in {time.monotonic() - t0:.0f} s (PostgreSQL port {self.pg.port})")

    def tokens(self) -> dict[str, str]:
        out = self.shell(
            "import json\nfrom citydiplomacy.accounts.services import issue_api_token\n"
            "from citydiplomacy.accounts.models import User\n"
            "print(json.dumps({u.username: issue_api_token(u)[1] for u in User.objects.all()}))")
        return json.loads(out.strip().splitlines()[-1])

    def start_gunicorn(self):
        self.gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "citydiplomacy.wsgi:application", "--config", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5",
             "--log-level", "warning", "--pid", str(self.var / "gunicorn.pid")],
            cwd=ROOT, env=self.env, stdout=open(self.var / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT)
        self.wait_healthy()
        self.start_worker()

    def start_worker(self):
        """The background task worker, as `make run` and production run it beside the web server:
        the network statistics and the world map are computed by it, not by the request."""
        if self.worker is None or self.worker.poll() is not None:
            self.worker = subprocess.Popen(
                [str(BIN / "python"), "-m", "citydiplomacy.cli", "worker"], cwd=ROOT, env=self.env,
                stdout=open(self.var / "worker.log", "ab"), stderr=subprocess.STDOUT)  # noqa: SIM115

    def wait_healthy(self, timeout=300):
        # each worker warms up (recommender, resolver, maps, WeasyPrint: web/ops/warm.py) before
        # it answers; four at once on a loaded 2-core machine took more than a minute
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), \
                    urllib.request.urlopen(f"{self.base}/health/", timeout=2) as response:
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not become healthy")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.gunicorn.pid)], capture_output=True, text=True,
                             check=False)
        return [int(p) for p in out.stdout.split()]

    def stop_gunicorn(self):
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_gunicorn()
        self.pg.destroy()
        shutil.rmtree(self.var, ignore_errors=True)
