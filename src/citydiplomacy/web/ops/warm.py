"""Warm start: what the first requests of a process would otherwise build is built when the
process starts, so that the first recommendation, proximity profile or place review is as fast
as the tenth. `warm_up` is called by the gunicorn hook `post_worker_init` (before the worker
takes its first request): the recommender (its world, feature engine and model; a snapshot from
disk when the task worker has written one, recommend/snapshot.py) and the proximity look-ups
into its world, when the registry holds a local government; the web pages' place resolver
(gazetteer indexes and review choices), the maps' city coordinates and land drawings.
`warm_tasks` is called by `citydiplomacy worker` before it takes its first task: WeasyPrint and
the report map's city coordinates and land image (report PDFs are made by the task runner,
analytics/report_pdf.py).
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, close_old_connections

log = logging.getLogger(__name__)


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401 - seconds of imports (fonts, CSS) paid now, not by a reader


def warm_up() -> dict[str, float]:
    """Load what requests need; answers the seconds each part took. A part that fails (a
    database not migrated yet, no gazetteer loaded) is logged and left to the first request."""
    from citydiplomacy.analytics import geo, proximity
    from citydiplomacy.places import services as places
    from citydiplomacy.recommend import services as recommend

    parts = {
        "resolver": places.get_web_resolver,
        "maps": lambda: (geo._cities_by_country(), geo._land_path(720, 360)),
    }
    if _registry_has_governments():  # an empty registry has nobody to recommend for or profile
        parts = {"recommender": recommend.get_recommender,
                 "proximity": lambda: proximity._engine("auto"), **parts}
    return _load(parts)


def _registry_has_governments() -> bool:
    from citydiplomacy.governments.models import LocalGovernment

    try:
        return LocalGovernment.objects.exists()
    except DatabaseError:  # not migrated yet: each part reports its own failure
        return True


def warm_tasks() -> dict[str, float]:
    """Load what the report PDF task needs, in the task worker."""
    from citydiplomacy.analytics import geo

    return _load({"maps": lambda: (geo._cities_by_country(), geo._land_png(720, 360)),
                  "pdf": _import_weasyprint})


def _load(parts) -> dict[str, float]:
    took: dict[str, float] = {}
    for name, load in parts.items():
        start = time.perf_counter()
        try:
            load()
        except Exception:  # the page that needs it reports the problem in context
            log.warning("warm start: %s not loaded", name, exc_info=True)
        took[name] = round(time.perf_counter() - start, 2)
    close_old_connections()
    log.info("warm start: %s", took)
    return took
