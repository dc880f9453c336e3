"""A registry of national size, served fresh: first-view and warm p50/p95 of each page.

Builds the demo (İBB, its users, every Turkish municipality, the world twin-town network) and
adds seeded synthetic records up to national size: NATIONAL["organisations"] Turkish local
governments holding NATIONAL["agreements"] agreements with foreign partners of the world
network (each with the events of its steps) and NATIONAL["activities"] activities. Synthetic
records are titled "National benchmark …" and live only in the benchmark's own database.
Then the background worker computes what it computes after an import, the server starts
fresh (benchmarks/coldstart.py), and each page is viewed once (first view), VIEWS more times
(warm p50/p95), and once more after a write. The annual report PDF is made by the task worker:
its first view (and its first view after the write) is the 202 "being prepared" answer, and
"ready after" says when the PDF was there; its warm views are downloads of the PDF made.

The server runs as `make reliability` serves it (coldstart.PRODUCTION: DEBUG off, manifest
static files; `DEBUG=1` in the environment serves it in development mode instead) with
WORKERS web workers.

Under load: then the locust profile of `make reliability` (reliability/locustfile.py: readers
of the API and the web pages, officers writing letters through their lifecycle; LOAD_USERS
users as reliability/run.py starts them) runs against the same server while each page is
viewed LOAD_VIEWS more times; p50/p95 per page under that load are printed (`--load-users 0`
skips it). The officers' writes change the report's data, so under load the PDF's views may
be its 202 "being prepared" answer.

    .venv/bin/python benchmarks/national.py --scale 0.1              # a tenth, while developing
    CITYDIPLOMACY_DEMO_PASSWORD=... .venv/bin/python benchmarks/national.py --demo-from var  # reuse a demo
    .venv/bin/python benchmarks/national.py                          # SQLite, national size
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/national.py

Targets (issue 15): first view < 1 s and warm p95 < 300 ms for every page, also under load.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
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
LOAD_USERS = 50  # RELIABILITY_USERS of reliability/run.py
LOAD_VIEWS = 20  # p95 of 20 views, not the slowest of a handful
WORKERS = 4  # RELIABILITY_WORKERS of reliability/run.py
RAMP_S = 15  # locust starts users/10 a second: all 50 are running after 10 s
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
            ended_on=start + dt.timedelta(days=3000) if final == S.TERMINATED else None,
            permission_requested_on=start + dt.timedelta(days=80) if final == S.PERMISSION_REQUESTED else None))
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
    tasks = directive_with_tasks(rng)
    return {"organisations": len(turkish), "agreements": len(made), "events": len(events),
            "activities": want["activities"], "open permission requests":
            Agreement.objects.filter(state=S.PERMISSION_REQUESTED).count(), "directive tasks": tasks}


def directive_with_tasks(rng: random.Random) -> int:
    """A directive on the partner country with the most ties in force, one task per tie (a
    third answered), as the directive service would have issued it."""
    from django.db.models import Count

    from citydiplomacy.agreements import lifecycle
    from citydiplomacy.agreements.directive_models import Directive, DirectiveTask
    from citydiplomacy.agreements.models import Agreement

    in_force = Agreement.objects.filter(state__in=lifecycle.IN_FORCE, archived_at__isnull=True,
                                        partner__isnull=False).exclude(partner__country_code="TR")
    top = (in_force.values("partner__country_code").annotate(n=Count("id")).order_by("-n").first())
    if not top:
        return 0
    directive = Directive.objects.create(
        country_code=top["partner__country_code"], issued_on=dt.date(2026, 11, 1),
        action=Directive.Action.REVIEW, reason="National benchmark directive",
        source="National benchmark", deadline=dt.date(2026, 12, 1))
    tasks = [DirectiveTask(directive=directive, agreement_id=pk, organisation_id=org,
                           state=DirectiveTask.State.DONE if rng.random() < 0.33 else DirectiveTask.State.OPEN)
             for pk, org in in_force.filter(partner__country_code=top["partner__country_code"])
             .values_list("pk", "organisation_id")]
    DirectiveTask.objects.bulk_create(tasks, batch_size=5000)
    return len(tasks)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


AUTHORITY = "ministry"
THROTTLES_OFF = coldstart.THROTTLES_OFF
view = coldstart.ok


def first_view(name: str, session, url: str) -> float:
    """A page's first view; for a page the task worker makes, its 202 answer (and then the
    worker's time until it is there is kept in READY)."""
    seconds = coldstart.first_view(session, "", name, url)
    if name in coldstart.PREPARED:
        READY.append((name, coldstart.ready_after(session, url)))
    return seconds


READY: list[tuple[str, float]] = []


class Load:
    """The locust profile of `make reliability` against the server, as reliability/run.py
    starts it (its API tokens issued for every demo user; the officers' partner: Berlin)."""

    def __init__(self, env: dict, base: str, users: int, var_dir: Path):
        code = ("import json\nfrom citydiplomacy.accounts.services import issue_api_token\n"
                "from citydiplomacy.accounts.models import User\n"
                "from citydiplomacy.governments.models import LocalGovernment\n"
                "lg = LocalGovernment.objects.filter(name='Berlin', country_code='DE').order_by('pk').first()\n"
                "print(json.dumps([{u.username: issue_api_token(u)[1] for u in User.objects.all()}, lg.pk]))")
        out = subprocess.run([sys.executable, "-m", "citydiplomacy.cli", "shell", "-c", code], env=env,
                             cwd=ROOT, check=True, capture_output=True, text=True, timeout=600).stdout
        tokens, partner = json.loads(out.strip().splitlines()[-1])
        self.stats = var_dir / "load"
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "reliability" / "locustfile.py"),
             "--headless", "-u", str(users), "-r", str(max(1, users // 10)), "--host", base,
             "--csv", str(self.stats), "--only-summary", "--loglevel", "WARNING"],
            env=dict(env, RELIABILITY_TOKENS=json.dumps(tokens), RELIABILITY_PARTNER_ID=str(partner),
                     RELIABILITY_ACKS=str(var_dir / "load-acks.json")),
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(RAMP_S)

    def stop(self) -> str:
        """Stops locust; what it did (requests, failures, its requests' p95) as one line."""
        coldstart.end(self.process, 60)
        path = self.stats.with_name(self.stats.name + "_stats.csv")
        if not path.exists():
            return "locust wrote no statistics"
        total = next(row for row in csv.DictReader(path.open()) if row["Name"] == "Aggregated")
        return (f"locust: {total['Request Count']} requests, {total['Failure Count']} failed, "
                f"{float(total['Requests/s']):.1f}/s, their p95 {total['95%']} ms")


def national_pages(officer, authority, anonymous, base: str) -> dict[str, tuple]:
    """Each page as (session, path): the officer's pages of coldstart.py, the permitting
    authority's queue and directive view, and the public register as an anonymous visitor."""
    urls = {name: (officer, path) for name, path in coldstart.pages(officer, base).items()
            if name != "public register"}
    directive = coldstart.first_id(authority, base + "/agreements/directives/",
                                   r'href="/agreements/directives/(\d+)/"')
    urls.update({
        "authority queue": (authority, "/agreements/permission-requests/"),
        "authority queue API": (authority, "/api/permission-requests/"),
        "directive view": (authority, f"/agreements/directives/{directive}/"),
        "directive API": (authority, f"/api/directives/{directive}/"),
        "public register": (anonymous, "/public/register/"),
        "public register filtered": (anonymous, "/public/register/?country=DE&status=active"),
        "public register searched": (anonymous, "/public/register/?q=Berlin"),
        "public register CSV (DE)": (anonymous, "/public/register/ties.csv?country=DE"),
        "public page": (anonymous, "/public/"),
    })
    return urls


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of national size")
    parser.add_argument("--demo-from", type=Path, help="copy the demo SQLite registry of this var "
                        "folder instead of building one (SQLite only)")
    parser.add_argument("--reuse", type=Path, help="measure again on the national registry a "
                        "previous --keep run left in this var folder (and DATABASE_URL)")
    parser.add_argument("--keep", action="store_true", help="keep the var folder (and database) "
                        "for --reuse; the demo password is written to its demo-password file")
    parser.add_argument("--load-users", type=int, default=LOAD_USERS, help="locust users of the "
                        "measurement under load (0: none)")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers of the server")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        import django

        django.setup()
        print(generate(args.scale), flush=True)
        return 0
    var_dir = args.reuse or Path(tempfile.mkdtemp(prefix="national-"))
    saved = var_dir / "demo-password"
    password = (saved.read_text().strip() if args.reuse and saved.exists() else
                os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD") or secrets.token_urlsafe(12))
    env = dict(os.environ, CITYDIPLOMACY_VAR_DIR=str(var_dir), CITYDIPLOMACY_DEMO_PASSWORD=password,
               **(coldstart.PRODUCTION if os.environ.get("DEBUG", "0") == "0" else {"DEBUG": "1"}),
               LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
               **THROTTLES_OFF)
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    started = time.monotonic()
    load_start = os.getloadavg()
    generated = background = 0.0
    summary = f"registry of {var_dir} reused"
    if not args.reuse:
        if args.keep:
            saved.write_text(password)
        if engine == "PostgreSQL":
            coldstart.cli(env, "flush", "--noinput")  # the benchmark's own database, emptied
        if args.demo_from and engine == "SQLite":
            shutil.copy2(args.demo_from / "citydiplomacy.sqlite3", var_dir / "citydiplomacy.sqlite3")
            shutil.copytree(args.demo_from / "models", var_dir / "models", dirs_exist_ok=True)
            coldstart.prepare(env, var_dir)
        else:
            coldstart.prepare(env, None)
        t = time.monotonic()
        out = subprocess.run([sys.executable, __file__, "--generate", "--scale", str(args.scale)],
                             env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=3600)
        summary = out.stdout.strip()
        generated = time.monotonic() - t
        t = time.monotonic()
        coldstart.cli(env, "worker", "--batch")  # what the worker computes after an import
        background = time.monotonic() - t
    else:
        coldstart.cli(env, "migrate", "--noinput")
    server = coldstart.Server(env, coldstart.free_port(), args.workers, var_dir / "national-server.log")
    try:
        ready = server.wait_ready()
        load_before = os.getloadavg()
        officer = coldstart.login(server.url, password)
        authority = coldstart.login(server.url, password, AUTHORITY)
        anonymous = coldstart.requests.Session()
        urls = national_pages(officer, authority, anonymous, server.url)
        first = {}
        for name, (session, path) in urls.items():
            first[name] = first_view(name, session, server.url + path)
        warm = {name: [] for name in urls}
        for _ in range(VIEWS):
            for name, (session, path) in urls.items():
                warm[name].append(view(session, server.url + path))
        coldstart.write(officer, server.url)
        after = {name: first_view(name, session, server.url + path) for name, (session, path) in urls.items()}
        load_after = os.getloadavg()
        loaded, load_lines = {name: [] for name in urls}, []
        if args.load_users:
            load = Load(env, server.url, args.load_users, var_dir)
            try:
                load_during = os.getloadavg()
                for _ in range(LOAD_VIEWS):  # the officers' writes make the PDF again: 202 then
                    for name, (session, path) in urls.items():
                        loaded[name].append(coldstart.first_view(session, "", name, server.url + path))
                load_lines.append(f"load average {load_during[0]:.2f} when the views under load began, "
                                  f"{os.getloadavg()[0]:.2f} at their end")
            finally:
                load_lines.insert(0, load.stop())
    finally:
        server.stop()
    print(f"\nnational benchmark on {engine}, scale {args.scale}, {args.workers} web workers: {summary}")
    print(f"generated in {generated:.0f} s; background results {background:.0f} s; server ready "
          f"{ready:.1f} s after start; whole run {time.monotonic() - started:.0f} s; "
          f"{os.cpu_count()} cores; load average {load_start[0]:.2f} at the start, "
          f"{load_before[0]:.2f} before the views, {load_after[0]:.2f} after")
    if args.load_users:
        print(f"under load: {args.load_users} locust users (reliability/locustfile.py), "
              + "; ".join(load_lines))
    print("| page | first view (s) | warm p50 (ms) | warm p95 (ms) | after a write (s) "
          "| under load p50 (ms) | under load p95 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    missed = []
    for name in urls:
        p50, p95 = percentile(warm[name], 0.5) * 1000, percentile(warm[name], 0.95) * 1000
        under = ([percentile(loaded[name], q) * 1000 for q in (0.5, 0.95)] if loaded[name] else [])
        cells = " | ".join(f"{v:.0f}" for v in under) if under else "– | –"
        print(f"| {name} | {first[name]:.2f} | {p50:.0f} | {p95:.0f} | {after[name]:.2f} | {cells} |")
        if (first[name] >= coldstart.TARGET_S or after[name] >= coldstart.TARGET_S or p95 >= WARM_P95_MS
                or (under and under[1] >= WARM_P95_MS)):
            missed.append(name)
    for name, seconds in READY:
        print(f"{name}: made by the task worker, there {seconds:.2f} s after a first view answered 202")
    print(f"\npages missing a target (first view < 1 s, warm p95 < {WARM_P95_MS} ms, also under load): "
          f"{', '.join(missed) or 'none'}")
    if args.keep and not args.reuse:
        print(f"kept: {var_dir} (again with --reuse {var_dir})")
    elif not args.reuse and not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
