"""`citydiplomacy serve` (what `make run` ends with) really serves the login page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import copy_sqlite


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs against its own SQLite file")
def test_serve_answers_login_page(tmp_path, migrated_sqlite):
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "citydiplomacy.cli"]
    copy_sqlite(migrated_sqlite, tmp_path)
    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 150  # the worker warms up first (web/ops/warm.py)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert 'id="login-form"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/pico/pico.min.css") as css:
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
