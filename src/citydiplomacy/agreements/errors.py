"""The errors the agreements services raise beside Django's ValidationError (400) and
PermissionDenied (403): RuleViolation (a lifecycle or policy rule blocks the change) and
StaleVersion (optimistic locking). The API maps both to 409 (`api.DomainErrorsMixin`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from citydiplomacy.agreements import lifecycle


class RuleViolation(Exception):
    """A lifecycle or policy rule blocks the change (HTTP 409, code rule_violation)."""

    def __init__(self, violations: list[lifecycle.Violation]):
        self.violations = violations
        self.rule = violations[0].rule
        self.message = violations[0].message
        super().__init__(self.message)


class StaleVersion(Exception):
    """The record changed since the client read it (HTTP 409, code stale_version)."""

    def __init__(self, current: int):
        self.current = current
        self.message = _("This record was changed by someone else (now version %(version)s). "
                         "Reload it and apply your change again.") % {"version": current}
        super().__init__(self.message)

