"""Web forms for agreements and activities. Services re-check every rule; forms only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    Activity,
    CooperationArea,
    Document,
    InternationalOrganisation,
)


class AgreementCreateForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    # a registry id ("12") or a gazetteer place not yet in the registry ("g3191281")
    partner = forms.RegexField(label=_("Partner local government"), required=False,
                               regex=r"^g?\d{1,12}$", widget=forms.HiddenInput,
                               error_messages={"invalid": _("Choose a partner from the search results.")})
    confirm_existing_tie = forms.BooleanField(
        label=_("I know: create another agreement with this partner anyway"), required=False)
    partner_organisation = forms.ModelChoiceField(
        label=_("Partner organisation (for memberships)"), required=False,
        queryset=InternationalOrganisation.objects.all())
    areas = forms.MultipleChoiceField(label=_("Cooperation areas"), choices=CooperationArea.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not data.get("partner_organisation"):
            raise forms.ValidationError(_("Choose a partner: a local government or, for a "
                                          "membership, an international organisation."))
        if data.get("partner") and data.get("partner_organisation"):
            raise forms.ValidationError(_("Choose either a local government or an organisation, not both."))
        return data


class AgreementEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    areas = forms.MultipleChoiceField(label=_("Cooperation areas"), choices=CooperationArea.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    signed_place = forms.CharField(label=_("Signing place"), max_length=200, required=False)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=99, required=False)
    expires_on = forms.DateField(label=_("Expiry date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source of the record"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Decision or permission reference"), max_length=200,
                                required=False)
    final_on = forms.DateField(label=_("Date the council decision became final"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    place = forms.CharField(label=_("Signing place"), max_length=200, required=False)
    document = forms.FileField(label=_("Decision document (PDF or image, optional)"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    upload = forms.FileField(label=_("File (PDF, image or office document)"))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    # ISO values: a browser's date input shows nothing for a localised "05.12.2026"
    starts_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("End date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    area = forms.ChoiceField(label=_("Cooperation area"), required=False,
                             choices=[("", "—"), *CooperationArea.choices])
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)
    cost_try = forms.DecimalField(label=_("Cost (TRY)"), min_value=0, max_digits=14,
                                  decimal_places=2, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActivityEditForm(ActivityForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
