"""gunicorn worker hooks for serving citydiplomacy: `citydiplomacy serve` installs them, and so
does the project's gunicorn.conf.py (read by a plain `gunicorn citydiplomacy.wsgi:application`
started from the project root).

Garbage collection: after warm-up a worker holds about 200,000 long-lived objects (Django, DRF,
the gazetteer and world-map memos). A full collection scans all of them and took about 300 ms
on the reference machine (2 vCPUs), stalling the request that triggered it: about one request in
160 per worker under the load mix. Freezing the warm heap (`gc.freeze`, which Python's
documentation recommends for pre-fork servers) moves those objects out of the collector's reach,
so that a collection only scans what requests create (docs/RELIABILITY.md).
"""

from __future__ import annotations

import gc

from citydiplomacy.web.ops.warm import warm_up

# Requests after which a worker freezes what it holds: the first requests import views,
# compile templates and fill the per-process memos; later ones rarely add long-lived objects.
FREEZE_AFTER_REQUESTS = frozenset({1, 20, 200})


def freeze_heap(full: bool) -> None:
    """Collect garbage, then move every surviving object into the permanent generation.
    `full` collects all generations (once, at start-up); otherwise only the young ones, which
    hold a request's garbage, so that the freeze does not pause like a full collection."""
    gc.collect(2 if full else 1)
    gc.freeze()


def post_worker_init(worker) -> None:
    # Import every view module now (Django loads the URLconf on the first request otherwise),
    # so that the first requests do not pay for it and the imports are frozen with the rest.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the attribute access is the import
    took = warm_up()  # the recommender, proximity look-ups, resolver, maps (web/ops/warm.py)
    worker.log.info("warm start (seconds): %s", took)
    freeze_heap(full=True)


def post_request(worker, req, environ, resp) -> None:
    if worker.nr in FREEZE_AFTER_REQUESTS:
        freeze_heap(full=False)
