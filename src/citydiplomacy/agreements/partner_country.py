"""An agreement's partner country as national policy sees it (XC for the north of Cyprus; a
partner organisation's seat for a membership), and whether the tie is foreign. Read by the
lifecycle facts, the registry rows, directives, permission requests and the analytics."""

from __future__ import annotations

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.policy import selectors as policy


def is_foreign(agreement: Agreement) -> bool:
    if agreement.partner_organisation_id:
        return True
    home = (agreement.organisation.country_code or "").upper()
    other = policy.policy_country(agreement.partner)
    return not (home and other and home == other)


def policy_country_of(agreement: Agreement) -> str:
    if agreement.partner_organisation_id:
        return (agreement.partner_organisation.country_code or "").upper()
    return policy.policy_country(agreement.partner)
