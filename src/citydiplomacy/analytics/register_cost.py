"""What keeps the public national register's page cheap at national size (50,000 agreements,
1,400 municipalities; benchmarks/national.py):

- `page_of(filterset_class, data, request)`: the page is chosen on the plain published-ties
  query (only the joins the filters need): its count without ordering, then the 50 ids of
  the page in the requested order; only those 50 rows are read with the joins a row shows
  (sorting 40,000 joined rows for 50 of them cost 80 ms on SQLite);
- `csv_values`: the public CSV's rows as tuples of the columns it writes (no model instances:
  13,000 of them for a 4,400-row file were two thirds of its time);
- `CachedSelect`: the municipality select (about 1,400 options) rendered once per version of
  the register and language and kept in Django's cache framework under a versioned key. The
  version is a change key (core/change_keys): a new or changed agreement or local government
  moves it; the options are then written as HTML directly (about 10 ms) instead of through
  Django's widget templates (0.2 s), so the first view after a write stays cheap too.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES

TIMEOUT = 24 * 3600


def plain_published_ties():
    """Every published tie (`accounts.permissions.is_public_agreement` as a query), unjoined."""
    from citydiplomacy.agreements.models import Agreement

    return Agreement.objects.filter(state__in=PUBLIC_AGREEMENT_STATES, archived_at__isnull=True)


def _plain(filterset_class, data, request, *, ordered: bool):
    from citydiplomacy.analytics.register import default_order

    data = data.copy() if data is not None else None
    if data is not None and not ordered:
        data.pop("sort", None)
    queryset = plain_published_ties()
    if ordered:
        queryset = queryset.order_by(*default_order())
    return filterset_class(data or None, queryset=queryset, request=request).qs


def count_of(filterset_class, data, request) -> int:
    """The number of published ties these (valid) filters select, counted without the
    register's joins and order."""
    return _plain(filterset_class, data, request, ordered=False).order_by().values("pk").count()


def page_of(filterset_class, data, request, rows_of):
    """The requested page of the ties these (valid) filters select, and its ties (read by
    `rows_of(ids)`, in the page's order)."""
    ids = _plain(filterset_class, data, request, ordered=True).values_list("pk", flat=True)
    from citydiplomacy.analytics.register import PAGE_SIZE

    paginator = Paginator(ids, PAGE_SIZE)
    paginator.count = count_of(filterset_class, data, request)
    page = paginator.get_page((data or {}).get("page"))
    page.object_list = list(page.object_list)
    by_id = {a.pk: a for a in rows_of(page.object_list)}
    return page, [by_id[pk] for pk in page.object_list if pk in by_id]


# the public CSV's columns (analytics.exports.PUBLIC_AGREEMENT_COLUMNS) as read from the database
CSV_VALUES = ("id", "organisation__name", "partner_id", "partner__name", "partner__country_code",
              "partner__geonameid", "partner__raw_country", "partner_organisation_id", "partner_organisation__name",
              "partner_organisation__country_code", "instrument", "state", "signed_on", "ended_on")


def csv_values(queryset):
    """The rows of the public CSV: id, organisation, partner, partner country (as national
    policy counts it: agreements.partner_country, so Northern Cyprus is never Cyprus),
    instrument, status, signed on, ended on."""
    from types import SimpleNamespace

    from citydiplomacy.agreements.partner_country import partner_country

    for (pk, organisation, partner_id, partner, code, geonameid, raw_country, body_id, body,
         seat, instrument, state, signed_on, ended_on) in queryset.values_list(*CSV_VALUES).iterator(chunk_size=2000):
        place = SimpleNamespace(country_code=code, geonameid=geonameid,
                                raw_country=raw_country) if partner_id else None
        country = partner_country(place, body_id is not None, seat)
        yield (pk, organisation, partner if partner_id else body, country, instrument, state, signed_on, ended_on)


def register_version() -> str:
    """Moves when an agreement or a local government is added or changed (history rows)."""
    from citydiplomacy.agreements.models import Agreement
    from citydiplomacy.core.change_keys import latest
    from citydiplomacy.governments.models import LocalGovernment

    return "-".join(str(v) for v in latest(
        (Agreement, "id"), (Agreement.history.model, "history_id"),
        (LocalGovernment, "id"), (LocalGovernment.history.model, "history_id")))


class CachedSelect(forms.Select):
    """A select whose rendered HTML is kept in the cache per register version, language,
    name, value and attributes: its options are only read and rendered when the register
    changed."""

    def render(self, name, value, attrs=None, renderer=None):
        ident = repr((name, value, sorted((attrs or {}).items()), translation.get_language()))
        key = "register-select:" + hashlib.sha1(ident.encode()).hexdigest()
        version = register_version()
        html = cache.get(key, version=version)
        if html is None:
            html = self._html(name, value, attrs)
            cache.set(key, html, TIMEOUT, version=version)
        return html

    def _html(self, name, value, attrs):
        """What Django's select template writes, without a template render per option."""
        context = self.get_context(name, value, attrs)["widget"]
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option["value"], " selected" if option["selected"] else "", option["label"])
            for _group, choices, _index in context["optgroups"] for option in choices))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(context["attrs"]), options)
