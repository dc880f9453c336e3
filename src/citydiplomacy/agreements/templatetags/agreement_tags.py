"""Template helpers of the registry pages: a row's flag badges, with the badge level of each
flag from the flag vocabulary (agreements.rules)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from citydiplomacy.agreements.rules import BAD_FLAGS, WARN_FLAGS

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

