"""Web forms; validation messages are translatable and services re-check every rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN, GovernmentKind
from citydiplomacy.places.countries import country_choices as places_country_choices


def country_choices():
    """Every country the registry accepts, XC (Northern Cyprus) and XK included, by its name in
    the reader's language (places.countries, the one home of country names and identity)."""
    return [("", "—")] + [(code, f"{name} ({code})") for code, name in places_country_choices()]


class LocalGovernmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    official_name = forms.CharField(label=_("Official name"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=GovernmentKind.choices)
    country_code = forms.ChoiceField(label=_("Country"), choices=country_choices)
    wikidata_id = forms.RegexField(label=_("Wikidata id"), regex=WIKIDATA_ID_PATTERN, required=False,
                                   error_messages={"invalid": _("A Wikidata id looks like Q406.")})
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
