"""Forms of the policy board."""

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.policy.models import RelationStatus


class ImpactForm(forms.Form):
    country = forms.CharField(label=_("Country (ISO code)"), min_length=2, max_length=2)
    status = forms.ChoiceField(label=_("Would become"), choices=RelationStatus.choices)
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_country(self):
        from django.core.exceptions import ValidationError

        from citydiplomacy.policy.services import validate_country_code

        try:
            return validate_country_code(self.cleaned_data["country"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["country_code"]) from exc
