"""Analytics speed targets (docs/BENCHMARKS.md, "Analytics"), on a throw-away database with
the whole world network loaded (the recommender's resolved twin-town network padded to
26,000 ties) and İBB's 45 real relations:

- `citydiplomacy network-stats --format json --refresh` under 10 s (wall clock, whole command);
- dashboard and map pages under 300 ms server time (median of 15 requests, after a warm-up
  that fills the network cache, as a deployment does once after an import).

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = tempfile.mkdtemp(prefix="bench-analytics-")
os.environ.update(DEBUG="1", CITYDIPLOMACY_VAR_DIR=VAR, DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
                  CITYDIPLOMACY_DEMO_PASSWORD="bench-Password-1234")
sys.path.insert(0, str(ROOT / "src"))

import django

django.setup()

from django.core.management import call_command
from django.test import Client

PAGE_TARGET_MS = 300
STATS_TARGET_S = 10.0


def setup_data() -> int:
    from _benchdata import load_world_network

    from citydiplomacy.agreements.relations_import import import_relations
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.policy.services import load_policy_tables

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("demo", "--skip-data", stdout=devnull)
    load_policy_tables()
    istanbul = LocalGovernment.objects.get(geonameid=745044)
    import_relations(ROOT / "data" / "istanbul" / "istanbul_relations.csv", organisation=istanbul)
    return load_world_network(pad_to=26_000)


def time_page(client: Client, url: str, runs: int = 15) -> tuple[float, float]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), max(times)


def main() -> int:
    started = time.perf_counter()
    ties = setup_data()
    print(f"setup: {ties} ties loaded in {time.perf_counter() - started:.1f} s (var: {VAR})")
    failures = []

    command = [sys.executable, "-c", "from citydiplomacy.cli import main; main()", "network-stats",
               "--format", "json", "--refresh"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=True)
    seconds = time.perf_counter() - started
    stats = json.loads(result.stdout)
    print(f"network-stats --refresh: {seconds:.2f} s wall ({stats['seconds']:.2f} s inside); "
          f"{stats['nodes']} nodes, {stats['edges']} edges, {stats['components']} components, "
          f"largest {stats['largest_component_share']:.3f}, clustering {stats['clustering']:.3f}, "
          f"assortativity {stats['assortativity']:+.3f}, {stats['community_count']} communities, "
          f"betweenness {stats['betweenness_method']}")
    if seconds > STATS_TARGET_S:
        failures.append(f"network-stats took {seconds:.2f} s (target {STATS_TARGET_S} s)")

    from citydiplomacy.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="ibb-viewer"))
    from citydiplomacy.governments.models import LocalGovernment

    istanbul = LocalGovernment.objects.get(geonameid=745044)
    pages = {
        "dashboard": ("/", True),
        "İstanbul map": ("/analytics/map/", True),
        "map as of 2017-03-16": ("/analytics/map/?as_of=2017-03-16", True),
        "global map page": ("/analytics/world/", True),
        "global map data (26,000 ties)": ("/analytics/world/data.json", False),
        "network page": ("/analytics/network/", False),
        "timelines": ("/analytics/timelines/", False),
        "public page": (f"/public/{istanbul.pk}/", False),
    }
    for label, (url, targeted) in pages.items():
        median, worst = time_page(client, url)
        mark = f"target {PAGE_TARGET_MS} ms" if targeted else "no target"
        print(f"{label:32} median {median:7.1f} ms   max {worst:7.1f} ms   ({mark})")
        if targeted and median > PAGE_TARGET_MS:
            failures.append(f"{label}: {median:.0f} ms (target {PAGE_TARGET_MS} ms)")
    for failure in failures:
        print("MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
