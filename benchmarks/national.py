"""A registry of national size, served fresh: first-view and warm p50/p95 of each page.

Builds the demo (İBB, its users, every Turkish municipality, the world twin-town network) and
adds seeded synthetic records up to national size: NATIONAL["organisations"] Turkish local
governments holding NATIONAL["agreements"] agreements with foreign partners of the world
network (each with the events of its steps) and NATIONAL["activities"] activities. Synthetic
records are titled "National benchmark …" and live only in the benchmark's own database.
Then the background worker computes what it computes after an import, the server starts
fresh (benchmarks/coldstart.py), and each page is viewed once (first view), VIEWS more times
(warm p50/p95), and once more after a write.

    .venv/bin/python benchmarks/national.py --scale 0.1              # a tenth, while developing
    CITYDIPLOMACY_DEMO_PASSWORD=... .venv/bin/python benchmarks/national.py --demo-from var  # reuse a demo
    .venv/bin/python benchmarks/national.py                          # SQLite, national size
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/national.py

Targets (issue 15): first view < 1 s and warm p95 < 300 ms for every page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import coldstart

NATIONAL = {"organisations": 1400, "agreements": 50_000, "activities": 200_000}
VIEWS = 10
WARM_P95_MS = 300
SEED = 15


def generate(scale: float) -> dict[str, int]:
    """Add the synthetic national records (run inside Django)."""
    from citydiplomacy.agreements import lifecycle
    from citydiplomacy.agreements.models import Activity, Agreement, AgreementEvent, CooperationArea
    from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

    rng = random.Random(SEED)
    want = {k: max(1, int(v * scale)) for k, v in NATIONAL.items()}
    turkish = list(LocalGovernment.objects.filter(country_code="TR").order_by("pk")
                  .values_list("pk", flat=True)[:want["organisations"]])
    missing = want["organisations"] - len(turkish)
    if missing > 0:
        made = LocalGovernment.objects.bulk_create(
            LocalGovernment(name=f"National benchmark municipality {i}", country_code="TR",
                            kind=GovernmentKind.MUNICIPALITY) for i in range(missing))
        turkish += [g.pk for g in made]
    foreign = list(LocalGovernment.objects.exclude(country_code="TR").values_list("pk", flat=True))
    S = lifecycle.State
    paths = {  # the steps each final state is reached by
        S.DRAFT: [], S.IN_COMMITTEE: [S.IN_COMMITTEE], S.COUNCIL_APPROVED: [S.IN_COMMITTEE, S.COUNCIL_APPROVED],
        S.PERMISSION_REQUESTED: [S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED],
        S.SIGNED: [S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED, S.SIGNED],
        S.ACTIVE: [S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED,
                   S.SIGNED, S.ACTIVE],
        S.SUSPENDED: [S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED,
                      S.SIGNED, S.ACTIVE, S.SUSPENDED],
        S.TERMINATED: [S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED,
                       S.SIGNED, S.ACTIVE, S.TERMINATED],
    }
    finals = list(paths)
    weights = [5, 3, 3, 4, 10, 55, 5, 15]
    instruments = [lifecycle.Instrument.TWINNING, lifecycle.Instrument.COOPERATION_PROTOCOL,
                   lifecycle.Instrument.MEMORANDUM]
    areas = [a for a, _label in CooperationArea.choices]
    agreements, steps = [], []
    for n in range(want["agreements"]):
        final = rng.choices(finals, weights)[0]
        start = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(12_000))
        in_force = final in lifecycle.IN_FORCE or final == S.TERMINATED
        agreements.append(Agreement(
            organisation_id=rng.choice(turkish), partner_id=rng.choice(foreign),
            instrument=rng.choice(instruments), title=f"National benchmark agreement {n}",
            areas=rng.sample(areas, 2), state=final,
            signed_on=start + dt.timedelta(days=200) if in_force else None,
            effective_on=start + dt.timedelta(days=230) if in_force else None,
            ended_on=start + dt.timedelta(days=3000) if final == S.TERMINATED else None))
        steps.append((final, start))
    made = Agreement.objects.bulk_create(agreements, batch_size=2000)
    events = []
    for agreement, (final, start) in zip(made, steps):
        previous = S.DRAFT
        for k, state in enumerate(paths[final]):
            events.append(AgreementEvent(agreement_id=agreement.pk, from_state=previous, to_state=state,
                                         occurred_on=start + dt.timedelta(days=40 * k)))
            previous = state
    AgreementEvent.objects.bulk_create(events, batch_size=5000)
    kinds = [k for k, _label in Activity.Kind.choices]
    activities = []
    for n in range(want["activities"]):
        agreement = rng.choice(made)
        activities.append(Activity(
            organisation_id=agreement.organisation_id, agreement_id=agreement.pk,
            partner_id=agreement.partner_id, kind=rng.choice(kinds),
            title=f"National benchmark activity {n}", area=rng.choice(areas),
            starts_on=dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000)),
            status=Activity.Status.HELD))
        if len(activities) == 10_000:
            Activity.objects.bulk_create(activities, batch_size=5000)
            activities = []
    Activity.objects.bulk_create(activities, batch_size=5000)
    return {"organisations": len(turkish), "agreements": len(made), "events": len(events),
            "activities": want["activities"]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of national size")
    parser.add_argument("--demo-from", type=Path, help="copy the demo SQLite registry of this var "
                        "folder instead of building one (SQLite only)")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        import django

        django.setup()
        print(generate(args.scale), flush=True)
        return 0
    var_dir = Path(tempfile.mkdtemp(prefix="national-"))
    password = os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    env = dict(os.environ, CITYDIPLOMACY_VAR_DIR=str(var_dir), CITYDIPLOMACY_DEMO_PASSWORD=password,
               DEBUG=os.environ.get("DEBUG", "1"), LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    started = time.monotonic()
    if engine == "PostgreSQL":
        coldstart.cli(env, "flush", "--noinput")  # the benchmark's own database, emptied
    if args.demo_from and engine == "SQLite":
        shutil.copy2(args.demo_from / "citydiplomacy.sqlite3", var_dir / "citydiplomacy.sqlite3")
        shutil.copytree(args.demo_from / "models", var_dir / "models", dirs_exist_ok=True)
        coldstart.prepare(env, var_dir)
    else:
        coldstart.prepare(env, None)
    load_start = os.getloadavg()
    t = time.monotonic()
    out = subprocess.run([sys.executable, __file__, "--generate", "--scale", str(args.scale)],
                         env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=3600)
    generated = time.monotonic() - t
    t = time.monotonic()
    coldstart.cli(env, "worker", "--batch")  # what the worker computes after an import
    background = time.monotonic() - t
    server = coldstart.Server(env, coldstart.free_port(), 2, var_dir / "national-server.log")
    try:
        ready = server.wait_ready()
        load_before = os.getloadavg()
        session = coldstart.login(server.url, password)
        urls = coldstart.pages(session, server.url)
        first = {}
        for name, path in urls.items():
            first[name] = coldstart.timed(session, server.url + path)[0]
        warm = {name: [] for name in urls}
        for _ in range(VIEWS):
            for name, path in urls.items():
                warm[name].append(coldstart.timed(session, server.url + path)[0])
        coldstart.write(session, server.url)
        after = {name: coldstart.timed(session, server.url + path)[0] for name, path in urls.items()}
        load_after = os.getloadavg()
    finally:
        server.stop()
    print(f"\nnational benchmark on {engine}, scale {args.scale}: {out.stdout.strip()}")
    print(f"generated in {generated:.0f} s; background results {background:.0f} s; server ready "
          f"{ready:.1f} s after start; whole run {time.monotonic() - started:.0f} s; "
          f"{os.cpu_count()} cores; load average {load_start[0]:.2f} at the start, "
          f"{load_before[0]:.2f} before the views, {load_after[0]:.2f} after")
    print("| page | first view (s) | warm p50 (ms) | warm p95 (ms) | after a write (s) |")
    print("|---|---:|---:|---:|---:|")
    missed = []
    for name in urls:
        p50, p95 = percentile(warm[name], 0.5) * 1000, percentile(warm[name], 0.95) * 1000
        print(f"| {name} | {first[name]:.2f} | {p50:.0f} | {p95:.0f} | {after[name]:.2f} |")
        if first[name] >= coldstart.TARGET_S or after[name] >= coldstart.TARGET_S or p95 >= WARM_P95_MS:
            missed.append(name)
    print(f"\npages missing a target (first view < 1 s, warm p95 < {WARM_P95_MS} ms): "
          f"{', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
