"""The recommender as built from its inputs (the trained model file, the ties, the local
governments), kept on disk so that no request has to build it.

Building a recommender (the world, its feature engine, the constant contributions) takes
seconds; loading a pickled one takes a tenth of a second. The background task
`refresh_recommender` builds it whenever its inputs change (a training, an import, a new
local government) and writes `recommender-<source>-<inputs>.pickle` beside the model file
(settings.CITYDIPLOMACY_MODEL_DIR, the folder every web and task worker already reads the model
from): to a temporary name first, then renamed, so a reader finds the whole file or none.

`services.get_recommender` loads the snapshot of today's inputs when there is one; otherwise it
keeps answering with the recommender it holds and asks for a snapshot (`request`): a page shows
the previous recommender, never waits for a new one.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from django.conf import settings
from django_tasks import task

from citydiplomacy.core.snapshots import save_pickle

PREFIX = "recommender-"


def inputs_key(key: tuple) -> str:
    """A file-name-safe string of services._cache_key() (model mtime, tie and government counts)."""
    mtime, ties, governments = key
    return f"{int(mtime * 1000)}-{ties}-{governments}"


def path_for(source: str, key: tuple) -> Path:
    return Path(settings.CITYDIPLOMACY_MODEL_DIR) / f"{PREFIX}{source}-{inputs_key(key)}.pickle"


def load(source: str, key: tuple):
    """The snapshot built from these inputs, or None (absent, unreadable, or of other code)."""
    from .engine import Recommender

    path = path_for(source, key)
    try:
        with path.open("rb") as handle:
            recommender = pickle.load(handle)  # our own file, written by save()
    except FileNotFoundError:
        return None
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        # a snapshot written by an older version of the code: build again
        return None
    return recommender if isinstance(recommender, Recommender) else None


def save(source: str, key: tuple, recommender) -> Path:
    """Write the snapshot whole under its final name; remove the older ones of `source`."""
    return save_pickle(path_for(source, key), recommender, older=f"{PREFIX}{source}-*.pickle")


@task()
def refresh_recommender(source: str = "auto") -> str:
    """Build the recommender from today's inputs and write its snapshot (background task)."""
    from . import services

    key = services._cache_key()
    if load(source, key) is not None:
        return "up to date"
    recommender = services.build_recommender(source)
    if recommender is None:
        return "no trained model"
    save(source, key, recommender)
    return inputs_key(key)


def request(source: str = "auto") -> None:
    """Ask the task worker for a snapshot of today's inputs (unless one is queued or running)."""
    from citydiplomacy.core import stored_results

    stored_results.request_refresh(refresh_recommender, source)


def refresh_if_stale(source: str = "auto") -> None:
    """Ask for a snapshot when there is a trained model but no snapshot of today's inputs (the
    task worker calls this when it starts)."""
    from . import services

    if services.model_path().exists() and not path_for(source, services._cache_key()).exists():
        request(source)
