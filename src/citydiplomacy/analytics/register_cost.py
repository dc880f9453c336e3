"""What keeps the public national register's page cheap at national size (50,000 agreements,
1,400 municipalities; benchmarks/national.py):

- `count_of(filterset_class, data)`: the number of ties matching the filters, counted on the
  plain published-ties query (no joins for the partner label, no ordering), so the page's
  count does not join three tables for 40,000 rows;
- `csv_rows`: the public CSV reads only the columns it writes;
- `CachedSelect`: the municipality select (about 1,400 options, 0.2 s to render through
  Django's widget templates) rendered once per version of the register and language and
  kept in Django's cache framework under a versioned key. The version is a change key
  (core/change_keys): a new or changed agreement or local government moves it.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.utils import translation

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES

TIMEOUT = 24 * 3600


def plain_published_ties():
    from citydiplomacy.agreements.models import Agreement

    return Agreement.objects.filter(state__in=PUBLIC_AGREEMENT_STATES, archived_at__isnull=True)


def count_of(filterset_class, data, request) -> int:
    """The number of published ties these (valid) filters select, counted without the
    register's joins and order."""
    data = data.copy() if data is not None else None
    if data is not None:
        data.pop("sort", None)
    filterset = filterset_class(data or None, queryset=plain_published_ties(), request=request)
    return filterset.qs.order_by().values("pk").count()


# what a public CSV row reads (analytics.exports.agreement_rows with public=True, and the
# partner's national country: places.countries.country_of); the other columns of the three
# joined tables are not fetched, so 4,000 rows are not 4,000 full model instances of each
CSV_COLUMNS = ("id", "organisation_id", "partner_id", "partner_organisation_id", "instrument", "state",
               "signed_on", "ended_on", "organisation__name", "partner__name", "partner__country_code",
               "partner__geonameid", "partner__raw_country",
               "partner_organisation__name", "partner_organisation__country_code")


def csv_rows(queryset):
    """The published ties of the public CSV, with only the columns it writes."""
    return queryset.only(*CSV_COLUMNS)


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
            html = super().render(name, value, attrs, renderer)
            cache.set(key, html, TIMEOUT, version=version)
        return html
