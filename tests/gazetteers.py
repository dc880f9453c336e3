"""Loading a test gazetteer into a test's database cheaply: the real `load_gazetteer`, with
its pure, package-derived inputs (the regions of a place list, name folding) computed once
per session instead of once per test. What reaches the database is what the service writes;
only the repeated computation of the same values from the same packages is skipped."""

from __future__ import annotations

from functools import lru_cache
from unittest import mock

_regions: dict[tuple, tuple[list, list]] = {}  # key → (the place list kept alive, regions)


def _memo_regions(real):
    def regions(places=None, unit_countries=None):
        key = (id(places), frozenset(unit_countries) if unit_countries is not None else None)
        if key not in _regions or _regions[key][0] is not places:
            _regions[key] = (places, real(places, unit_countries))
        return _regions[key][1]

    return regions


def load_test_gazetteer(places) -> None:
    """`services.load_gazetteer(places=places)` with the session memo; resolver invalidated."""
    from citydiplomacy.places import services

    with mock.patch.object(services, "regions_from_packages", _memo_regions(services.regions_from_packages)), \
            mock.patch.object(services, "fold", _cached(services.fold)), \
            mock.patch.object(services, "is_latin", _cached(services.is_latin)):
        services.load_gazetteer(places=places, progress=False)
    services.invalidate_resolver()


_pure: dict = {}  # a pure text function → its memoised twin, kept for the session


def _cached(real):
    if real not in _pure:
        _pure[real] = lru_cache(maxsize=None)(real)
    return _pure[real]
