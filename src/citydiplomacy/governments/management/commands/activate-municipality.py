"""`citydiplomacy activate-municipality CODE --username NAME [--email ADDRESS]`: make a Turkish
municipality of the registry an organisation with its first administrator (governments.activation)
and print the one-time link with which they choose their password."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.governments.activation import activate_municipality


class Command(BaseCommand):
    help = "Activate a Turkish municipality (by official code) as an organisation with its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("code", help="official code, e.g. TR-34 (see data/governments/turkish_municipalities.csv)")
        parser.add_argument("--username", required=True, help="the administrator's username")
        parser.add_argument("--email", default="", help="the administrator's email; the link is sent there")
        parser.add_argument("--site-url", default="", help="the site's address, to print the link in full")

    def handle(self, *args, code, username, email, site_url, **options):
        try:
            done = activate_municipality(actor=None, code=code, username=username, email=email, site_url=site_url)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{done.municipality.name} ({done.municipality.official_code}) is active; "
                          f"administrator {done.admin.username}.")
        self.stdout.write(f"Set-password link (works once): {site_url.rstrip('/')}{done.set_password_path}")
