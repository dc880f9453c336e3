"""The policy board page (`policy:board`, /policy/): the national government's country
relations (now or as of a date), the user's alerts, the impact analysis over the agreements
("what if country X became status S on date D" — nothing saved) and the dated table of
permitting authorities.

It lives here, beside the agreements it lists: the policy app below says what a status means
and which row judges a partner, and imports nothing of agreements. Its URL keeps the `policy`
namespace (`policy_urls.py`). Thin: reads come from policy.selectors and agreements.selectors.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.views import FLAG_LABELS
from citydiplomacy.policy import selectors
from citydiplomacy.policy.forms import ImpactForm


def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def board(request):
    as_of = _parse_day(request.GET.get("as_of"))
    form = ImpactForm(request.GET if "country" in request.GET else None)
    impact = None
    if form.is_bound and form.is_valid():
        impact = agreement_selectors.policy_impact(request.user, **form.cleaned_data)
    return render(request, "agreements/policy_board.html", {
        "relations": selectors.country_relations(as_of=as_of),
        "as_of": as_of,
        "authorities": selectors.permitting_authorities(),
        "alerts": agreement_selectors.alerts_for(request.user)["alerts"],
        "form": form,
        "impact": impact,
        "flag_labels": FLAG_LABELS,
    })
