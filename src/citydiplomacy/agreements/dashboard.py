"""The agreements and policy section of the dashboard (figures and alerts per organisation).
Every figure links to the filtered list it counts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.guidance import open_permission_requests, queue_for
from citydiplomacy.agreements.selectors import alerts_for
from citydiplomacy.core.dashboard import dashboard_section


def _list(**params) -> str:
    return f"{reverse('agreements:list')}?{urlencode(params)}"


@dashboard_section(order=20)
def agreements_section(user) -> dict | None:
    if not permissions.is_signed_in(user) or permissions.readable_organisation_ids(user) == []:
        return None
    summary = alerts_for(user)
    waiting = open_permission_requests(user)
    waiting_label = _("Permission requests open")
    if waiting["oldest_days"] is not None:
        waiting_label = ngettext("Permission requests open (oldest: %(days)d day)",
                                 "Permission requests open (oldest: %(days)d days)",
                                 waiting["oldest_days"]) % {"days": waiting["oldest_days"]}
    figures = []
    if permissions.organisation_id_of(user) is not None:
        figures.append((_("Waiting for me"), len(queue_for(user)), reverse("agreements:queue")))
    figures += [
        (_("Active agreements"), summary["active"], _list(status="active")),
        (_("On their way (draft to permission)"), summary["in_progress"], _list(stage="in_progress")),
        (_("Need review (policy)"), summary["needs_review"], _list(flag="needs_review")),
        (_("Dormant (no recorded activity)"), summary["dormant"], reverse("agreements:dormant")),
        (waiting_label, waiting["count"], _list(status="permission_requested")),
    ]
    return {"title": _("Agreements"), "figures": figures, "alerts": summary["alerts"]}
