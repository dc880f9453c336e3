"""A task for tests/web/test_task_worker.py: it announces that it started, and on its first
attempt sleeps long enough to be killed before it stores anything."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from citydiplomacy.core import stored_results


@task()
def slow_result(folder: str) -> str:
    started = Path(folder) / "started"
    first_attempt = not started.exists()
    started.write_text("1")
    value = {"part": 1}
    if first_attempt:
        time.sleep(60)  # killed here by the test
    value["part"] = 2
    stored_results.write("slow", "inputs-2", value)
    return "stored"
