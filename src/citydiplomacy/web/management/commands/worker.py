"""`citydiplomacy worker`: run the background task worker (django-tasks' `db_worker`) after
putting back in the queue the tasks that a killed worker left half done, and asking for the
results that are missing or older than their inputs.

A worker that is killed in the middle of a task (SIGKILL, a crash, the machine going down)
leaves the task marked RUNNING for ever: `db_worker` does not take it up again. Its id
(`host:pid`, given by this command) tells whether it still lives: on this host, a RUNNING task
whose worker's process is gone is made READY again; from any host, one RUNNING for longer than
LOST_AFTER is taken for lost. Tasks only store their result when it is complete
(core/stored_results.py), so running one again is always safe.

The worker runs at a lower CPU priority (`--niceness`, default 10): its recomputations yield
the processor to the web workers that serve users, and take what is left over.

`citydiplomacy serve` starts this command as its child; in production run it beside the web
servers (README, "Background work").
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from citydiplomacy.web.ops.warm import warm_tasks

LOST_AFTER = dt.timedelta(hours=1)
RETRY_SECONDS = 5
# Called at start: each enqueues its task when its stored result is missing or out of date.
STALE_CHECKS = ("citydiplomacy.analytics.tasks.refresh_if_stale",
                "citydiplomacy.recommend.snapshot.refresh_if_stale",
                "citydiplomacy.agreements.directive_fanout.resume_unfinished")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_orphans(now: dt.datetime | None = None, own: str | None = None) -> int:
    """Make READY again the tasks whose worker died while running them, and those that the
    worker `own` (this process, after losing its database) was running. Answers how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    host = socket.gethostname()
    orphans = []
    for pk, workers, started in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "id", "worker_ids", "started_at"):
        last = (workers or [""])[-1]
        name, _sep, pid = last.rpartition(":")
        dead_here = name == host and pid.isdigit() and not _alive(int(pid))
        if dead_here or last == own or (started is not None and now - started > LOST_AFTER):
            orphans.append(pk)
    if orphans:
        DBTaskResult.objects.filter(pk__in=orphans, status="RUNNING").update(
            status="READY", started_at=None)
    return len(orphans)


class Command(BaseCommand):
    help = "Run the background task worker (requeues tasks of killed workers first)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at an empty queue")
        parser.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit (tests, cron)")
        parser.add_argument("--niceness", type=int,
                            default=int(os.environ.get("CITYDIPLOMACY_WORKER_NICENESS", "10")),
                            help="CPU priority below the web servers' (0: the same; default 10)")

    def handle(self, *args, interval, batch, verbosity, niceness=10, **options):
        if niceness > 0:
            os.nice(niceness)
        warm_tasks()  # WeasyPrint and the report map, before the first report PDF
        own = None
        while True:
            try:
                requeued = requeue_orphans(own=own)
                if requeued:
                    self.stdout.write(f"Requeued {requeued} task(s) left running by a stopped worker.")
                for path in STALE_CHECKS:
                    import_string(path)()
                call_command("db_worker", interval=interval, batch=batch, reload=False,
                             startup_delay=False, worker_id=worker_id(), verbosity=verbosity)
                return
            except (OperationalError, InterfaceError) as exc:
                # a database restart must not end background work: wait for the database, then
                # take up again the task this worker was running when it went away
                if batch:
                    raise
                self.stderr.write(f"The database is unreachable ({str(exc).strip()[:200]}); "
                                  f"trying again in {RETRY_SECONDS} s.")
                connections.close_all()
                own = worker_id()
                time.sleep(RETRY_SECONDS)
