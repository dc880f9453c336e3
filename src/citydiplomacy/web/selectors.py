"""Reads for the dashboard: real counts from the database, scoped to what the user may see.

The web shell's own sections (the user's organisation, the world registry); other apps register
theirs with `core.dashboard.dashboard_section`, which also orders them (`dashboard`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from citydiplomacy.core.dashboard import dashboard_section, sections
from citydiplomacy.governments.selectors import registry_counts


@dashboard_section(order=90)
def registry_section(user) -> dict:
    counts = registry_counts()
    url = reverse("web:local-governments")
    return {
        "title": _("World registry of local governments"),
        "figures": [
            (_("Local governments"), counts["local_governments"], url),
            (_("Countries"), counts["countries"], None),
            (_("Unresolved names"), counts["unresolved"], reverse("places:review")),
            (_("Organisations using the system"), counts["organisations"], None),
        ],
    }


def dashboard(user) -> list[dict]:
    return sections(user)


@dashboard_section(order=10)
def organisation_section(user) -> dict | None:
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    members = organisation.members.filter(is_active=True)
    return {
        "title": organisation.name,
        "figures": [(_("Active users"), members.count(), None)],
    }
