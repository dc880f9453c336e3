"""F3: rate limits per user and per client address on the API and on heavy pages, counted in the
shared cache; one running heavy request (export, recommendations, network statistics) per user,
so that one user cannot occupy every worker. Report PDFs take no worker at all: they are made by
the task runner (tests/analytics/test_report_pdf_background.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from citydiplomacy.core import throttling

ROOT = Path(__file__).resolve().parents[2]


def _rates(settings, **rates):
    merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}


@pytest.mark.django_db
def test_api_calls_are_limited_per_user(api_client_for, settings):
    _rates(settings, user="3/min")
    viewer = api_client_for("viewer")
    codes = [viewer.get("/api/agreements/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = viewer.get("/api/agreements/", HTTP_ACCEPT_LANGUAGE="tr")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # another user of the same organisation (and the same address) has their own count
    assert api_client_for("officer").get("/api/agreements/").status_code == 200


@pytest.mark.django_db
def test_anonymous_heavy_downloads_are_limited_per_address(users, istanbul, settings):
    _rates(settings, heavy_anon="2/min")
    first = Client(REMOTE_ADDR="203.0.113.10")
    url = f"/public/{istanbul.pk}/ties.csv"  # 404 here (nothing public yet): counted all the same
    codes = [first.get(url).status_code for _ in range(3)]
    assert codes[:2] == [404, 404] and codes[2] == 429
    assert Client(REMOTE_ADDR="198.51.100.10").get(url).status_code == 404


@pytest.mark.django_db
def test_heavy_pages_are_limited_per_user(client_for, settings):
    _rates(settings, heavy="2/min")
    viewer = client_for("viewer")
    codes = [viewer.get("/analytics/export/agreements.csv").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    page = viewer.get("/analytics/export/agreements.csv", HTTP_ACCEPT_LANGUAGE="tr")
    assert "Rapor ve dışa aktarma" in page.content.decode()
    assert client_for("officer").get("/analytics/export/agreements.csv").status_code == 200


@pytest.mark.django_db
def test_a_user_runs_one_heavy_request_at_a_time(client_for, users, settings):
    """While a report of the viewer is being made (its slot taken), the viewer's next heavy
    request is answered at once with 429 instead of taking a second worker; others go ahead."""
    viewer = client_for("viewer")
    request = type("R", (), {"user": users["viewer"]})()
    slot = throttling.acquire_slot(request)
    assert slot
    try:
        busy = viewer.get("/analytics/export/partners.geojson", HTTP_ACCEPT_LANGUAGE="en")
        assert busy.status_code == 429
        assert busy["Retry-After"] == str(throttling.SLOT_RETRY_AFTER)
        assert b"already being prepared for you" in busy.content
        api = Client()
        api.force_login(users["viewer"])
        assert api.get("/api/analytics/network/").status_code == 429
        assert client_for("officer").get("/analytics/export/agreements.csv").status_code == 200
    finally:
        throttling.release_slot(slot)
    assert viewer.get("/analytics/export/agreements.csv").status_code == 200
    # the slot is given back after the request, also after an error
    assert throttling.acquire_slot(request)


@pytest.mark.django_db
def test_the_slot_is_released_when_the_view_fails(users, rf):
    request = rf.get("/")
    request.user = users["viewer"]

    @throttling.heavy
    def failing(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing(request)
    key = throttling.acquire_slot(request)
    assert key
    throttling.release_slot(key)


def test_the_default_cache_is_shared_between_processes(tmp_path):
    """Throttle counts and slots must be seen by every worker process: without CACHE_URL the
    cache is a folder under var/ (F11: the old LocMem cache was per process)."""
    code = ("import django, sys; django.setup(); from django.core.cache import cache; "
            "print(cache.add('slot', sys.argv[1], 60), cache.get('slot'))")
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"),
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings")
    env.pop("CACHE_URL", None)
    outputs = [subprocess.run([sys.executable, "-c", code, name], check=False, env=env, capture_output=True,
                              text=True, timeout=60).stdout.split() for name in ("first", "second")]
    assert outputs == [["True", "first"], ["False", "first"]]


def test_shared_file_cache_add_is_atomic(tmp_path):
    """Two workers racing for the same slot: exactly one gets it."""
    from citydiplomacy.core.cache import SharedFileCache

    results = []
    barrier = threading.Barrier(16)

    def race():
        backend = SharedFileCache(str(tmp_path), {})
        barrier.wait()
        results.append(backend.add("heavy-slot:user:1", 1, 60))

    threads = [threading.Thread(target=race) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    backend = SharedFileCache(str(tmp_path), {})
    backend.delete("heavy-slot:user:1")
    assert backend.add("heavy-slot:user:1", 1, 60)
    backend.set("expired", 1, -1)
    assert backend.add("expired", 2, 60) and backend.get("expired") == 2


def test_unknown_cache_url_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from citydiplomacy.settings import cache_from_url

    assert cache_from_url("redis://cache:6379/0")["BACKEND"].endswith("RedisCache")
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("mongodb://x")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_repeating_browser_is_answered_without_loading_its_session(client_for, users,
                                                                     django_assert_num_queries):
    """The slot's browser session is noted: its repeated heavy requests get a 429 with no
    database query at all, so a burst of them costs the workers next to nothing."""
    from django.test import RequestFactory

    viewer = client_for("viewer")
    request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid={viewer.cookies['sessionid'].value}")
    request.user = users["viewer"]
    slot = throttling.acquire_slot(request)
    try:
        with django_assert_num_queries(0):
            for url in ("/analytics/export/partners.geojson", "/analytics/export/agreements.csv", "/api/analytics/network/"):
                response = viewer.get(url)
                assert response.status_code == 429, url
                assert "no-store" in response["Cache-Control"]
        assert viewer.get("/analytics/map/").status_code == 200  # light pages go on as usual
    finally:
        throttling.release_slot(slot)
    assert viewer.get("/analytics/export/agreements.csv").status_code == 200


@pytest.mark.django_db
def test_the_national_register_downloads_are_limited_per_address(settings):
    _rates(settings, heavy_anon="2/min")
    client = Client(REMOTE_ADDR="203.0.113.11")
    for url in ("/public/register/ties.csv", "/public/register/ties.geojson"):
        cache.clear()
        codes = [client.get(url).status_code for _ in range(3)]
        assert codes == [200, 200, 429], url
        assert Client(REMOTE_ADDR="198.51.100.11").get(url).status_code == 200


@pytest.mark.django_db
def test_a_junk_session_cookie_makes_a_valid_cache_key(client, recwarn):
    client.cookies["sessionid"] = "Ã¨\x9fA9 \u00ff" * 40
    assert client.get("/analytics/export/partners.geojson").status_code == 302  # to the sign-in page
    assert not [w for w in recwarn if "CacheKeyWarning" in str(w.category)]
