"""Forms of the policy board."""

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.policy.models import RelationStatus


class ImpactForm(forms.Form):
    country = forms.CharField(label=_("Country (ISO code)"), min_length=2, max_length=2)
    status = forms.ChoiceField(label=_("Would become"), choices=RelationStatus.choices)
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_country(self):
        import pycountry

        code = self.cleaned_data["country"].strip().upper()
        if pycountry.countries.get(alpha_2=code) is None:
            raise forms.ValidationError(_("Unknown country code “%(code)s”.") % {"code": code})
        return code
