"""`citydiplomacy serve`: serve the application with gunicorn (static files by WhiteNoise) and
run the background task worker beside it (web/ops/worker_child.py; `--no-worker` leaves it out)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve citydiplomacy with gunicorn on HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_false", dest="task_worker",
                            help="do not start the background task worker")

    def handle(self, *args, host, port, workers, task_worker=True, **options):
        from gunicorn.app.base import BaseApplication

        from citydiplomacy.web.ops import gunicorn_hooks
        from citydiplomacy.web.ops.worker_child import WorkerChild

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C stops)")
        child = WorkerChild() if task_worker else None
        hooks = {"when_ready": lambda server: child.start(),
                 "on_exit": lambda server: child.stop()} if child else {}

        class Application(BaseApplication):
            def load_config(self):
                for key, value in {"bind": f"{host}:{port}", "workers": workers,
                                   "accesslog": "-", "timeout": 120,
                                   "post_worker_init": gunicorn_hooks.post_worker_init,
                                   "post_request": gunicorn_hooks.post_request, **hooks}.items():
                    self.cfg.set(key, value)

            def load(self):
                from citydiplomacy.wsgi import application

                return application

        Application().run()
