"""F16: a Permissions-Policy header everywhere; `Cache-Control: private, no-store` on signed-in
pages and on downloads; sessions end after an idle time; X-Forwarded-Proto is trusted only when
TRUSTED_PROXY says a proxy sets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from citydiplomacy.web.middleware import RENEWED_AT

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_answer_has_a_permissions_policy(client):
    for url in ("/login/", "/health/", "/public/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.mark.django_db
def test_signed_in_pages_and_exports_are_not_stored(client_for):
    officer = client_for("officer")
    for url in ("/", "/agreements/", "/analytics/export/agreements.csv", "/analytics/export/activities.xlsx",
                "/api/agreements/"):
        response = officer.get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, (url, response["Cache-Control"])


@pytest.mark.django_db
def test_anonymous_public_pages_may_be_cached(client):
    response = client.get("/public/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_session_ends_after_the_idle_time_and_activity_renews_it(client_for, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_RENEW_AFTER_SECONDS = 60
    officer = client_for("officer")
    assert officer.get("/").status_code == 200
    session = officer.session
    # an active user: the last renewal is older than the renewal interval, so this request renews it
    session[RENEWED_AT] = int(time.time()) - 120
    session.save()
    response = officer.get("/")
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 600
    renewed = officer.session.get_expiry_date()
    assert 590 <= (renewed - _now()).total_seconds() <= 600
    # an idle user: the stored session has expired, the next request goes to the sign-in page
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=officer.session.session_key).update(expire_date=_now())
    assert officer.get("/agreements/")["Location"].startswith("/login/")


def _now():
    from django.utils import timezone

    return timezone.now()


def test_idle_timeout_is_hours_not_weeks():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or settings.SESSION_COOKIE_AGE <= 12 * 3600


PRINT_PROXY = ("import json; from django.conf import settings as s; "
               "print(json.dumps(getattr(s, 'SECURE_PROXY_SSL_HEADER', None)))")


@pytest.mark.parametrize(("trusted_proxy", "expected"), [(None, None), ("0", None),
                                                         ("1", ["HTTP_X_FORWARDED_PROTO", "https"])])
def test_forwarded_proto_is_trusted_only_behind_a_declared_proxy(trusted_proxy, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TRUSTED_PROXY"}}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="registry.example.org",
               PYTHONPATH=str(ROOT / "src"))
    if trusted_proxy is not None:
        env["TRUSTED_PROXY"] = trusted_proxy
    out = subprocess.run([sys.executable, "-m", "citydiplomacy.cli", "shell", "-c", PRINT_PROXY],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


@pytest.mark.django_db
def test_a_client_cannot_claim_https_without_a_trusted_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    response = Client().get("/health/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")
