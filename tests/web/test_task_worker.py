"""Killing the background worker in the middle of a task loses nothing: the stored result
stays the previous, whole one while the task is half done, and the next worker runs the task
again (web/management/commands/worker.py requeues what a dead worker left RUNNING). Tried with
a test task and with the report-PDF task, on SQLite and on PostgreSQL (a database of its own
on the server DATABASE_URL or POSTGRES_URL names; skipped without one unless REQUIRE_POSTGRES=1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import POSTGRES_SERVER_URL, copy_sqlite, create_postgres_copy, env_flag

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = POSTGRES_SERVER_URL


def run_in_django(env, code: str) -> str:
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(params=["sqlite", "postgresql"])
def worker_env(request, tmp_path):
    """The environment of the worker processes: their own SQLite file (a copy of a migrated
    one), or their own database on the PostgreSQL server of SERVER_URL (a copy of a migrated
    one, dropped here)."""
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    if request.param == "sqlite":
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            pytest.skip("the PostgreSQL run tries PostgreSQL")
        env.pop("DATABASE_URL", None)
        copy_sqlite(request.getfixturevalue("migrated_sqlite"), tmp_path)
        yield env
        return
    if not SERVER_URL:
        if env_flag("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES=1 but neither DATABASE_URL nor POSTGRES_URL names a PostgreSQL server")
        pytest.skip("no PostgreSQL in DATABASE_URL or POSTGRES_URL; set REQUIRE_POSTGRES=1 to make this a failure")
    import psycopg

    url = urlsplit(SERVER_URL)
    name = f"{url.path.lstrip('/') or 'citydiplomacy'}_kill_{uuid.uuid4().hex[:8]}"
    env["DATABASE_URL"] = create_postgres_copy(request.getfixturevalue("migrated_postgres"), name)
    try:
        yield env
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kill_in_the_middle(command: list[str], env, started: Path) -> None:
    """Start a worker, wait until its task says it started, SIGKILL it."""
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert time.monotonic() < deadline and worker.poll() is None, "the task did not start"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # in the middle of the task
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()


def test_killed_worker_loses_nothing(worker_env, tmp_path):
    env = worker_env
    cli = [sys.executable, "-m", "citydiplomacy.cli"]
    slow, pdf = tmp_path / "slow", tmp_path / "pdf"
    slow.mkdir()
    pdf.mkdir()
    run_in_django(env, f"""
from citydiplomacy.core import stored_results
from tests.web.slow_tasks import slow_result
stored_results.write("slow", "inputs-1", {{"part": "old"}})
slow_result.enqueue({str(slow)!r})
""")
    kill_in_the_middle([*cli, "worker", "--interval", "0.2"], env, slow / "started")
    check = """
from django_tasks_db.models import DBTaskResult
from citydiplomacy.core import stored_results
task = DBTaskResult.objects.get(task_path="tests.web.slow_tasks.slow_result")
seen = stored_results.read("slow", "inputs-2")
print(task.status, len(task.worker_ids), seen.value, seen.updating)
"""
    # half done: the task is still marked running, readers see the previous result whole
    assert run_in_django(env, check).split() == ["RUNNING", "1", "{'part':", "'old'}", "True"]
    subprocess.run([*cli, "worker", "--batch"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    # the next worker ran it again to the end
    assert run_in_django(env, check).split() == ["SUCCESSFUL", "2", "{'part':", "2}", "False"]

    # the report PDF: a PDF of older data is held; the task making the new one is killed
    organisation = run_in_django(env, """
from citydiplomacy.analytics import report_pdf
from citydiplomacy.governments.models import LocalGovernment
town = LocalGovernment.objects.create(name="Killtown", country_code="TR", latitude=39.9, longitude=32.8)
report_pdf.stored_results.write(report_pdf.kind(town.pk, 2020, "tr"), "older data",
                                {"pdf": b"%PDF-old whole", "filename": "report.pdf"})
report_pdf.produce_report_pdf.enqueue(town.pk, 2020, "tr")
print(town.pk)
""").strip()
    kill_in_the_middle([sys.executable, str(ROOT / "tests" / "web" / "paused_pdf_worker.py"), str(pdf),
                        "--interval", "0.2"], env, pdf / "started")
    check = f"""
from django_tasks_db.models import DBTaskResult
from citydiplomacy.analytics import report_pdf
task = DBTaskResult.objects.get(task_path=report_pdf.produce_report_pdf.module_path)
held = report_pdf.state({organisation}, 2020, "tr")
print(task.status, len(task.worker_ids), held.value["pdf"][:8], held.updating)
"""
    # half done: readers are offered the previous PDF, whole, as being updated
    assert run_in_django(env, check).split() == ["RUNNING", "1", "b'%PDF-old'", "True"]
    subprocess.run([*cli, "worker", "--batch"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    assert run_in_django(env, check).split() == ["SUCCESSFUL", "2", "b'%PDF-1.7'", "False"]


def test_requeue_only_tasks_of_dead_or_lost_workers(db):
    import datetime as dt
    import socket

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from citydiplomacy.web.management.commands.worker import requeue_orphans
    from tests.web.slow_tasks import slow_result

    host = socket.gethostname()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    rows = {}
    for name, worker, age in (("dead", f"{host}:{dead.pid}", 1), ("alive", f"{host}:{os.getpid()}", 1),
                              ("elsewhere", "other-host:1", 1), ("lost", "other-host:2", 120)):
        result = slow_result.enqueue("unused")
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", worker_ids=[worker],
            started_at=timezone.now() - dt.timedelta(minutes=age))
        rows[name] = str(result.id)
    assert requeue_orphans() == 2
    status = {str(pk): s for pk, s in DBTaskResult.objects.values_list("id", "status")}
    assert {name: status[pk] for name, pk in rows.items()} == {
        "dead": "READY", "alive": "RUNNING", "elsewhere": "RUNNING", "lost": "READY"}


def test_a_worker_that_lost_its_database_takes_up_its_own_task_again(transactional_db, monkeypatch):
    """After a database restart the worker lives on (it waits and retries) and the task it was
    running is made READY again: nobody else would, since its process is alive. (Outside a test
    transaction: the worker closes its connections, as it must to reconnect.)"""
    import socket

    from django.core.management import call_command
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResult

    from citydiplomacy.web.management.commands import worker
    from tests.web.slow_tasks import slow_result

    own = f"{socket.gethostname()}:{os.getpid()}"
    result = slow_result.enqueue("unused")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=[own])
    calls = []

    def db_worker_once_unreachable(name, **options):
        calls.append(DBTaskResult.objects.get(pk=result.id).status)
        if len(calls) == 1:
            raise OperationalError("connection refused")

    monkeypatch.setattr(worker, "call_command", db_worker_once_unreachable)
    monkeypatch.setattr(worker, "RETRY_SECONDS", 0)
    monkeypatch.setattr(worker, "STALE_CHECKS", ())
    monkeypatch.setattr(worker, "warm_tasks", lambda: None)
    monkeypatch.setattr(worker.os, "nice", lambda n: 0)
    call_command("worker")
    assert calls == ["RUNNING", "READY"]
