"""Web pages for the reported ties of an organisation: list, claim ("we have this tie"), dispute.

Thin: agreements.claims decides what is offered and records the answers; permission decisions
come from accounts.permissions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import claims
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.countries import country_name


def _organisation(request) -> LocalGovernment:
    """The user's own organisation, or (oversight) the one named by ?organisation=."""
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    if request.user.organisation_id and not wanted:
        return request.user.organisation
    if not (wanted or "").isdigit() or len(wanted) > 12:
        raise Http404
    if not permissions.can_read_organisation(request.user, int(wanted)):
        raise Http404
    return get_object_or_404(LocalGovernment, pk=int(wanted))


def _back(organisation: LocalGovernment, request) -> str:
    url = reverse("agreements:reported-ties")
    if organisation.pk != request.user.organisation_id:
        url += f"?organisation={organisation.pk}"
    return url


@login_required
def reported_ties(request):
    organisation = _organisation(request)
    return render(request, "agreements/reported_ties.html", {
        "organisation": organisation,
        "offered": [(item, country_name(item.partner.country_code))
                    for item in claims.ties_to_claim(organisation)],
        "can_answer": permissions.can_edit_organisation(request.user, organisation.pk),
    })


@login_required
@require_POST
def answer_reported_tie(request, tie_id: int):
    organisation = _organisation(request)
    if not permissions.can_edit_organisation(request.user, organisation.pk):
        raise PermissionDenied(_("Only officers and administrators may claim or dispute ties."))
    try:
        if request.POST.get("decision") == "claim":
            agreement = claims.claim_tie(actor=request.user, organisation=organisation, tie_id=tie_id)
            messages.success(request, _("The tie is now in your registry as an imported record "
                                        "with its steps not recorded."))
            return redirect("agreements:detail", pk=agreement.pk)
        claims.dispute_tie(actor=request.user, organisation=organisation, tie_id=tie_id,
                           reason=request.POST.get("reason", ""))
        messages.success(request, _("Your objection is recorded; the tie is no longer offered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_back(organisation, request))
