"""Template helpers of the registry pages: flag badges rendered in one call per row, and the
registry table's rows rendered in one call per page. The list is the most requested web page;
rendering its 50 rows cell by cell through the template engine (eight variable lookups, a
`{% url %}` and a filter per cell) was about half of its CPU time (docs/RELIABILITY.md)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from citydiplomacy.agreements.models import Instrument, State
from citydiplomacy.agreements.rules import BAD_FLAGS, WARN_FLAGS
from citydiplomacy.agreements.services import policy_country_of
from citydiplomacy.places.countries import country_name

register = template.Library()

BAD, WARN = BAD_FLAGS, WARN_FLAGS  # badge levels of the flag vocabulary (agreements.rules)


@register.simple_tag
def flag_badges(flags, flag_labels):
    """`<span class="badge …" data-flag="…">label</span> ` for each flag (unknown flags get
    an empty label), the markup agreements/_flags.html always produced."""
    if not flags:
        return ""
    labels = flag_labels or {}
    return format_html_join("", '<span class="badge{}" data-flag="{}">{}</span> ', (
        (" bad" if flag in BAD else " warn" if flag in WARN else "", flag, labels.get(flag, ""))
        for flag in flags))



_PK_SENTINEL = 2147483647
_ROW = ('<tr data-state="{}">\n      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>'
        '\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>{}\n    </tr>\n')


def _day(value, precision: str = "") -> str:
    """A date as the list shows it: the year alone when only the year is known, else Y-m-d."""
    if not value:
        return "—"
    return f"{value.year:04d}" if precision == "year" else value.isoformat()


@register.simple_tag
def registry_rows(rows, flag_labels, as_of=None, show_organisation=False):
    """The `<tr>` of each registry row (agreements/list.html), all values escaped. Same cells
    as the template markup it replaces: partner (linked), partner country, instrument, state,
    signed (year precision honoured), ended (only if ended by `as_of`), flags, and the
    organisation for oversight users. Labels are translated once per call, not per row; the
    country is named in the active language (the partner organisation's seat for memberships)."""
    detail = reverse("agreements:detail", args=[_PK_SENTINEL]).replace(str(_PK_SENTINEL), "{}")
    instruments = {value: str(label) for value, label in Instrument.choices}
    states = {value: str(label) for value, label in State.choices}
    labels = {flag: str(label) for flag, label in (flag_labels or {}).items()}
    out = []
    for row in rows:
        a = row.agreement
        ended = a.ended_on if a.ended_on and (not as_of or a.ended_on <= as_of) else None
        organisation = f"\n      <td>{escape(a.organisation.name)}</td>" if show_organisation else ""
        out.append(_ROW.format(
            escape(row.state), escape(detail.format(a.pk)), escape(a.partner_name),
            escape(country_name(policy_country_of(a)) or "—"),
            escape(instruments.get(a.instrument, a.instrument)), escape(states.get(row.state, "")),
            _day(a.signed_on, a.signed_on_precision), _day(ended), flag_badges(row.flags, labels),
            organisation))
    return mark_safe("    ".join(out))
