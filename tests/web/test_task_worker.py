"""Killing the background worker in the middle of a task loses nothing: the stored result
stays the previous, whole one while the task is half done, and the next worker runs the task
again (web/management/commands/worker.py requeues what a dead worker left RUNNING)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_in_django(env, code: str) -> str:
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs against its own SQLite file")
def test_killed_worker_loses_nothing(tmp_path):
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "citydiplomacy.cli"]
    subprocess.run([*cli, "migrate", "--noinput"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=180)
    run_in_django(env, f"""
from citydiplomacy.core import stored_results
from tests.web.slow_tasks import slow_result
stored_results.write("slow", "inputs-1", {{"part": "old"}})
slow_result.enqueue({str(tmp_path)!r})
""")
    worker = subprocess.Popen([*cli, "worker", "--interval", "0.2"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists():
            assert time.monotonic() < deadline and worker.poll() is None, "the task did not start"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # in the middle of the task
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
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
