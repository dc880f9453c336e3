"""`citydiplomacy serve`: serve the application with gunicorn (static files by WhiteNoise)."""

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

    def handle(self, *args, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        from citydiplomacy.web.ops import gunicorn_hooks

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C stops)")

        class Application(BaseApplication):
            def load_config(self):
                for key, value in {"bind": f"{host}:{port}", "workers": workers,
                                   "accesslog": "-", "timeout": 120,
                                   "post_worker_init": gunicorn_hooks.post_worker_init,
                                   "post_request": gunicorn_hooks.post_request}.items():
                    self.cfg.set(key, value)

            def load(self):
                from citydiplomacy.wsgi import application

                return application

        Application().run()
