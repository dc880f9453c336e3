"""The in-memory resolver's index kept on disk, keyed by the gazetteer's version, so that
`resolve` and `import-pairs` do not spend most of their time indexing 235,000 places again.

Version: what the index is built from, i.e. the gazetteer tables (their row counts and sums of
ids and populations: `load-gazetteer` of other data changes them) and the code and alias files
that shape the index (resolver.py, normalize.py, gazetteer.py, data/places/*_aliases.csv).
The index is stored as `VAR_DIR/cache/resolver-<version>.pickle`, written under a temporary
name and renamed, so a reader finds a whole file or none; older versions are removed.

`load-gazetteer` stores the index of what it loaded (``store_index``), so the first
`resolve` after a load pays only for reading it.

Review choices are not part of the index: they change often and are applied after loading
(`Resolver.choices`), as services.get_resolver always did.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import pickle
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Sum

from citydiplomacy.core.snapshots import save_pickle

from . import (
    admin_words,
    gazetteer,
    normalize,
    registries,
    resolution,
    resolver,
    resolver_index,
    resolver_rules,
)
from .models import Country, Place, Region

PREFIX = "resolver-"
CODE_FILES = (Path(resolver.__file__), Path(resolver_index.__file__),
              Path(resolver_rules.__file__), Path(resolution.__file__),
              Path(normalize.__file__), Path(gazetteer.__file__),
              gazetteer.COUNTRY_ALIASES, gazetteer.REGION_ALIASES, Path(registries.__file__),
              registries.REGISTRY_UNITS, registries.REGISTRY_UNITS_SK, registries.CHECKSUMS,
              Path(admin_words.__file__), admin_words.ADMIN_WORDS)


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache"


def gazetteer_version() -> str:
    """A short hash of the gazetteer tables and of the code and files the index is built by."""
    digest = hashlib.sha256()
    for model in (Place, Region, Country):
        pk = model._meta.pk.attname
        row = model.objects.aggregate(n=Count(pk), top=Max(pk))
        digest.update(repr(sorted(row.items())).encode())
    digest.update(repr(sorted(Place.objects.aggregate(
        ids=Sum("geonameid"), people=Sum("population")).items())).encode())
    for path in CODE_FILES:
        with contextlib.suppress(FileNotFoundError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def path_for(version: str) -> Path:
    return cache_dir() / f"{PREFIX}{version}.pickle"


def load(version: str) -> resolver.Resolver | None:
    """The stored index of this version, or None (absent, or unreadable)."""
    gc.disable()  # millions of small objects: the collector would scan them again and again
    try:
        with path_for(version).open("rb") as handle:
            found = pickle.load(handle)  # our own file, written by save()
    except FileNotFoundError:
        return None
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None
    finally:
        gc.enable()
    return found if isinstance(found, resolver.Resolver) else None


def save(version: str, index: resolver.Resolver) -> Path:
    return save_pickle(path_for(version), index, older=f"{PREFIX}*.pickle")


def _build_and_save(version: str) -> resolver.Resolver:
    from .selectors import gazetteer_from_db

    index = resolver.build_resolver(gazetteer_from_db())
    with contextlib.suppress(OSError):  # a read-only var folder: work without the cache
        save(version, index)
    return index


def store_index() -> bool:
    """Build and store the index of the gazetteer now in the database, unless this version
    is stored already. `load-gazetteer` calls it, so the first `resolve` or `import-pairs`
    after a load reads the index instead of building it. True when it was built."""
    version = gazetteer_version()
    if path_for(version).exists():
        return False
    _build_and_save(version)
    return True


def cached_resolver(choices: dict | None = None) -> resolver.Resolver:
    """The resolver over the database gazetteer: loaded from disk when this version was
    indexed before, otherwise built and stored. `choices` (review choices) are applied."""
    version = gazetteer_version()
    index = load(version)
    if index is None:
        index = _build_and_save(version)
    index.choices = dict(choices or {})
    return index
