"""A small real gazetteer for the partner-search tests: the big places of the world (so that
Turkish exonyms find Sarajevo, Cairo, Damascus …) plus every place of Bosnia and Herzegovina
above 5,000 people (the Sarajevo namesakes that used to be pre-selected)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def world_places():
    from citydiplomacy.places.gazetteer import places_from_packages

    return [p for p in places_from_packages()
            if p.population >= 300_000 or (p.country_code == "BA" and p.population >= 5_000)
            or p.name in {"Utrecht", "Rotterdam", "Skopje", "Thessaloníki", "Gaza", "Nicosia", "Üsküp"}]


@pytest.fixture
def world_gazetteer(db, world_places):
    from citydiplomacy.places import services
    from tests.gazetteers import load_test_gazetteer

    load_test_gazetteer(world_places)
    yield
    services.invalidate_resolver()
