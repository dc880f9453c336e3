"""Issuing a directive runs its fan-out as a background task: the POST records the directive and
queues the task in one transaction; the directive's page and API show the progress; a fan-out
stopped in the middle (an error, a killed worker) is completed by the next run, with no task
and no notification twice."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.accounts.models import Notification, NotificationKind
from citydiplomacy.agreements import directive_fanout
from citydiplomacy.agreements.models import Agreement, Directive, DirectiveTask
from citydiplomacy.governments.models import LocalGovernment
from tests.agreements.test_directives import NL_CALL
from tests.conftest import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]


def _nl_ties(istanbul, ankara, count: int) -> list[Agreement]:
    ties = []
    for n in range(count):
        partner = LocalGovernment.objects.create(name=f"Gemeente {n}", country_code="NL", kind="municipality")
        ties.append(Agreement.objects.create(organisation=istanbul if n % 2 else ankara, partner=partner,
                                             instrument="twinning", title=f"Tie {n}", state="active",
                                             signed_on=dt.date(2005, 6, 24)))
    return ties


@pytest.mark.django_db
def test_issuing_queues_the_fanout_with_the_directive(istanbul, ankara, users, policy_tables, api_client_for):
    _nl_ties(istanbul, ankara, 3)
    body = api_client_for("oversight").post("/api/directives/", NL_CALL, format="json").json()
    directive = Directive.objects.get(pk=body["id"])
    assert directive.fanout == "queued" and not directive.tasks.exists()
    queued = DBTaskResult.objects.get(task_path=directive_fanout.fan_out_directive.module_path)
    assert queued.status == "READY" and queued.args_kwargs == {"args": [directive.pk], "kwargs": {}}


@pytest.mark.django_db
def test_the_page_shows_progress_until_every_task_is_created(istanbul, ankara, users, policy_tables,
                                                             client_for, run_worker):
    _nl_ties(istanbul, ankara, 3)
    client = client_for("oversight")
    issued = client.post("/agreements/directives/", NL_CALL, HTTP_ACCEPT_LANGUAGE="tr", follow=True)
    body = issued.content.decode()
    assert 'data-testid="directive-progress" data-state="queued"' in body
    assert 'http-equiv="refresh"' in body and "arka planda" in body
    listed = client.get("/agreements/directives/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-testid="fanout-state">Başlaması bekleniyor' in listed
    run_worker()
    page = client.get(issued.redirect_chain[-1][0], HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-state="done"' in page and 'http-equiv="refresh"' not in page
    assert "2 belediyenin 3 anlaşması etkileniyor" in page
    assert 'data-testid="fanout-state"' not in client.get("/agreements/directives/").content.decode()


@pytest.mark.django_db
def test_a_fanout_stopped_midway_is_completed_by_the_next_run(istanbul, ankara, users, policy_tables,
                                                             api_client_for, monkeypatch):
    ties = _nl_ties(istanbul, ankara, 5)
    directive_id = api_client_for("oversight").post("/api/directives/", NL_CALL, format="json").json()["id"]
    monkeypatch.setattr(directive_fanout, "CHUNK", 2)

    def stop_after_first_chunk(directive_id, written):
        raise KeyboardInterrupt("worker stopped")

    monkeypatch.setattr(directive_fanout, "AFTER_CHUNK_HOOKS", [stop_after_first_chunk])
    with pytest.raises(KeyboardInterrupt):
        directive_fanout.fan_out(directive_id)
    half = api_client_for("oversight").get(f"/api/directives/{directive_id}/").json()
    assert half["progress"] == {"state": "running", "tasks_created": 2, "agreements_affected": 5, "percent": 40}
    assert not Notification.objects.exists()  # the staff are told once every task is there

    monkeypatch.setattr(directive_fanout, "AFTER_CHUNK_HOOKS", [])
    directive_fanout.fan_out(directive_id)
    directive_fanout.fan_out(directive_id)  # a third run changes nothing
    assert sorted(DirectiveTask.objects.values_list("agreement_id", flat=True)) == sorted(t.pk for t in ties)
    done = api_client_for("oversight").get(f"/api/directives/{directive_id}/").json()
    assert done["progress"] == {"state": "done", "tasks_created": 5, "agreements_affected": 5, "percent": 100}
    for role in ("officer", "other_officer", "approver", "admin"):
        assert Notification.objects.filter(user=users[role], kind=NotificationKind.DIRECTIVE).count() == 1


WORKER_PAUSING_AFTER_ONE_CHUNK = """
import pathlib, sys, time
import django
django.setup()
from django.core.management import call_command
from citydiplomacy.agreements import directive_fanout

directive_fanout.CHUNK = 2
def pause(directive_id, written):
    pathlib.Path(sys.argv[1], "chunk-written").write_text(str(written))
    time.sleep(120)
directive_fanout.AFTER_CHUNK_HOOKS.append(pause)
call_command("worker", interval=0.2)
"""

SETUP = """
import django
django.setup()
import datetime as dt
from citydiplomacy.accounts.models import Role, User
from citydiplomacy.agreements.directives import issue_directive
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
load_policy_tables()
ibb = LocalGovernment.objects.create(name="İBB", country_code="TR", kind="metropolitan_municipality")
User.objects.create(username="ibb-officer", role=Role.OFFICER, organisation=ibb)
for n in range(5):
    partner = LocalGovernment.objects.create(name=f"Gemeente {n}", country_code="NL", kind="municipality")
    Agreement.objects.create(organisation=ibb, partner=partner, instrument="twinning", title=f"Tie {n}",
                             state="active", signed_on=dt.date(2005, 6, 24))
print(issue_directive(actor=None, country="NL", issued_on="2017-03-15", action="end", reason="r", source="s").pk)
"""

CHECK = """
import django
django.setup()
from citydiplomacy.accounts.models import Notification
from citydiplomacy.agreements.models import Directive
from django_tasks_db.models import DBTaskResult
d = Directive.objects.get()
print(d.fanout, d.tasks.count(), d.tasks.values("agreement").distinct().count(), Notification.objects.count(),
      DBTaskResult.objects.get(task_path="citydiplomacy.agreements.directive_fanout.fan_out_directive").status)
"""


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs against its own SQLite file")
def test_killed_worker_mid_fanout_loses_nothing(tmp_path, migrated_sqlite):
    env = dict(os.environ, DEBUG="1", CITYDIPLOMACY_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    env.pop("DATABASE_URL", None)

    def python(code: str, *args: str) -> str:
        return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=180).stdout

    cli = [sys.executable, "-m", "citydiplomacy.cli"]
    copy_sqlite(migrated_sqlite, tmp_path)
    python(SETUP)
    worker = subprocess.Popen([sys.executable, "-c", WORKER_PAUSING_AFTER_ONE_CHUNK, str(tmp_path)], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "chunk-written").exists():
            assert time.monotonic() < deadline and worker.poll() is None, "the fan-out did not start"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # after its first chunk of tasks
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # half done: two of five tasks, nobody told yet, the task left RUNNING by the dead worker
    assert python(CHECK).split() == ["running", "2", "2", "0", "RUNNING"]
    subprocess.run([*cli, "worker", "--batch"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=180)
    # the next worker took it up again and completed it: five tasks, one each, the officer told once
    assert python(CHECK).split() == ["done", "5", "5", "1", "SUCCESSFUL"]


@pytest.mark.django_db
def test_a_failed_fanout_is_queued_again_when_a_worker_starts(istanbul, ankara, users, policy_tables,
                                                              api_client_for, run_worker, monkeypatch):
    _nl_ties(istanbul, ankara, 3)
    directive_id = api_client_for("oversight").post("/api/directives/", NL_CALL, format="json").json()["id"]

    def broken(directive_id, written):
        raise RuntimeError("database went away")

    monkeypatch.setattr(directive_fanout, "CHUNK", 1)
    monkeypatch.setattr(directive_fanout, "AFTER_CHUNK_HOOKS", [broken])
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert Directive.objects.get(pk=directive_id).fanout == "running"
    monkeypatch.setattr(directive_fanout, "AFTER_CHUNK_HOOKS", [])
    assert directive_fanout.resume_unfinished() == 1
    assert directive_fanout.resume_unfinished() == 0  # one run waiting is enough
    run_worker()
    assert Directive.objects.get(pk=directive_id).fanout == "done"
    assert DirectiveTask.objects.filter(directive_id=directive_id).count() == 3
    assert directive_fanout.resume_unfinished() == 0
