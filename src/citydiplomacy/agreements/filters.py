"""The registry's filters and sort orders, built once for the web list and the API list.

`RegistryFilter` (django-filter) narrows a queryset of agreements the user may read:

- `q`: text search over the title, the partner (any of its names: registry name, official
  and imported names, and the gazetteer's alternate names, so "Saraybosna" finds Sarajevo),
  the partner's country by name in Turkish or English ("Almanya", "Germany") and the
  reference numbers (council decision, ministry permission, policy clearance, step references);
- `country` (API alias `partner_country`): the partner's country as a code or a name in
  either language; unknown text is a validation error, never silently ignored;
- `instrument`, `status`, `area`, `year` (signing year), `organisation` (for oversight, who
  reads every organisation), `as_of` and `sort` (read by the caller: a past state and the
  order are derived in Python, see `order_rows`).

With `as_of`, `status` is the state on that date, which the selectors derive from the event
log; the filter then leaves `status` to them (`status_applies_in_database`).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import AgreementEvent, CooperationArea
from citydiplomacy.agreements.services import policy_country_of
from citydiplomacy.governments.naming import search_key
from citydiplomacy.governments.selectors import organisations
from citydiplomacy.places.countries import (
    NORTHERN_CYPRUS_CODE,
    country_code_from_text,
    country_name,
    northern_cyprus_geonameids,
    northern_cyprus_texts,
)
from citydiplomacy.places.normalize import fold

SORTS = [("partner", _("Partner")), ("-signed_on", _("Newest first")), ("signed_on", _("Oldest first")),
         ("status", _("Status")), ("country", _("Country"))]
STATE_ORDER = {state: i for i, state in enumerate(State.values)}


class CountryField(forms.CharField):
    """A country typed as a name (Turkish or English) or an ISO code; cleans to the code."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        code = country_code_from_text(value)
        if code is None:
            raise forms.ValidationError(
                _("Unknown country “%(value)s”: type its name (for example Almanya or Germany) "
                  "or its two-letter code."), code="unknown_country", params={"value": value})
        return code


class CountryFilter(django_filters.CharFilter):
    field_class = CountryField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


def country_q(code: str) -> Q:
    """Agreements whose partner counts as being in this country for national policy (the rule
    of `places.countries.country_of`: Northern Cyprus is never CY)."""
    code = code.upper()
    northern_cyprus_text = Q(partner__geonameid__in=sorted(northern_cyprus_geonameids()))
    for word in northern_cyprus_texts():
        northern_cyprus_text |= Q(partner__raw_country__icontains=word)
    by_organisation = Q(partner_organisation__isnull=False, partner_organisation__country_code__iexact=code)
    if code == NORTHERN_CYPRUS_CODE:
        by_partner = Q(partner__country_code__iexact=code) | northern_cyprus_text
    else:
        by_partner = Q(partner__country_code__iexact=code) & ~northern_cyprus_text
    return by_organisation | (Q(partner_organisation__isnull=True) & by_partner)


def search_q(text: str) -> Q:
    """The text search over titles, partner names, country names and references."""
    from citydiplomacy.places.models import PlaceName

    text = " ".join(text.split())
    query = (Q(title__icontains=text) | Q(partner_organisation__name__icontains=text)
             | Q(partner_organisation__acronym__iexact=text)
             | Q(council_decision_number__icontains=text) | Q(permission_reference__icontains=text)
             | Q(policy_clearance_reference__icontains=text)
             | Q(pk__in=AgreementEvent.objects.filter(reference__icontains=text).values("agreement_id")))
    key = search_key(text)
    if key:
        query |= Q(partner__search_text__contains=key)
    folded = fold(text)
    if folded:
        query |= Q(partner__geonameid__in=PlaceName.objects.filter(key=folded).values("place_id"))
    code = country_code_from_text(text) if len(text) > 2 else None
    if code:
        query |= country_q(code)
    return query


class RegistryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    instrument = django_filters.ChoiceFilter(label=_("Instrument"), choices=Instrument.choices,
                                             empty_label=_("All instruments"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=State.choices,
                                         empty_label=_("All statuses"), method="filter_status")
    country = CountryFilter(label=_("Partner country"), method="filter_country", max_length=100)
    partner_country = CountryFilter(label=_("Partner country"), method="filter_country",
                                    max_length=100)
    area = django_filters.ChoiceFilter(label=_("Cooperation area"), choices=CooperationArea.choices,
                                       empty_label=_("All areas"), method="filter_area")
    year = YearFilter(label=_("Signed in"), field_name="signed_on__year", min_value=1800, max_value=2100)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=organisations(), empty_label=_("All organisations"))
    as_of = django_filters.DateFilter(label=_("As of"), method="filter_nothing",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=SORTS, method="filter_nothing",
                                       empty_label=None)

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value)).distinct() if value.strip() else queryset

    def filter_status(self, queryset, name, value):
        if self.status_applies_in_database:
            return queryset.filter(state=value)
        return queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_q(value)) if value else queryset

    def filter_area(self, queryset, name, value):
        # A JSON list of area codes; its text holds each code in quotes (SQLite and PostgreSQL).
        return queryset.annotate(_areas_text=Cast("areas", TextField())).filter(
            _areas_text__contains=f'"{value}"')

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def status_applies_in_database(self) -> bool:
        return not self.form.cleaned_data.get("as_of")

    @property
    def chosen_as_of(self) -> dt.date | None:
        return self.form.cleaned_data.get("as_of") if self.is_bound and self.is_valid() else None

    @property
    def chosen_sort(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.is_bound and self.is_valid() else "") or "partner"


def _country_key(agreement) -> tuple:
    code = policy_country_of(agreement)
    return (not code, fold(country_name(code)) if code else "")


SORT_KEYS = {
    "partner": lambda a, state: fold(a.partner_name),
    "signed_on": lambda a, state: (a.signed_on is None, a.signed_on or dt.date.min),
    "-signed_on": lambda a, state: (a.signed_on is None, -(a.signed_on or dt.date.min).toordinal()),
    "status": lambda a, state: (STATE_ORDER.get(state, len(STATE_ORDER)), fold(a.partner_name)),
    "country": lambda a, state: (*_country_key(a), fold(a.partner_name)),
}


def order_rows(rows, sort: str):
    """Rows (registry rows or sketches: `.agreement` and `.state`) in the chosen order; rows
    without a date or a country come last whatever the direction."""
    key = SORT_KEYS.get(sort or "partner", SORT_KEYS["partner"])
    return sorted(rows, key=lambda row: key(row.agreement, row.state))
