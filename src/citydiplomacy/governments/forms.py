"""Web forms of the registry: adding a local government by hand, proposing a correction of a
local government's identity. Validation messages are translatable; services re-check every rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN, GovernmentKind
from citydiplomacy.places.countries import country_choices


class IdentityCorrectionForm(forms.Form):
    """The identity as it should be (prefilled with the record's); the proposal holds the
    fields that differ."""

    country_code = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=GovernmentKind.choices)
    geonameid = forms.IntegerField(label=_("GeoNames id"), required=False, min_value=1,
                                   max_value=2**31 - 1)
    parent = forms.IntegerField(label=_("Parent (number of the local government)"),
                                required=False, min_value=1, max_value=2**63 - 1)
    region_code = forms.CharField(label=_("Region code"), max_length=10, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180,
                                 required=False)
    reason = forms.CharField(label=_("Reason and source"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country_code"].choices = [
            ("", "—"), *((code, f"{name} ({code})") for code, name in country_choices() if code != "XK")]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        return data


def registry_country_choices():
    """Every country the registry accepts, XC (Northern Cyprus) and XK included, by its name in
    the reader's language (places.countries, the one home of country names and identity)."""
    return [("", "—")] + [(code, f"{name} ({code})") for code, name in country_choices()]


class LocalGovernmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    official_name = forms.CharField(label=_("Official name"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=GovernmentKind.choices)
    country_code = forms.ChoiceField(label=_("Country"), choices=registry_country_choices)
    wikidata_id = forms.RegexField(label=_("Wikidata id"), regex=WIKIDATA_ID_PATTERN, required=False,
                                   error_messages={"invalid": _("A Wikidata id looks like Q406.")})
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
