"""Template helpers of the analytics pages: how the network's betweenness was computed, in
the user's language."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def betweenness_method(method: str) -> str:
    """How betweenness was computed ("exact" or "sampled (1000 sources, seed 1)", as the network
    statistics store it) in the user's language."""
    import re

    from django.utils.translation import gettext as _

    if method == "exact":
        return _("computed exactly")
    sampled = re.fullmatch(r"sampled \((\d+) sources, seed (\d+)\)", method or "")
    if sampled:
        return _("estimated from %(sources)s sampled source cities (seed %(seed)s)") % {
            "sources": sampled.group(1), "seed": sampled.group(2)}
    return method
