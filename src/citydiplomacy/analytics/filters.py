"""The public national register's filters (django-filter), for its page and its open-data files.

They reuse the registry's text search and country rule (`agreements.filters`), so a partner is
found by any of its names and a country by its Turkish or English name in both lists.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES
from citydiplomacy.agreements.filters import CountryFilter, country_q, search_ids
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.analytics import register
from citydiplomacy.analytics.register_cost import CachedSelect

SORTS = {
    "-signed_on": ((F("signed_on").desc(nulls_last=True), "id"), _("Newest first")),
    "signed_on": ((F("signed_on").asc(nulls_last=True), "id"), _("Oldest first")),
    "organisation": (("organisation__name", "partner_label", "id"), _("Municipality")),
    "partner": (("partner_label", "organisation__name", "id"), _("Partner")),
    "-ended_on": ((F("ended_on").desc(nulls_last=True), "id"), _("Recently ended first")),
}


def _status_choices():
    return [(state.value, state.label) for state in State if state.value in PUBLIC_AGREEMENT_STATES]


class RegisterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("signed_from") and data.get("signed_to") and data["signed_from"] > data["signed_to"]:
            self.add_error("signed_to", _("The end of the range is before its start."))
        return data


def _organisations(request):
    return register.register_organisations()


class PublicRegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=_organisations, widget=CachedSelect, empty_label=_("All municipalities"))
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=register.province_choices, empty_label=_("All provinces"),
        method="filter_province")
    country = CountryFilter(label=_("Partner country"), method="filter_country", max_length=100)
    instrument = django_filters.ChoiceFilter(label=_("Instrument"), choices=Instrument.choices,
                                             empty_label=_("All instruments"))
    status = django_filters.ChoiceFilter(label=_("Status"), field_name="state", choices=_status_choices,
                                         empty_label=_("All statuses"))
    signed_from = django_filters.DateFilter(
        label=_("Signed from"), field_name="signed_on", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}))
    signed_to = django_filters.DateFilter(
        label=_("Signed until"), field_name="signed_on", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}))
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=[(key, label) for key, (_order, label) in SORTS.items()],
        method="filter_sort", empty_label=None)

    class Meta:
        form = RegisterForm

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # a subquery of ids instead of DISTINCT over every column of the joined rows
        return queryset.filter(pk__in=search_ids(value))

    def filter_province(self, queryset, name, value):
        return queryset.filter(organisation__official_code__startswith=value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_q(value)) if value else queryset

    def filter_sort(self, queryset, name, value):
        if value not in SORTS:
            return queryset
        if "partner_label" not in queryset.query.annotations:  # the plain query of register_cost
            queryset = register.with_partner_label(queryset)
        return queryset.order_by(*SORTS[value][0])
