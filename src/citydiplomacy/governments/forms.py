"""Web form for proposing a correction of a local government's identity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.governments.models import GovernmentKind
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
