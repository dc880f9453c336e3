"""The gunicorn worker hooks freeze the warm heap (so that full collections skip it), and the
project's gunicorn.conf.py installs them."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

from citydiplomacy.web.ops import gunicorn_hooks

ROOT = Path(__file__).resolve().parents[2]


def _frozen_after(call) -> int:
    gc.unfreeze()
    try:
        call()
        return gc.get_freeze_count()
    finally:
        gc.unfreeze()


def test_worker_start_freezes_the_loaded_application(monkeypatch):
    monkeypatch.setattr(gunicorn_hooks, "warm_up", dict)  # warm start: tests/web/test_warm_start.py
    worker = SimpleNamespace(log=SimpleNamespace(info=lambda *args: None))
    assert _frozen_after(lambda: gunicorn_hooks.post_worker_init(worker)) > 10_000


def test_requests_freeze_only_at_the_warm_up_marks():
    def after(nr):
        return _frozen_after(lambda: gunicorn_hooks.post_request(SimpleNamespace(nr=nr), None, {}, None))

    assert after(1) > 0 and after(20) > 0 and after(200) > 0
    assert after(2) == 0 and after(201) == 0


def test_the_project_config_installs_the_hooks():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["post_worker_init"] is gunicorn_hooks.post_worker_init
    assert config["post_request"] is gunicorn_hooks.post_request
