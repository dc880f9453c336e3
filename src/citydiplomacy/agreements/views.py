"""Web pages of the registry: list (with filters, as-of view and CSV export), the agreement
page with the lifecycle actions the user's role may take, forms, documents, activities, the
dormant list and reminders.

Thin: services and selectors do the work; permission decisions come from accounts.permissions.
(Web UI owned by the lead; backend changes belong in services.py / selectors.py.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, selectors, services
from citydiplomacy.agreements.forms import (
    ActivityForm,
    AgreementCreateForm,
    AgreementEditForm,
    DocumentForm,
    TransitionForm,
)
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Agreement, CooperationArea
from citydiplomacy.agreements.rules import Flag
from citydiplomacy.governments import selectors as government_selectors
from citydiplomacy.governments.models import LocalGovernment

FLAG_LABELS = dict(Flag.choices)  # the one flag vocabulary: agreements.rules


def _state_label(state: str) -> str:
    return lifecycle.state_label(state)


def _require_edit(user, agreement: Agreement) -> None:
    if not permissions.can_edit_organisation(user, agreement.organisation_id):
        raise PermissionDenied(_("Only officers and administrators of this organisation may do this."))


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _available_actions(user, agreement: Agreement) -> list[dict]:
    """The transitions of the rule table this user's role may fire from the current state."""
    if agreement.archived_at:
        return []
    actions = []
    for target in lifecycle.targets_from(agreement.state):
        rule = lifecycle.rule_for(agreement.state, target)
        if permissions.can_fire_transition(user, agreement.organisation_id, rule.needs):
            actions.append({
                "to": target, "label": _state_label(target), "rule": rule,
                "asks_final_on": target in (State.COUNCIL_APPROVED, State.PERMISSION_REQUESTED, State.SIGNED)
                and not agreement.council_decision_final_on,
                "asks_place": target == State.SIGNED,
            })
    return actions


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    rows = selectors.agreement_rows(
        request.user, include_archived=True,
        queryset=selectors.agreements_for(request.user, include_archived=True).filter(pk=pk))
    can_edit = permissions.can_edit_organisation(request.user, agreement.organisation_id)
    return render(request, "agreements/detail.html", {
        "agreement": agreement,
        "state_label": _state_label(agreement.state),
        "row": rows[0] if rows else None,
        "flags": rows[0].flags if rows else [],
        "flag_labels": FLAG_LABELS,
        "events": selectors.events_of(agreement),
        "documents": selectors.documents_of(agreement),
        "activities": selectors.activities_for(request.user, agreement=agreement.pk),
        "actions": _available_actions(request.user, agreement),
        "today": timezone.localdate().isoformat(),
        "can_edit": can_edit,
        "document_form": DocumentForm() if can_edit else None,
        "activity_form": ActivityForm() if can_edit else None,
        "areas": [str(label) for value, label in CooperationArea.choices if value in (agreement.areas or [])],
    })


@login_required
@require_POST
def agreement_transition(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    if not (permissions.can_edit_organisation(request.user, agreement.organisation_id)
            or permissions.can_decide_for_organisation(request.user, agreement.organisation_id)):
        raise PermissionDenied(_("Your role may not change this organisation's agreements."))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect("agreements:detail", pk=pk)
    data = form.cleaned_data
    try:
        services.transition(agreement, actor=request.user, to=data["to"], on=data["date"],
                            reason=data["reason"], reference=data["reference"],
                            final_on=data["final_on"], place=data["place"], version=data["version"])
    except services.RuleViolation as exc:
        for violation in exc.violations:
            messages.error(request, violation.message)
    except services.StaleVersion:
        messages.error(request, _("Someone else changed this agreement meanwhile; nothing was saved. "
                                  "Check the page and try again."))
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Status changed to “%(state)s”.") % {"state": _state_label(data["to"])})
    return redirect("agreements:detail", pk=pk)


@login_required
def agreement_create(request):
    if not permissions.can_edit_organisation(request.user, request.user.organisation_id):
        raise PermissionDenied(_("Only officers and administrators may create agreements."))
    initial, preselected = {}, None
    if request.GET.get("partner", "").isdigit():
        preselected = LocalGovernment.objects.filter(pk=int(request.GET["partner"])).first()
        if preselected:
            instrument = request.GET.get("instrument") or lifecycle.Instrument.TWINNING
            initial = {"partner": preselected.pk, "instrument": instrument,
                       "title": _("%(instrument)s with %(partner)s") % {
                           "instrument": lifecycle.Instrument(instrument).label
                           if instrument in lifecycle.Instrument.values else instrument,
                           "partner": preselected.name}}
    form = AgreementCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
        if "partner" in data:
            data["partner"] = get_object_or_404(LocalGovernment, pk=data["partner"])
        try:
            agreement = services.create_agreement(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft agreement created."))
            return redirect("agreements:detail", pk=agreement.pk)
    chosen_id = form["partner"].value() if form.is_bound else (preselected.pk if preselected else None)
    chosen = LocalGovernment.objects.filter(pk=chosen_id).first() if str(chosen_id or "").isdigit() else None
    return render(request, "agreements/create.html", {"form": form, "chosen": chosen})


@login_required
def partner_options(request):
    """htmx fragment: radio buttons for the local governments matching the typed name."""
    query = request.GET.get("partner_query", "")
    options = government_selectors.local_governments(search=query)[:15] if len(query.strip()) >= 2 else []
    return render(request, "agreements/partner_options.html", {"options": options, "query": query})


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    _require_edit(request.user, agreement)
    initial = {name: getattr(agreement, name) for name in AgreementEditForm.base_fields}
    form = AgreementEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_agreement(agreement, actor=request.user, version=version, **data)
        except services.StaleVersion:
            form.add_error(None, _("Someone else changed this agreement while you were editing; "
                                   "nothing was saved. Reload the page to see their changes."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("agreements:detail", pk=pk)
    return render(request, "agreements/edit.html", {"form": form, "agreement": agreement})


@login_required
@require_POST
def document_upload(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    _require_edit(request.user, agreement)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("agreements:detail", pk=pk)
    try:
        services.add_document(actor=request.user, agreement=agreement, upload=form.cleaned_data["upload"],
                              kind=form.cleaned_data["kind"], title=form.cleaned_data["title"])
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Document stored."))
    return redirect("agreements:detail", pk=pk)


@login_required
@require_POST
def activity_create(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    _require_edit(request.user, agreement)
    target = reverse("agreements:detail", kwargs={"pk": pk}) + "#activities"
    form = ActivityForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(target)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        services.create_activity(actor=request.user, organisation=agreement.organisation,
                                 agreement=agreement, partner=agreement.partner, **data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Activity recorded."))
    return redirect(target)


@login_required
def dormant_list(request):
    rows = selectors.dormant_agreements(request.user)
    return render(request, "agreements/dormant.html", {"rows": rows, "flag_labels": FLAG_LABELS})


@login_required
def reminder_list(request):
    days = request.GET.get("days", "365")
    items = selectors.reminders(request.user, days=min(int(days), 3650) if days.isdigit() else 365)
    return render(request, "agreements/reminders.html", {"reminders": items})
