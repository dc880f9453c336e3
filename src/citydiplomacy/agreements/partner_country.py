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
    return partner_country(agreement.partner, agreement.partner_organisation_id is not None,
                           agreement.partner_organisation.country_code if agreement.partner_organisation_id else "")


def partner_country(partner, has_partner_organisation: bool, seat: str | None) -> str:
    """The rule itself, for readers of plain values (the public CSV): a partner organisation
    counts by the country of its `seat`; a local government (anything with `country_code`,
    `geonameid`, `raw_country`, `territory`) by its country as national policy sees it."""
    if has_partner_organisation:
        return (seat or "").upper()
    return policy.policy_country(partner)
