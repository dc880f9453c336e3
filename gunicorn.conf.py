"""gunicorn settings of the project, read by gunicorn from its working directory (a plain
`gunicorn citydiplomacy.wsgi:application` started from the project root, as reliability/ does);
command-line options (bind, workers, timeouts) still apply. The hooks live in the package, where
`citydiplomacy serve` installs them too."""

from citydiplomacy.web.ops.gunicorn_hooks import post_request, post_worker_init  # noqa: F401
