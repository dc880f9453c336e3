"""The background task worker as a child of `citydiplomacy serve` (what `make run` starts):
started when gunicorn is ready, started again if it dies (a killed worker's task is requeued
by the new one, see web/management/commands/worker.py), stopped when gunicorn exits.

Production runs `citydiplomacy worker` under its own supervisor instead (README).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

RESTART_DELAY = 2.0  # seconds before a dead worker is started again
STOP_TIMEOUT = 10.0  # seconds a stopping worker may take to finish its task


class WorkerChild:
    def __init__(self, command: list[str] | None = None):
        self.command = command or [sys.executable, "-m", "citydiplomacy.cli", "worker"]
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="task-worker", daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            self.process = subprocess.Popen(self.command, env=os.environ.copy())
            self.process.wait()
            if self._stopping.wait(RESTART_DELAY):
                break

    def stop(self) -> None:
        self._stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # db_worker finishes its task, then exits
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()  # the task is requeued when a worker starts again
            process.wait()
