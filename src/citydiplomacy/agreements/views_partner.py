"""Web pages for choosing a partner: the new-agreement form, its search results (htmx) and the
warning about earlier ties with the chosen partner.

Thin: the search is places.partner_search, the meaning of a choice and the earlier ties are
agreements.partner_choice, the draft is created by agreements.services.create_agreement.
Nothing is pre-selected: the user picks a result; a gazetteer place not yet in the registry
is added from its GeoNames record when the draft is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, services
from citydiplomacy.agreements.forms import AgreementCreateForm
from citydiplomacy.agreements.partner_choice import (
    chosen_partner,
    existing_government,
    partner_from_choice,
    policy_notes,
    ties_with,
)
from citydiplomacy.places.partner_search import PartnerHit, place_for_choice, search_partners

MAX_QUERY = 100


def _query(request) -> str:
    return (request.POST.get("partner_query") or request.GET.get("partner_query") or "")[:MAX_QUERY]


def _chosen_hit(choice: str) -> PartnerHit | None:
    """The result line for a partner chosen elsewhere (a registry id, or "g<geonameid>" for a
    gazetteer place from the recommender or the local-government list); nothing is created."""
    government = existing_government(choice)
    if government is not None:
        return PartnerHit(name=government.name, country_code=government.country_code,
                          region_code=government.region_code, population=government.population or 0,
                          quality=0, government=government, geonameid=government.geonameid,
                          unresolved=government.is_unresolved)
    place = place_for_choice(choice)
    if place is None:
        return None
    return PartnerHit(name=place.name, country_code=place.country_code, region_code=place.region_code,
                      population=place.population, quality=0, geonameid=place.geonameid)


def _options(query: str, preselected: PartnerHit | None = None) -> list[PartnerHit]:
    hits = search_partners(query) if query.strip() else []
    if preselected is not None and all(h.choice != preselected.choice for h in hits):
        hits.insert(0, preselected)
    return hits


@login_required
def agreement_create(request):
    if not permissions.can_edit_organisation(request.user, request.user.organisation_id):
        raise PermissionDenied(_("Only officers and administrators may create agreements."))
    initial, preselected = {}, _chosen_hit(request.GET.get("partner", ""))
    if preselected is not None:
        instrument = request.GET.get("instrument") or lifecycle.Instrument.TWINNING
        initial = {"partner": preselected.choice, "instrument": instrument,
                   "title": _("%(instrument)s with %(partner)s") % {
                       "instrument": lifecycle.Instrument(instrument).label
                       if instrument in lifecycle.Instrument.values else instrument,
                       "partner": preselected.name}}
    form = AgreementCreateForm(request.POST or None, initial=initial)
    # a partner chosen elsewhere: the earlier ties are shown before anything is saved
    ties = list(ties_with(request.user, existing_government(preselected.choice))) \
        if preselected is not None and not form.is_bound else []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [], False)}
        data.pop("confirm_existing_tie", None)
        ties = list(ties_with(request.user, existing_government(data.get("partner"))))
        if ties and not form.cleaned_data["confirm_existing_tie"]:
            form.add_error(None, _("Your organisation already has, or once had, an agreement with this "
                                   "partner (listed below). Check them; to create another one anyway, "
                                   "tick the box and save again."))
        else:
            try:
                with transaction.atomic():
                    if "partner" in data:
                        data["partner"] = partner_from_choice(request.user, data["partner"])
                    agreement = services.create_agreement(actor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Draft agreement created."))
                return redirect("agreements:detail", pk=agreement.pk)
    chosen = str(form["partner"].value() or "") if form.is_bound else (preselected.choice if preselected else "")
    return render(request, "agreements/create.html", {
        "form": form, "chosen": chosen, "partner_query": _query(request), "ties": ties,
        "policy_notes": policy_notes(chosen_partner(chosen)) if chosen else [],
        "options": _options(_query(request), preselected or (_chosen_hit(chosen) if chosen else None))})


@login_required
def partner_options(request):
    """htmx fragment: the partners matching the typed name, best match first, none checked."""
    query = _query(request)
    return render(request, "agreements/partner_options.html", {
        "options": _options(query), "query": query, "chosen": ""})


@login_required
def partner_ties(request):
    """htmx fragment: the organisation's earlier agreements with the partner just chosen."""
    choice = request.GET.get("partner", "")
    government = existing_government(choice)
    return render(request, "agreements/_partner_ties.html", {
        "ties": list(ties_with(request.user, government)), "government": government,
        "policy_notes": policy_notes(chosen_partner(choice))})
