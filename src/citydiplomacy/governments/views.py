"""Web pages for corrections of a local government's identity: the proposal form and the
registry stewards' queue (accept or reject). Thin: governments.corrections decides, and
accounts.permissions says who may."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.governments import corrections, selectors, services
from citydiplomacy.governments.forms import IdentityCorrectionForm
from citydiplomacy.governments.models import (
    IDENTITY_FIELDS,
    GovernmentKind,
    IdentityCorrection,
    LocalGovernment,
)
from citydiplomacy.places.countries import country_name


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "kind":
        return str(dict(GovernmentKind.choices).get(value, value))
    if field == "country_code":
        return f"{country_name(value, get_language()) or value} ({value})"
    return str(value)


def _rows(found) -> list[dict]:
    """Each proposal with its changes as (field label, value when proposed, proposed value)."""
    return [{"c": correction, "changes": [
        (LocalGovernment._meta.get_field(field).verbose_name,
         _shown(field, correction.previous.get(field)), _shown(field, value))
        for field, value in correction.proposed.items()]} for correction in found]


@login_required
def correction_queue(request):
    """Open proposals the user may decide, and the latest proposals and decisions."""
    return render(request, "governments/corrections.html", {
        "to_decide": _rows(selectors.corrections_to_decide(request.user)),
        "recent": _rows(selectors.identity_corrections()[:30]),
    })


@login_required
def correction_detail(request, pk: int):
    """One proposal: its changes, reason, decision and history; the decision form for a steward."""
    correction = get_object_or_404(
        selectors.identity_corrections().filter(pk=pk))
    return render(request, "governments/correction_detail.html", {
        "row": _rows([correction])[0],
        "can_decide": correction.state == IdentityCorrection.State.OPEN
        and permissions.can_steward_registry_record(request.user, correction.government),
        "history": correction.history.select_related("history_user").order_by("history_date"),
        # steps of ties the user may read (another organisation's answer as if absent)
        "failing_steps": [step for step in (correction.recheck or {}).get("failing_steps", [])
                          if permissions.can_read_organisation(request.user, step["organisation"])],
    })


@login_required
def propose(request, pk: int):
    government = get_object_or_404(LocalGovernment, pk=pk)
    if not permissions.can_propose_registry_correction(request.user, government):
        raise PermissionDenied(_("You may not propose corrections to this record."))
    initial = {field: services.identity_value(government, field) for field in IDENTITY_FIELDS}
    form = IdentityCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.propose_correction(government, actor=request.user, changes=form.changes(),
                                           reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Your correction was proposed; a registry steward will "
                                        "accept or reject it."))
            return redirect("web:local-government", pk=government.pk)
    return render(request, "governments/correction_form.html",
                  {"form": form, "government": government})


def _decide(request, pk: int, accept: bool):
    correction = get_object_or_404(IdentityCorrection.objects.select_related("government"), pk=pk)
    if not permissions.can_steward_registry_record(request.user, correction.government):
        raise PermissionDenied(_("Only a registry steward decides corrections of this record: "
                                 "national oversight, or the administrator of the organisation "
                                 "the record belongs to."))
    note = request.POST.get("note", "")[:2000]
    try:
        if accept:
            counts = corrections.accept_correction(correction, actor=request.user, note=note)
            messages.success(request, _(
                "Correction accepted. Ties in force re-checked: %(checked)d; flagged for review: "
                "%(flagged)d.") % counts)
            if counts["failing_steps"]:
                messages.warning(request, _(
                    "Recorded steps that would not pass on the corrected identity: %(n)d (see "
                    "the proposal's page).") % {"n": len(counts["failing_steps"])})
        else:
            corrections.reject_correction(correction, actor=request.user, note=note)
            messages.success(request, _("Correction rejected."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("governments:corrections")


@login_required
@require_POST
def accept(request, pk: int):
    return _decide(request, pk, accept=True)


@login_required
@require_POST
def reject(request, pk: int):
    return _decide(request, pk, accept=False)
