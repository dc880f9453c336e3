"""Web pages of the registry: the agreement page (steps from agreements.guidance), forms,
documents, activities and reminders. The list is list_views; the partner form views_partner;
steps, queue, dormant list and activity edits views_workflow; documents views_documents.

Thin: services and selectors do the work; permission decisions come from accounts.permissions.
(Web UI owned by the lead; backend changes belong in services.py / selectors.py.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import guidance, lifecycle, selectors, services
from citydiplomacy.agreements.forms import (
    ActivityForm,
    AgreementEditForm,
    DocumentForm,
)
from citydiplomacy.agreements.models import Agreement, CooperationArea
from citydiplomacy.agreements.rules import Flag
from citydiplomacy.agreements.view_messages import versioned_edit

FLAG_LABELS = dict(Flag.choices)  # the one flag vocabulary: agreements.rules
EDIT_NOTICES = (gettext_lazy("Someone else changed this agreement while you were editing; nothing was "
                             "saved. Reload the page to see their changes."), gettext_lazy("Agreement saved."))


def _state_label(state: str) -> str:
    return lifecycle.state_label(state)


def _require_edit(user, agreement: Agreement) -> None:
    if not permissions.can_edit_organisation(user, agreement.organisation_id):
        raise PermissionDenied(_("Only officers and administrators of this organisation may do this."))


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


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
        "steps": guidance.steps_for(request.user, agreement),
        "waiting_note": guidance.waiting_note(request.user, agreement),
        "today": timezone.localdate().isoformat(),
        "can_edit": can_edit,
        "document_form": DocumentForm() if can_edit else None,
        "activity_form": ActivityForm() if can_edit else None,
        "areas": [str(label) for value, label in CooperationArea.choices if value in (agreement.areas or [])],
    })


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    _require_edit(request.user, agreement)
    form, saved = versioned_edit(request, AgreementEditForm, agreement, services.update_agreement, EDIT_NOTICES)
    if saved:
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
def reminder_list(request):
    days = request.GET.get("days", "365")
    items = selectors.reminders(request.user, days=min(int(days), 3650) if days.isdigit() else 365)
    return render(request, "agreements/reminders.html", {"reminders": items})
