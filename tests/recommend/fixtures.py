"""A small registry network in the database, and a recommender trained on it."""

from __future__ import annotations

import numpy as np

from citydiplomacy.governments.models import LocalGovernment

from .conftest import CITIES, random_world


def build_registry_network(istanbul) -> dict[str, LocalGovernment]:
    """İstanbul (the demo organisation) plus the tiny world's cities and a synthetic network."""
    from citydiplomacy.places.models import ReportedTie

    lgs = {"Istanbul": istanbul}
    for name, cc, _a1, lat, lng, pop, gid in CITIES[1:]:
        lgs[name] = LocalGovernment.objects.create(
            name=name, country_code=cc, geonameid=gid, latitude=lat, longitude=lng, population=pop)
    world = random_world(120, seed=5)
    extra = [LocalGovernment.objects.create(
        name=f"Synthville {i}", country_code=str(world.country[i]), geonameid=900000 + i,
        latitude=float(world.lat[i]), longitude=float(world.lng[i]),
        population=int(world.population[i])) for i in range(world.n)]
    ties = set()
    for a, b in world.edges:
        ties.add((extra[a].pk, extra[b].pk))
    names = list(lgs)
    rng = np.random.default_rng(0)
    for name in names:  # every named city gets a few ties into the synthetic network
        for j in rng.choice(len(extra), 3, replace=False):
            ties.add((lgs[name].pk, extra[j].pk))
    ties.add((lgs["Istanbul"].pk, lgs["Berlin"].pk))
    ReportedTie.objects.bulk_create([ReportedTie(low_id=min(a, b), high_id=max(a, b), source="test")
                                     for a, b in ties])
    return lgs
