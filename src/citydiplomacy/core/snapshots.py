"""Objects kept on disk between processes (the resolver's index, the recommender, the packages
world): written whole under a temporary name and then renamed, so that a reader finds the whole
file or none, and the older versions of the same kind removed. `load_or_build` builds such an
object once for all the processes that want it at the same time."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import tempfile
from collections.abc import Callable
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


def load_or_build(path: Path, build: Callable[[], object], *, older: str):
    """The object pickled at `path`; when there is none, `build()` saved there. Processes that ask
    at the same time (web workers warming up, test workers) wait for the one that builds, under
    an exclusive lock on `path` + ".lock", instead of each building it again."""
    if path.exists():
        return _load(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():  # built by the process we waited for
                return _load(path)
            value = build()
            save_pickle(path, value, older=older)
            return value
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load(path: Path):
    with path.open("rb") as handle:
        return pickle.load(handle)
