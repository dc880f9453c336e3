"""Web pages that move agreements along: recording a step (with its decision document), the
queue of what waits for the user's role, the dormant list with its decisions, and editing or
cancelling an activity. Thin: agreements.guidance says what is possible and why,
agreements.steps / services record it; permission decisions come from accounts.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import guidance, lifecycle, selectors, services, steps
from citydiplomacy.agreements.forms import ActivityEditForm, TransitionForm
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Activity
from citydiplomacy.agreements.view_messages import REFUSALS, show_refusal, versioned_edit

EDIT_NOTICES = (gettext_lazy("Someone else changed this activity while you were editing; nothing was "
                             "saved. Reload the page to see their changes."), gettext_lazy("Activity saved."))


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _state_label(state: str) -> str:
    return lifecycle.state_label(state)


@login_required
@require_POST
def agreement_transition(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    if not guidance.may_act(request.user, agreement):
        raise PermissionDenied(_("Your role may not change this organisation's agreements."))
    back = _back(request, reverse("agreements:detail", kwargs={"pk": pk}))
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        steps.record_step(agreement, actor=request.user, to=data["to"], on=data["date"],
                          reason=data["reason"], reference=data["reference"], final_on=data["final_on"],
                          place=data["place"], version=data["version"], upload=data["document"],
                          document_title=data["reference"])
    except REFUSALS as exc:
        show_refusal(request, exc, stale_message=_("Someone else changed this agreement meanwhile; "
                                                   "nothing was saved. Check the page and try again."))
    else:
        messages.success(request, _("Status changed to “%(state)s”.") % {"state": _state_label(data["to"])})
    return redirect(back)


@login_required
def queue(request):
    """What waits for the user's role in their organisation, oldest first."""
    state = request.GET.get("state") or None
    if state not in State.values:
        state = None
    return render(request, "agreements/queue.html", {
        "items": guidance.queue_for(request.user, state=state), "state": state,
        "state_label": _state_label(state) if state else "",
        "is_member": permissions.organisation_id_of(request.user) is not None})


@login_required
def dormant_list(request):
    rows = selectors.dormant_agreements(request.user)
    from citydiplomacy.agreements.views import FLAG_LABELS

    return render(request, "agreements/dormant.html", {
        "rows": [{"row": row, "steps": [s for s in guidance.steps_for(request.user, row.agreement)
                                        if s.possible],
                  "can_edit": permissions.can_edit_organisation(request.user, row.agreement.organisation_id)}
                 for row in rows],
        "flag_labels": FLAG_LABELS, "today": services.today().isoformat(),
        "next": request.get_full_path()})


def _editable_activity(request, pk: int) -> Activity:
    activity = selectors.get_activity(request.user, pk)
    if not permissions.can_edit_organisation(request.user, activity.organisation_id):
        raise PermissionDenied(_("Only officers and administrators of this organisation may do this."))
    return activity


def _activity_page(activity: Activity) -> str:
    if activity.agreement_id:
        return reverse("agreements:detail", kwargs={"pk": activity.agreement_id}) + "#activities"
    return reverse("agreements:list")


@login_required
def activity_edit(request, pk: int):
    activity = _editable_activity(request, pk)
    form, saved = versioned_edit(request, ActivityEditForm, activity, services.update_activity, EDIT_NOTICES)
    if saved:
        return redirect(_activity_page(activity))
    return render(request, "agreements/activity_edit.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_cancel(request, pk: int):
    activity = _editable_activity(request, pk)
    try:
        services.update_activity(activity, actor=request.user, version=request.POST.get("version"),
                                 status=Activity.Status.CANCELLED)
    except REFUSALS as exc:
        show_refusal(request, exc, stale_message=_("Someone else changed this activity meanwhile; "
                                                   "nothing was saved. Check the page and try again."))
    else:
        messages.success(request, _("Activity cancelled."))
    return redirect(_activity_page(activity))
