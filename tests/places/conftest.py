"""Fixtures for the places tests: a small gazetteer (a few countries' bigger places plus a
few named small ones) loaded into the test database; the full 235k load is benchmarked, not
unit-tested."""

from __future__ import annotations

import pytest

SMALL_COUNTRIES = {"TR", "DE", "NL", "IE", "IT", "CY", "BA", "RO", "AL", "GB"}  # BA: Sarajevo
NAMED = {"Rotterdam", "Albany", "Mostar", "Kyrenia", "Famagusta", "Durrës", "Berat", "Sarajevo"}


@pytest.fixture(scope="session")
def small_places():
    from citydiplomacy.places.gazetteer import places_from_packages

    return [
        p for p in places_from_packages()
        if (p.country_code in SMALL_COUNTRIES and p.population >= 40000) or p.name in NAMED
    ]


@pytest.fixture
def gazetteer(db, small_places):
    from citydiplomacy.places import services
    from tests.gazetteers import load_test_gazetteer

    load_test_gazetteer(small_places)
    yield
    services.invalidate_resolver()


@pytest.fixture(scope="session")
def full_resolver():
    from citydiplomacy.places.packages_resolver import packages_resolver

    return packages_resolver()


@pytest.fixture(scope="session")
def prepared_sqlite(tmp_path_factory, migrated_sqlite):
    """A var dir with a SQLite file migrated and loaded with a small gazetteer by the real CLI,
    once per run; the subprocess import tests copy it instead of building their own."""
    from tests.conftest import built_once_per_run
    from tests.places.test_interrupted_import import _prepare

    folder = built_once_per_run(tmp_path_factory, "prepared",
                                lambda folder: _prepare(folder / "var", "sqlite", migrated=migrated_sqlite))
    return folder / "var"
