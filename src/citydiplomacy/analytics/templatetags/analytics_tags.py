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
