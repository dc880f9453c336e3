"""Security settings that must hold in production (DEBUG off): CSP without inline scripts,
secure cookies, HSTS; pages send the CSP header and templates carry no inline script;
the token endpoint is throttled. (`check --deploy` and the login lockout: tests/test_settings.py,
tests/accounts/test_auth.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
    "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "'ssl': s.SECURE_SSL_REDIRECT, 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES'], "
    "'httponly': s.SESSION_COOKIE_HTTPONLY}))"
)


def test_production_settings_are_secure():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"}}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="registry.example.org",
               PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-m", "citydiplomacy.cli", "shell", "-c", PRINT_SETTINGS],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["session"] and found["csrf"] and found["httponly"] and found["ssl"]
    assert found["hsts"] >= 31536000 and found["subdomains"]
    scripts = found["csp"].get("script-src") or found["csp"]["default-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert found["csp"]["object-src"] == ["'none'"] and found["csp"]["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_pages_send_a_csp_without_inline_scripts(client, settings):
    response = client.get("/login/")
    header = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", header).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    html = response.content.decode()
    inline = [m for m in re.findall(r"<script\b([^>]*)>", html) if "src=" not in m]
    assert not inline, "inline <script> blocks would be blocked by the CSP"


# Reported to the owner: the inline handler is blocked by the CSP, so the control does nothing.
KNOWN_INLINE: set[str] = set()


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for template in (ROOT / "src" / "citydiplomacy").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for attributes in re.findall(r"<script\b([^>]*)>", text):
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son(click|load|submit|change|input|error)\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: inline event handler")
    assert not set(offenders) - KNOWN_INLINE, offenders


@pytest.mark.django_db
def test_token_endpoint_is_throttled(users, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings
    from rest_framework.test import APIClient

    cache.clear()
    rate = api_settings.DEFAULT_THROTTLE_RATES["token"]
    limit = int(rate.split("/")[0])
    client = APIClient()
    codes = [client.post("/api/auth/token/", {"username": "ibb-officer", "password": "wrong"},
                         format="json").status_code for _ in range(limit + 2)]
    assert 429 in codes and codes[0] == 400
    cache.clear()
