"""Minimal web pages: the registry list (with the as-of view) and an agreement's detail."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from citydiplomacy.agreements import lifecycle, selectors


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def agreement_list(request):
    as_of = _date(request.GET.get("as_of"))
    status = request.GET.get("status") or None
    rows = selectors.agreement_rows(
        request.user, as_of=as_of,
        status=status if status in lifecycle.State.values else None,
        partner_country=(request.GET.get("country") or "").strip().upper()[:2] or None)
    return render(request, "agreements/agreement_list.html", {
        "rows": rows, "as_of": as_of, "status": status, "states": lifecycle.State.choices,
        "country": request.GET.get("country", "")})


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.get_agreement(request.user, pk)
    rows = selectors.agreement_rows(request.user, include_archived=True,
                                    queryset=selectors.agreements_for(request.user, include_archived=True).filter(pk=pk))
    return render(request, "agreements/agreement_detail.html", {
        "agreement": agreement, "row": rows[0] if rows else None,
        "events": selectors.events_of(agreement), "documents": selectors.documents_of(agreement),
        "activities": selectors.activities_for(request.user, agreement=agreement.pk)})
