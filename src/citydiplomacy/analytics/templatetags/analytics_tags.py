"""Template helpers of the analytics pages: the map page's table rows rendered in one call
per page (50 rows of six cells through the template engine cost about a fifth of the page's
CPU time; docs/RELIABILITY.md)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from citydiplomacy.places.countries import country_name

register = template.Library()


@register.simple_tag
def map_table_rows(rows, health_label):
    """The `<tr>` of each row of `analytics.selectors.map_table`, every value escaped:
    partner (linked), country, instrument, state on the chosen date, signed, health link."""
    return format_html_join(
        "", '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td data-state="{}">{}</td>'
        '<td>{}</td><td><a href="{}">{}</a></td></tr>',
        ((row["url"], row["partner"], country_name(row["country"]) or "—", row["instrument_label"], row["state_as_of"],
          row["state_label"], row["signed_on"], row["health_url"], health_label) for row in rows))


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
