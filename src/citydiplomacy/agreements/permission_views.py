"""Web pages of the permitting authority: the queue of open permission requests of every
municipality, one request with its facts, and the decision form. Thin: the facts come from
agreements.permission_requests, the decision is agreements.transitions.transition."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, permission_requests, selectors, transitions
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.view_messages import REFUSALS, show_refusal
from citydiplomacy.places.countries import country_name
from citydiplomacy.policy.models import RelationStatus


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect, choices=[
        (State.PERMISSION_GRANTED, gettext_lazy("Grant permission")),
        (State.PERMISSION_DENIED, gettext_lazy("Refuse permission"))])
    date = forms.DateField(label=gettext_lazy("Date of the decision"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(label=gettext_lazy("Reference of the decision"), max_length=200)
    reason = forms.CharField(label=gettext_lazy("Reason (shown to the municipality)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _require_queue_reader(user) -> None:
    if not permissions.can_read_permission_requests(user):
        raise PermissionDenied(_("The queue of permission requests is for the permitting authority "
                                 "and national oversight."))


def _status_label(code: str) -> str:
    return str(RelationStatus(code).label) if code in RelationStatus.values else code


def _decorate(entries):
    for entry in entries:
        entry.country_label = country_name(entry.country) or "—"
        entry.status_on_request_label = _status_label(entry.status_on_request)
        entry.status_today_label = _status_label(entry.status_today)
        entry.in_force = permission_requests.in_force_ties(entry)
    return entries


@login_required
def queue_page(request):
    _require_queue_reader(request.user)
    page = Paginator(permission_requests.open_requests(), permission_requests.PAGE_SIZE).get_page(
        request.GET.get("page"))
    entries = _decorate(permission_requests.queue(page.object_list))
    return render(request, "agreements/permission_queue.html", {
        "entries": entries, "page": page, "can_decide": permissions.is_permitting_authority(request.user)
        and permissions.authority_decides_in_system()})


@login_required
@require_http_methods(["GET", "POST"])
def request_page(request, pk: int):
    _require_queue_reader(request.user)
    agreement = selectors.get_agreement(request.user, pk)
    may_decide = permissions.can_fire_transition(request.user, agreement.organisation_id, lifecycle.AUTHORITY) \
        and permissions.is_permitting_authority(request.user)
    form = DecisionForm(initial={"date": timezone.localdate(), "version": agreement.version})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Only the permitting authority's staff decide requests in this installation."))
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transitions.transition(agreement, actor=request.user, to=data["decision"], on=data["date"],
                                       reference=data["reference"], reason=data["reason"],
                                       version=data["version"])
            except REFUSALS as exc:
                show_refusal(request, exc, stale_message=_(
                    "Someone else changed this agreement meanwhile; nothing was saved."))
            else:
                messages.success(request, _("Decision recorded; the municipality has been notified."))
                return redirect("agreements:permission-requests")
    entry = _decorate(permission_requests.queue([agreement]))[0]
    return render(request, "agreements/permission_request.html", {
        "entry": entry, "agreement": agreement, "form": form,
        "is_open": agreement.state == State.PERMISSION_REQUESTED, "may_decide": may_decide,
        "events": [(event, State(event.to_state).label if event.to_state in State.values else event.to_state)
                   for event in selectors.events_of(agreement)]})
