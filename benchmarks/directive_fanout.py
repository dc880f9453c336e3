"""Issuing a directive that touches 5,000 agreements: from the issue to every task created and
every municipality told, through the background worker (issue 17: < 30 s).

Run: ``DEBUG=1 .venv/bin/python benchmarks/directive_fanout.py`` (a throw-away SQLite file) or
with ``DATABASE_URL=postgres://…/NAME`` (the script creates and drops its own database
NAME_fanout_bench beside it, so NAME's data is never touched).

Data: 1,400 municipalities with one officer each, 5,000 ties in force with Dutch partners spread
over them and 5,000 with German ones (not affected). Measured: the issue itself (what the POST
waits for), then the worker's run of the fan-out (`db_worker --batch`: takes the task, creates
the tasks in chunks, tells the staff), and the wall time of both.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
os.environ.setdefault("DEBUG", "1")
TARGET_SECONDS = 30.0


def _scratch_postgres(url: str) -> tuple[str, callable]:
    """A database of its own beside the one named in `url`; answers its URL and a dropper."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fanout_bench"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def build(organisations: int, affected: int, others: int) -> None:
    import datetime as dt

    from citydiplomacy.accounts.models import Role, User
    from citydiplomacy.agreements.models import Agreement
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.policy.services import load_policy_tables

    load_policy_tables()
    LocalGovernment.objects.bulk_create(
        [LocalGovernment(name=f"Belediye {n}", country_code="TR", kind="district_municipality",
                         official_code=f"TR-BENCH-{n}") for n in range(organisations)], batch_size=1000)
    orgs = list(LocalGovernment.objects.filter(official_code__startswith="TR-BENCH-").values_list("pk", flat=True))
    User.objects.bulk_create([User(username=f"officer-{pk}", role=Role.OFFICER, organisation_id=pk,
                                   email=f"officer-{pk}@example.org", password="!") for pk in orgs],
                             batch_size=1000)
    partners = {}
    for country, count in (("NL", affected), ("DE", others)):
        LocalGovernment.objects.bulk_create(
            [LocalGovernment(name=f"{country} gemeente {n}", country_code=country, kind="municipality")
             for n in range(count)], batch_size=1000)
        partners[country] = list(LocalGovernment.objects.filter(country_code=country).values_list("pk", flat=True))
    ties = [Agreement(organisation_id=orgs[n % len(orgs)], partner_id=pk, instrument="twinning",
                      title=f"Tie {country} {n}", state="active", signed_on=dt.date(2010, 1, 1))
            for country, pks in partners.items() for n, pk in enumerate(pks)]
    Agreement.objects.bulk_create(ties, batch_size=1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=5000, help="ties the directive touches")
    parser.add_argument("--organisations", type=int, default=1400)
    args = parser.parse_args()

    drop = None
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"], drop = _scratch_postgres(url)
        engine = "PostgreSQL"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-fanout-')}/bench.sqlite3"
        engine = "SQLite"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build(args.organisations, args.agreements, args.agreements)
        print(f"{engine}: built {args.organisations} municipalities, {2 * args.agreements} ties in "
              f"{time.perf_counter() - started:.1f} s")

        from citydiplomacy.accounts.models import Notification
        from citydiplomacy.agreements import directive_fanout
        from citydiplomacy.agreements.directives import issue_directive
        from citydiplomacy.agreements.models import Directive

        chunks: list[float] = []
        directive_fanout.AFTER_CHUNK_HOOKS.append(lambda _pk, _written: chunks.append(time.perf_counter()))
        t0 = time.perf_counter()
        with transaction.atomic():
            directive = issue_directive(actor=None, country="NL", issued_on="2017-03-15", action="end",
                                        reason="benchmark", source="benchmarks/directive_fanout.py")
        t1 = time.perf_counter()
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        t2 = time.perf_counter()
        directive = Directive.objects.get(pk=directive.pk)
        tasks, told = directive.tasks.count(), Notification.objects.count()
        ok = directive.fanout == "done" and tasks == args.agreements and t2 - t0 < TARGET_SECONDS
        print(f"{engine}: issue (the POST's work) {1000 * (t1 - t0):.0f} ms; fan-out in the worker "
              f"{t2 - t1:.2f} s (last task chunk written after {chunks[-1] - t1 if chunks else 0:.2f} s, "
              f"then telling the staff); issue to done {t2 - t0:.2f} s (target < {TARGET_SECONDS:.0f} s): "
              f"{tasks} tasks, {told} staff told, state {directive.fanout} -> {'met' if ok else 'NOT MET'}")
        return 0 if ok else 1
    finally:
        if drop is not None:
            from django.db import connections

            connections.close_all()
            drop()


if __name__ == "__main__":
    sys.exit(main())
