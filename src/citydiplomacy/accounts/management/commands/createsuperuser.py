"""`citydiplomacy createsuperuser`: Django's command, with the password rules always applied.

Django checks AUTH_PASSWORD_VALIDATORS only when it prompts, offers to bypass them, and does not
check DJANGO_SUPERUSER_PASSWORD with --noinput at all. Here a password that breaks a rule is
refused in both modes. (`changepassword` always checks them.)
"""

from __future__ import annotations

import os

from django.contrib.auth.management.commands import createsuperuser as django_command
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from citydiplomacy.accounts.models import User


class Command(django_command.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password is not None:
            username = options.get(User.USERNAME_FIELD) or os.environ.get("DJANGO_SUPERUSER_USERNAME", "")
            try:
                validate_password(password, User(username=username))
            except ValidationError as exc:
                raise CommandError("DJANGO_SUPERUSER_PASSWORD: " + " ".join(exc.messages)) from exc
        # the prompt's "Bypass password validation and create user anyway? [y/N]" is answered "N"
        django_command.input = self._refuse_bypass
        try:
            return super().handle(*args, **options)
        finally:
            del django_command.input

    def _refuse_bypass(self, prompt: str = "") -> str:
        if "Bypass" in prompt:
            self.stderr.write("The password rules cannot be bypassed; choose another password.")
            return "n"
        return input(prompt)
