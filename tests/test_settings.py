"""Settings come from the environment; production settings pass `check --deploy` cleanly."""

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#k2-production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "citydiplomacy.example.org",
}


def run_cli(*args, env_overrides):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser fixture and must not leak into production.
    dropped = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "citydiplomacy.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_with_production_settings_has_no_warnings():
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr.upper().replace("WARNINGS:", "")


def test_development_secret_key_refused_without_debug():
    result = run_cli("check", env_overrides={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_database_url_switches_to_postgresql():
    code = ("import django;from django.conf import settings;django.setup();"
            "print(settings.DATABASES['default']['ENGINE'])")
    env = dict(os.environ, DEBUG="1", DATABASE_URL="postgres://u:p@127.0.0.1:5432/x",
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert out.stdout.strip() == "django.db.backends.postgresql", out.stderr


def test_sqlite_file_database_uses_wal_and_busy_timeout(tmp_path):
    """The test suite uses an in-memory database; check the real file configuration."""
    code = ("import django;from django.conf import settings;django.setup();"
            "from django.db import connection;c=connection.cursor();"
            "c.execute('PRAGMA journal_mode');print(c.fetchone()[0]);"
            "c.execute('PRAGMA busy_timeout');print(c.fetchone()[0])")
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings")
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    journal, timeout_ms = out.stdout.split()
    assert journal.lower() == "wal", out.stderr
    assert int(timeout_ms) >= 5000
