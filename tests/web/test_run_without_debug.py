"""`make run` serves with DEBUG off by default, and with DEBUG off an unknown address or a
refused one shows the app's own error page in the user's language, never Django's
technical page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_run_serves_with_debug_off_by_default():
    commands = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=False,
                              timeout=60).stdout
    serve = commands[commands.index("mkdir -p"):]
    assert "DEBUG=${DEBUG:-0}" in serve and "DEBUG=${DEBUG:-1}" not in serve
    assert "SECRET_KEY=" in serve and "serve --host" in serve


ERROR_PAGES = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="tr")
page = client.get("/no-such-page/")
print(page.status_code)
print(page.content.decode())
"""


def test_error_pages_without_debug_are_the_apps_own_in_turkish(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0",
               SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0", CITYDIPLOMACY_VAR_DIR=str(tmp_path), CITYDIPLOMACY_MANIFEST_STATIC="0",  # no collectstatic here
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", ERROR_PAGES], env=env, capture_output=True, text=True, check=False,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    status, _, html = out.stdout.partition("\n")
    assert status == "404"
    assert "Bulunamadı" in html and "URLconf" not in html and "DEBUG = True" not in html
