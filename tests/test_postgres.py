"""PostgreSQL is really there when required (CI sets REQUIRE_POSTGRES=1 and POSTGRES_URL).

The whole suite runs on PostgreSQL when DATABASE_URL points at it; these tests prove the
server is reachable and that the run really used it, instead of silently skipping.
"""

import os

import pytest

from tests.conftest import env_flag


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return os.environ.get("POSTGRES_URL") or None


@pytest.fixture(scope="module")
def pg_url():
    url = postgres_url()
    if not url:
        if env_flag("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES=1 but neither DATABASE_URL nor POSTGRES_URL names a PostgreSQL server")
        pytest.skip("no PostgreSQL configured; set REQUIRE_POSTGRES=1 to make this a failure")
    return url


@pytest.mark.postgres
def test_postgres_server_answers(pg_url):
    import psycopg

    with psycopg.connect(pg_url, connect_timeout=5) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    assert int(version.split(".")[0]) >= 13


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_database_is_postgres_when_database_url_says_so(pg_url):
    from django.db import connection

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_encoding')")
            assert cursor.fetchone()[0] == "UTF8"
    else:
        assert connection.vendor == "sqlite"
