"""Reads for the dashboard: real counts from the database, scoped to what the user may see.

Other apps contribute dashboard figures by registering a function with `dashboard_section`;
each returns a list of (label, value, url-or-None) for the given user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from citydiplomacy.governments.selectors import registry_counts

_SECTIONS: list[tuple[int, Callable[[Any], dict]]] = []


def dashboard_section(order: int):
    def decorator(func):
        _SECTIONS.append((order, func))
        _SECTIONS.sort(key=lambda item: item[0])
        return func
    return decorator


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
    sections = []
    for _order, func in _SECTIONS:
        section = func(user)
        if section:
            sections.append(section)
    return sections


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
