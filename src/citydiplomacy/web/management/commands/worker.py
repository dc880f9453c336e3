"""`citydiplomacy worker`: run the background task worker (django-tasks' `db_worker`) after
putting back in the queue the tasks that a killed worker left half done, and asking for the
results that are missing or older than their inputs.

A worker that is killed in the middle of a task (SIGKILL, a crash, the machine going down)
leaves the task marked RUNNING for ever: `db_worker` does not take it up again. Its id
(`host:pid`, given by this command) tells whether it still lives: on this host, a RUNNING task
whose worker's process is gone is made READY again; from any host, one RUNNING for longer than
LOST_AFTER is taken for lost. Tasks only store their result when it is complete
(core/stored_results.py), so running one again is always safe.

`citydiplomacy serve` starts this command as its child; in production run it beside the web
servers (README, "Background work").
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

from citydiplomacy.web.ops.warm import warm_tasks

LOST_AFTER = dt.timedelta(hours=1)
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


def requeue_orphans(now: dt.datetime | None = None) -> int:
    """Make READY again the tasks whose worker died while running them. Answers how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    host = socket.gethostname()
    orphans = []
    for pk, workers, started in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "id", "worker_ids", "started_at"):
        last = (workers or [""])[-1]
        name, _sep, pid = last.rpartition(":")
        dead_here = name == host and pid.isdigit() and not _alive(int(pid))
        if dead_here or (started is not None and now - started > LOST_AFTER):
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

    def handle(self, *args, interval, batch, verbosity, **options):
        requeued = requeue_orphans()
        if requeued:
            self.stdout.write(f"Requeued {requeued} task(s) left running by a stopped worker.")
        for path in STALE_CHECKS:
            import_string(path)()
        warm_tasks()  # WeasyPrint and the report map, before the first report PDF
        call_command("db_worker", interval=interval, batch=batch, reload=False,
                     startup_delay=False, worker_id=worker_id(), verbosity=verbosity)
