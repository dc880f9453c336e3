"""`check --deploy`: warn when the well-known demo accounts exist with a usable password.

`citydiplomacy demo` creates them (ibb-admin, oversight, …) with one shared password that it
prints; on a production database anybody who has seen a demo could sign in with them.
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError

DEMO_USERNAMES = ("ibb-viewer", "ibb-officer", "ibb-approver", "ibb-admin", "ankara-officer", "oversight",
                  "ministry")


@checks.register(checks.Tags.security, deploy=True)
def demo_accounts_in_production(app_configs=None, databases=None, **kwargs):
    from citydiplomacy.accounts.models import User

    try:
        found = [u.username for u in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
                 if u.has_usable_password()]
    except DatabaseError:  # not migrated yet: no accounts at all
        return []
    if not found:
        return []
    return [checks.Warning(
        f"The demo accounts {', '.join(sorted(found))} exist and can sign in.",
        hint="They were made by `citydiplomacy demo` with a shared password. Switch them off "
             "(is_active) or delete them before going live, or set each a new password.",
        id="citydiplomacy.W001")]
