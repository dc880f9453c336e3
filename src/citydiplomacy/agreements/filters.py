"""The registry's filters and sort orders, built once for the web list and the API list.

`RegistryFilter` (django-filter) narrows a queryset of agreements the user may read:

- `q`: text search over the title, the partner (any of its names: registry name, official
  and imported names, and the gazetteer's alternate names, so "Saraybosna" finds Sarajevo),
  the partner's country by name in Turkish or English ("Almanya", "Germany") and the
  reference numbers (council decision, ministry permission, policy clearance, step references);
- `country` (API alias `partner_country`): the partner's country as a code or a name in
  either language; unknown text is a validation error, never silently ignored;
- `instrument`, `status`, `area`, `year` (signing year), `organisation` (for oversight, who
  reads every organisation), `as_of` and `sort` (read by the caller; `order_registry` sorts
  in the database).

With `as_of`, `status` is the state on that date, which the selectors derive from the event
log; the filter then leaves `status` to them (`status_applies_in_database`).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Collate, Lower, NullIf, Upper
from django.utils.translation import gettext_lazy as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    HAS_REFERENCE,
    Agreement,
    AgreementEvent,
    CooperationArea,
)
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
SORT_CHOICES = {value for value, _label in SORTS}
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


def _northern_cyprus_text() -> Q:
    """Partners placed in Northern Cyprus by GeoNames id or by their country text."""
    query = Q(partner__geonameid__in=sorted(northern_cyprus_geonameids()))
    for word in northern_cyprus_texts():
        query |= Q(partner__raw_country__icontains=word)
    return query


def country_q(code: str) -> Q:
    """Agreements whose partner counts as being in this country for national policy (the rule
    of `places.countries.country_of`: Northern Cyprus is never CY)."""
    code = code.upper()
    northern_cyprus_text = _northern_cyprus_text()
    by_organisation = Q(partner_organisation__isnull=False, partner_organisation__country_code__iexact=code)
    if code == NORTHERN_CYPRUS_CODE:
        by_partner = Q(partner__country_code__iexact=code) | northern_cyprus_text
    else:
        by_partner = Q(partner__country_code__iexact=code) & ~northern_cyprus_text
    return by_organisation | (Q(partner_organisation__isnull=True) & by_partner)


def search_parts(text: str) -> list[Q]:
    """The text search's conditions over titles, partner names, country names and references
    (a tie matches when one of them holds)."""
    from citydiplomacy.places.models import PlaceName

    text = " ".join(text.split())
    parts = [Q(title__icontains=text), Q(partner_organisation__name__icontains=text)
             | Q(partner_organisation__acronym__iexact=text),
             # the conditions of the partial indexes repeated, so that those indexes are read
             HAS_REFERENCE & (Q(council_decision_number__icontains=text) | Q(permission_reference__icontains=text)
                              | Q(policy_clearance_reference__icontains=text)),
             Q(pk__in=AgreementEvent.objects.exclude(reference="").filter(reference__icontains=text)
               .values("agreement_id"))]
    key = search_key(text)
    if key:
        parts.append(Q(partner__search_text__contains=key))
    folded = fold(text)
    if folded:
        parts.append(Q(partner__geonameid__in=PlaceName.objects.filter(key=folded).values("place_id")))
    code = country_code_from_text(text) if len(text) > 2 else None
    if code:
        parts.append(country_q(code))
    return parts


def search_q(text: str) -> Q:
    """The text search over titles, partner names, country names and references."""
    query = Q()
    for part in search_parts(text):
        query |= part
    return query


def search_ids(text: str):
    """The ids of the agreements the text search finds, as a subquery: a UNION of one query per
    condition, each planned on its own (at national size a third cheaper than one OR over the
    joined tables, and no DISTINCT)."""
    queries = [Agreement.objects.filter(part).order_by().values("pk") for part in search_parts(text)]
    return queries[0].union(*queries[1:])


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


def _partner_key():
    """The partner's name folded for sorting: the registry's stored search key of the name
    (governments.naming.search_key, first of `search_text`), else the name in lower case;
    compared byte by byte on PostgreSQL too (its locale collation skips spaces and punctuation)."""
    key = Coalesce(NullIf("partner__search_text", Value("")), Lower("partner__name"),
                   Lower("partner_organisation__name"), Value(""), output_field=TextField())
    return Collate(key, "C") if connection.vendor == "postgresql" else key


def _country_rank(queryset):
    """Rank of each agreement's partner country (the rule of `country_q`: a partner
    organisation's seat; XC for Northern Cyprus, never CY) by the country's name in the active
    language; rows without a country last. Ranks only the countries present in `queryset`."""
    found = queryset.order_by().values_list("partner_organisation__country_code", "partner__country_code")
    codes = {(seat or code or "").upper() for seat, code in found.distinct()} - {""}
    ranked = sorted(codes | {NORTHERN_CYPRUS_CODE}, key=lambda code: fold(country_name(code)))
    last = Value(len(ranked))

    def rank_of(field: str):
        return Case(*[When(**{field: code}, then=Value(rank)) for rank, code in enumerate(ranked)],
                    default=last, output_field=IntegerField())

    return Case(
        When(partner_organisation__isnull=False, then=rank_of("_seat_code")),
        When(partner__isnull=True, then=last),
        When(_northern_cyprus_text(), then=Value(ranked.index(NORTHERN_CYPRUS_CODE))),
        default=rank_of("_partner_code"), output_field=IntegerField())


def order_registry(queryset, sort: str):
    """The registry in the chosen order, sorted by the database; rows without a date or a
    country come last whatever the direction, ties broken by partner name, then as before."""
    sort = sort if sort in SORT_CHOICES else "partner"
    queryset = queryset.annotate(_partner_key=_partner_key())
    if sort == "signed_on":
        keys = [F("signed_on").asc(nulls_last=True)]
    elif sort == "-signed_on":
        keys = [F("signed_on").desc(nulls_last=True)]
    elif sort == "status":
        queryset = queryset.annotate(_state_rank=Case(
            *[When(state=state, then=Value(rank)) for state, rank in STATE_ORDER.items()],
            default=Value(len(STATE_ORDER)), output_field=IntegerField()))
        keys = ["_state_rank"]
    elif sort == "country":
        queryset = queryset.annotate(_seat_code=Upper("partner_organisation__country_code"),
                                     _partner_code=Upper("partner__country_code"))
        queryset = queryset.annotate(_country_rank=_country_rank(queryset))
        keys = ["_country_rank"]
    else:
        keys = []
    # ties keep the registry's own order (agreements_for: organisation, newest signed, id)
    return queryset.order_by(*keys, "_partner_key", *queryset.query.order_by, "id")


def order_by_state(rows):
    """Rows already in partner order, re-sorted by their (derived) state: the status order of
    a registry as of a past date, whose states the database does not hold."""
    return sorted(rows, key=lambda row: STATE_ORDER.get(row.state, len(STATE_ORDER)))
