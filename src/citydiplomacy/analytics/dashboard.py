"""The analytics section of the dashboard: links to maps, timelines and reports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.core.dashboard import dashboard_section


@dashboard_section(order=40)
def analytics_section(user) -> dict | None:
    if not permissions.is_signed_in(user):
        return None
    from citydiplomacy.analytics.selectors import network_totals

    stats = network_totals()
    figures = [(_("Map of our partners"), "→", reverse("analytics:map")),
               (_("Timelines"), "→", reverse("analytics:timelines")),
               (_("Global twinning network"), "→", reverse("analytics:world"))]
    if stats:
        figures.append((_("Cities in the world twinning network"), stats["nodes"], reverse("analytics:network")))
        figures.append((_("Ties in the world twinning network"), stats["edges"], reverse("analytics:network")))
    return {"title": _("Analytics"), "figures": figures}
