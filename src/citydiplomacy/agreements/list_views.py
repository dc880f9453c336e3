"""The registry list page: the shared filters (agreements.filters.RegistryFilter), the as-of
view, sorting (in the database), pagination and the CSV download of the filtered list. Thin:
the selectors compute state and flags (for one page only when the state is today's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, partner_country, selectors
from citydiplomacy.agreements.filters import RegistryFilter, order_by_state, order_registry
from citydiplomacy.agreements.views import FLAG_LABELS
from citydiplomacy.core.exports import csv_bytes
from citydiplomacy.places.countries import country_choices

ROWS_PER_PAGE = 50
STAGES = {"in_progress": (lifecycle.IN_PROGRESS, gettext_lazy("on their way (draft to permission)"))}


def registry_filter(request, data) -> RegistryFilter:
    """The registry filters for this user: the organisation filter is for oversight only (the
    others read one organisation); the API's `partner_country` alias is not shown on the page."""
    filterset = RegistryFilter(data or None, queryset=selectors.agreements_for(request.user),
                               request=request)
    del filterset.filters["partner_country"]
    if not permissions.is_oversight(request.user):
        del filterset.filters["organisation"]
    return filterset


@login_required
def agreement_list(request):
    filterset = registry_filter(request, request.GET)
    valid = filterset.is_valid() if filterset.is_bound else True
    as_of, sort = filterset.chosen_as_of, filterset.chosen_sort
    wants_csv = request.GET.get("format") == "csv"
    # what a dashboard card counts: ?flag=needs_review|dormant|… and ?stage=in_progress
    flag = request.GET.get("flag") if request.GET.get("flag") in FLAG_LABELS else None
    stage = STAGES.get(request.GET.get("stage", ""))
    if not valid:
        rows = []  # the form shows what to correct; nothing is silently left out or ignored
        page = Paginator(rows, ROWS_PER_PAGE).get_page(1)
    else:
        queryset = order_registry(filterset.qs.filter(state__in=stage[0]) if stage else filterset.qs, sort)
        status = filterset.form.cleaned_data.get("status") if filterset.is_bound else None
        # Today's rows are computed for the page shown only; a past date's or a flag's need all.
        rows = selectors.agreement_rows(request.user, as_of=as_of, status=status or None, flag=flag,
                                        queryset=queryset, lazy=not wants_csv)
        if as_of and sort == "status":
            rows = order_by_state(rows)
        if wants_csv:
            return _csv_response(rows)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agreements/list.html", {
        "filterset": filterset, "form": filterset.form, "valid": valid,
        "country_names": [name for code, name in country_choices()],
        "rows": page.object_list, "page": page, "flag_labels": FLAG_LABELS, "as_of": as_of,
        "extra_filter": FLAG_LABELS[flag] if flag else (stage[1] if stage else None),
        "can_create": permissions.can_edit_organisation(request.user, request.user.organisation_id),
    })


def _csv_response(rows) -> HttpResponse:
    header = ["id", "organisation", "partner", "partner_country", "instrument", "status",
              "council_decision_on", "signed_on", "ended_on", "areas", "flags", "source"]
    body = csv_bytes(header, (
        [r.agreement.pk, r.agreement.organisation.name, r.agreement.partner_name,
         partner_country.policy_country_of(r.agreement), r.agreement.instrument, r.state,
         r.agreement.council_decision_on or "", r.agreement.signed_on or "", r.agreement.ended_on or "",
         ";".join(r.agreement.areas or []), ";".join(r.flags), r.agreement.source]
        for r in rows))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agreements.csv"'
    return response
