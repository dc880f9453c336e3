"""The agreements and policy section of the dashboard (figures and alerts per organisation)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.selectors import alerts_for
from citydiplomacy.web.selectors import dashboard_section


@dashboard_section(order=20)
def agreements_section(user) -> dict | None:
    if not permissions.is_signed_in(user) or permissions.readable_organisation_ids(user) == []:
        return None
    summary = alerts_for(user)
    return {
        "title": _("Agreements"),
        "figures": [
            (_("Active agreements"), summary["active"], None),
            (_("On their way (draft to permission)"), summary["in_progress"], None),
            (_("Need review (policy)"), summary["needs_review"], None),
            (_("Dormant (no recorded activity)"), summary["dormant"], None),
            (_("Permission requests waiting"), summary["permission_waiting"], None),
        ],
        "alerts": summary["alerts"],
    }
