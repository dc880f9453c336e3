"""Shared fixtures: demo organisations and one user per role, API clients, a real browser.

Browser tests use the `playwright` package driving Debian's `chromium` (never a downloaded
browser). They skip when no chromium is on PATH unless REQUIRE_BROWSER=1, which turns a
missing browser into a failure (CI sets it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from citydiplomacy.accounts.models import Role, User
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

PASSWORD = "test-Password-1234"
ROLES = ("anonymous", "viewer", "officer", "other_officer", "approver", "admin", "oversight")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# --- a SQLite file of its own, for tests that run the real CLI ---------------------------------
def built_once_per_run(tmp_path_factory, name: str, build) -> Path:
    """A folder that `build(folder)` fills once per test run, by the first xdist worker that asks;
    the others wait for it under a lock and then read the same folder (read only: tests copy)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with open(root / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (folder / ".built").exists():
                shutil.rmtree(folder, ignore_errors=True)  # a half-built folder of a failed build
                folder.mkdir()
                build(folder)
                (folder / ".built").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty SQLite file migrated by the real CLI, once per run (a migrate costs several
    seconds): tests that run the CLI on a file of their own start from a copy (`copy_sqlite`)."""
    return built_once_per_run(tmp_path_factory, "migrated", cli_migrate) / "citydiplomacy.sqlite3"


def cli_migrate(var_dir: Path, database_url: str | None = None) -> None:
    """`citydiplomacy migrate` in a process of its own, on `database_url` or, without one, on
    the SQLite file of `var_dir`."""
    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(var_dir),
               PYTHONPATH=os.pathsep.join([str(root / "src"), env.get("PYTHONPATH", "")]),
               **({"DATABASE_URL": database_url} if database_url else {}))
    subprocess.run([sys.executable, "-m", "citydiplomacy.cli", "migrate", "--noinput", "-v0"],
                   env=env, cwd=root, check=True, capture_output=True, timeout=300)


# the suite's own PostgreSQL server (DATABASE_URL) or, on a SQLite run, the one CI names in POSTGRES_URL
POSTGRES_SERVER_URL = next((url for url in (os.environ.get("DATABASE_URL", ""), os.environ.get("POSTGRES_URL", ""))
                            if url.startswith(("postgres://", "postgresql://"))), "")
MIGRATED_POSTGRES = "migrated-postgres"


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory) -> str:
    """The name of a database on POSTGRES_SERVER_URL migrated by the real CLI once per run:
    tests that run the CLI on a database of their own create it with
    `CREATE DATABASE ... TEMPLATE` (`create_postgres_copy`). Dropped when the run ends."""
    import psycopg

    def migrate(folder: Path) -> None:
        name = f"cd_migrated_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES_SERVER_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        (folder / "name").write_text(name)
        cli_migrate(folder, postgres_url(name))

    return (built_once_per_run(tmp_path_factory, MIGRATED_POSTGRES, migrate) / "name").read_text()


def create_postgres_copy(template: str, name: str) -> str:
    """Create database `name` as a copy of `template` on POSTGRES_SERVER_URL; answers its URL."""
    import psycopg

    with psycopg.connect(POSTGRES_SERVER_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return postgres_url(name)


def postgres_url(name: str) -> str:
    """The URL of database `name` on POSTGRES_SERVER_URL's server."""
    return POSTGRES_SERVER_URL.rsplit("/", 1)[0] + "/" + name


def pytest_sessionfinish(session):
    """The controller (or the only process) drops the run's migrated PostgreSQL template, once
    every worker is done with it."""
    if hasattr(session.config, "workerinput") or not POSTGRES_SERVER_URL:
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    name_file = factory.getbasetemp() / MIGRATED_POSTGRES / "name" if factory else None
    if name_file is None or not name_file.exists():
        return
    import psycopg

    with psycopg.connect(POSTGRES_SERVER_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name_file.read_text()}" WITH (FORCE)')


def copy_sqlite(source: Path, var_dir: Path) -> None:
    """Put a copy of the SQLite file `source` (with its -wal file, if one was left) into `var_dir`."""
    var_dir.mkdir(parents=True, exist_ok=True)
    for path in source.parent.glob(source.name + "*"):
        shutil.copyfile(path, var_dir / path.name)


@pytest.fixture
def istanbul(db) -> LocalGovernment:
    return LocalGovernment.objects.create(
        name="İstanbul Büyükşehir Belediyesi", kind=GovernmentKind.METROPOLITAN_MUNICIPALITY,
        country_code="TR", geonameid=745044, latitude=41.01384, longitude=28.94966,
    )


@pytest.fixture
def ankara(db) -> LocalGovernment:
    return LocalGovernment.objects.create(
        name="Ankara Büyükşehir Belediyesi", kind=GovernmentKind.METROPOLITAN_MUNICIPALITY,
        country_code="TR", geonameid=323786, latitude=39.91987, longitude=32.85427,
    )


def make_user(username: str, role: str, organisation) -> User:
    user = User(username=username, role=role, organisation=organisation)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def users(istanbul, ankara) -> dict[str, User | None]:
    """One user per matrix role; 'other_officer' is an officer of another organisation."""
    return {
        "anonymous": None,
        "viewer": make_user("ibb-viewer", Role.VIEWER, istanbul),
        "officer": make_user("ibb-officer", Role.OFFICER, istanbul),
        "other_officer": make_user("ankara-officer", Role.OFFICER, ankara),
        "approver": make_user("ibb-approver", Role.APPROVER, istanbul),
        "admin": make_user("ibb-admin", Role.ADMIN, istanbul),
        "oversight": make_user("oversight", Role.OVERSIGHT, None),
        "authority": make_user("ministry", Role.AUTHORITY, None),
    }


@pytest.fixture
def api_client_for(users):
    """api_client_for("officer") → an APIClient authenticated as that role's user."""

    def factory(role: str) -> APIClient:
        client = APIClient()
        if users[role] is not None:
            client.force_authenticate(users[role])
        return client

    return factory


@pytest.fixture
def client_for(users, client):
    """client_for("officer") → Django test client logged in as that role's user."""
    from django.test import Client

    def factory(role: str) -> Client:
        c = Client()
        if users[role] is not None:
            c.force_login(users[role])
        return c

    return factory


# --- real browser ----------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if env_flag("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER=1 but no `chromium` on PATH (apt install chromium)")
        pytest.skip("no chromium on PATH; set REQUIRE_BROWSER=1 to make this a failure")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # in a thread with a running loop unless told it is safe (it is: the loop is idle).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="tr-TR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def sign_in(page, base_url: str, username: str, password: str = PASSWORD):
    """Log a browser page in through the real login form."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.fixture
def login(page):
    def do_login(username: str, password: str = PASSWORD):
        return sign_in(page, page.base_url, username, password)

    return do_login


@pytest.fixture(scope="session")
def screenshot_dir():
    path = os.path.join(os.path.dirname(__file__), "..", "var", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that need it (tests/accounts) switch it back on."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """The default cache is a folder under var/ shared by every process on the host; a test run
    gets its own, so that two runs in one worktree (or a dev server) never clear each other's."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("cache")
    from django.conf import settings

    caches = {**settings.CACHES, "default": {"BACKEND": "citydiplomacy.core.cache.SharedFileCache",
                                             "LOCATION": str(folder)}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True, scope="session")
def static_files_listed_once():
    """Every test client builds the middleware chain anew, and WhiteNoise's middleware lists
    every static file through the finders when it is built (DEBUG is off under pytest-django
    while WHITENOISE_USE_FINDERS followed the DEBUG=1 of `make test`): about 0.1 s per client.
    The files do not change during a run: list them once, and give each new middleware the
    same entries (built with the same serving settings; other settings list afresh)."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    real = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[tuple, dict] = {}

    def add_files_from_finders(self):
        key = (self.static_prefix, self.max_age, self.allow_all_origins, self.charset,
               self.add_headers_function, self.index_file,
               getattr(self.immutable_file_test, "__func__", self.immutable_file_test))
        if key not in listed:
            before = dict(self.files)
            real(self)
            listed[key] = {url: entry for url, entry in self.files.items()
                           if before.get(url) is not entry}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = real


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """API and heavy-page rates out of the way of tests that make many requests (the fuzzer);
    tests/web/test_throttling.py sets them low on purpose. The token rate stays as configured."""
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates.update({scope: "1000000/min" for scope in ("anon", "user", "heavy", "heavy_anon")})
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters (the token endpoint allows 20/min) live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
