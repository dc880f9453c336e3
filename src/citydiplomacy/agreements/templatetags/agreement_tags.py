"""Template helpers of the registry pages: flag badges rendered in one call per row
(the registry list shows hundreds of rows; a per-row include with nested loops cost most of
the page's time)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

register = template.Library()

BAD = frozenset({"needs_review", "policy_blocked"})
WARN = frozenset({"imported", "dormant", "restricted"})


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

