"""Objects kept on disk between processes (the resolver's index, the recommender): written whole
under a temporary name and then renamed, so that a reader finds the whole file or none, and
the older versions of the same kind removed."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path


def save_pickle(path: Path, value, *, older: str) -> Path:
    """Pickle `value` to `path` atomically; then delete the files of `path`'s folder that match
    the glob `older` (the same kind, other versions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    for old in path.parent.glob(older):
        if old != path:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
    return path
