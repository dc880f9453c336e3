"""`citydiplomacy demo`: load the demo organisations and users (idempotent).

İstanbul Büyükşehir Belediyesi with one user per role, Ankara Büyükşehir Belediyesi with an
officer (to show isolation), a national oversight user and the permitting authority's
`ministry` user. Passwords come from CITYDIPLOMACY_DEMO_PASSWORD (checked by the password rules),
otherwise one is generated per run and printed. With DEBUG off the command refuses to run unless
given --allow-production-demo (`make run` passes it for its own embedded database): on a real
database it would create or reset well-known accounts (`check --deploy` warns when they exist).
Later steps (gazetteer, world network, İBB's relations) are contributed by other apps
through DEMO_STEPS.
"""

from __future__ import annotations

import os
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citydiplomacy.accounts.models import Role
from citydiplomacy.accounts.services import ensure_demo_user, generate_password
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

# (module, function) called in order with (stdout, options); each must be idempotent.
DEMO_STEPS: list[tuple[str, str]] = [
    # Türkiye's municipalities: the demo organisations receive their official codes
    ("citydiplomacy.governments.demo", "load_demo"),
    # gazetteer + world network first, so that İBB's partners resolve against them
    ("citydiplomacy.places.demo", "load_demo"),
    ("citydiplomacy.agreements.demo", "load_demo"),
    # last: learns from the network the steps above loaded (skipped without ties or if trained)
    ("citydiplomacy.recommend.demo", "train_if_network"),
]

DEMO_ORGANISATIONS = {
    "ibb": {"name": "İstanbul Büyükşehir Belediyesi", "official_name": "İstanbul Büyükşehir Belediyesi",
            "kind": GovernmentKind.METROPOLITAN_MUNICIPALITY, "country_code": "TR", "geonameid": 745044,
            "wikidata_id": "Q406", "latitude": 41.01384, "longitude": 28.94966},
    "ankara": {"name": "Ankara Büyükşehir Belediyesi", "official_name": "Ankara Büyükşehir Belediyesi",
               "kind": GovernmentKind.METROPOLITAN_MUNICIPALITY, "country_code": "TR", "geonameid": 323786,
               "wikidata_id": "Q3640", "latitude": 39.91987, "longitude": 32.85427},
}

DEMO_USERS = [
    ("ibb-viewer", Role.VIEWER, "ibb"),
    ("ibb-officer", Role.OFFICER, "ibb"),
    ("ibb-approver", Role.APPROVER, "ibb"),
    ("ibb-admin", Role.ADMIN, "ibb"),
    ("ankara-officer", Role.OFFICER, "ankara"),
    ("oversight", Role.OVERSIGHT, None),
    ("ministry", Role.AUTHORITY, None),
]


def ensure_organisation(fields: dict) -> LocalGovernment:
    government = LocalGovernment.objects.filter(geonameid=fields["geonameid"]).first()
    if government is None:
        government = LocalGovernment(**fields)
    else:
        for key, value in fields.items():
            setattr(government, key, value)
    government.is_unresolved = False
    government.save()
    return government


class Command(BaseCommand):
    help = "Load demo organisations and users (idempotent), then the other apps' demo data."

    def add_arguments(self, parser):
        parser.add_argument("--skip-data", action="store_true",
                            help="Only organisations and users; skip gazetteer and imports.")
        parser.add_argument("--allow-production-demo", action="store_true",
                            help="Run although DEBUG is off (only for a throw-away demo database).")

    def handle(self, *args, skip_data=False, allow_production_demo=False, **options):
        if not settings.DEBUG and not allow_production_demo:
            raise CommandError(
                "DEBUG is off: this looks like a production database, and `demo` would create or reset "
                "the well-known demo accounts (ibb-admin, oversight, …) with one shared password. "
                "For a throw-away demo database, pass --allow-production-demo.")
        password = os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD") or generate_password()
        try:
            with transaction.atomic():
                organisations = {key: ensure_organisation(f) for key, f in DEMO_ORGANISATIONS.items()}
                for username, role, org_key in DEMO_USERS:
                    ensure_demo_user(username=username, role=role,
                                     organisation=organisations.get(org_key), password=password)
        except ValidationError as exc:
            raise CommandError("CITYDIPLOMACY_DEMO_PASSWORD: " + " ".join(exc.messages)) from exc
        if not skip_data:
            for module, function in DEMO_STEPS:
                getattr(import_module(module), function)(stdout=self.stdout, options=options)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (username / password):")
        for username, role, org_key in DEMO_USERS:
            org = organisations[org_key].name if org_key else "—"
            self.stdout.write(f"  {username:16} {password}   {role.label} · {org}")
