"""The public transparency pages (no sign-in): the organisations with public ties, an
organisation's public ties as of a date with their map, GeoJSON and CSV, and the DCAT-AP
catalogue of the public datasets. Only what `permissions.is_public_agreement` lets out."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from citydiplomacy.analytics import dcat, exports, maps, selectors
from citydiplomacy.analytics.public import history_on
from citydiplomacy.analytics.register import last_change
from citydiplomacy.core.throttling import heavy
from citydiplomacy.governments.models import LocalGovernment


def as_of_param(request) -> dt.date | None:
    """The `as_of` date of a page's query string (None when absent or not a date)."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


def public_index(request):
    return render(request, "analytics/public_index.html", {"organisations": selectors.public_index_rows()})


def _public_organisation(pk: int) -> LocalGovernment:
    organisation = get_object_or_404(LocalGovernment, pk=pk)
    if not any(o["id"] == organisation.pk for o in selectors.public_organisations()):
        raise Http404
    return organisation


def public_organisation(request, pk: int):
    """An organisation's public ties as of a date (default today): in force, suspended and
    ended on that date, from the recorded history; the map follows the same date."""
    organisation = _public_organisation(pk)
    as_of = as_of_param(request) or selectors.today()
    bad_date = bool(request.GET.get("as_of")) and as_of_param(request) is None
    agreements = selectors.public_agreements(organisation, active_only=False)
    data = maps.map_data(agreements, organisation, public=True)
    return render(request, "analytics/public_organisation.html", {
        "organisation": organisation, "map_data": data, "public": True, "as_of": as_of,
        "bad_date": bad_date, "history": history_on(maps.map_table(data, as_of), as_of, year_only={
            a.pk for a in agreements if a.signed_on_precision == "year"})})


@heavy
def public_geojson(request, pk: int):
    organisation = _public_organisation(pk)
    return JsonResponse(exports.partners_geojson(selectors.public_agreements(organisation), public=True),
                        content_type="application/geo+json")


@heavy
def public_csv(request, pk: int):
    organisation = _public_organisation(pk)
    columns, rows = exports.agreement_rows(selectors.public_agreements(organisation), public=True)
    return exports.attachment(exports.to_csv(columns, rows), exports.CSV_TYPE, f"ties-{organisation.pk}.csv")


def public_catalogue(request):
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(dcat.catalogue(base, selectors.public_organisations(), last_change()),
                        content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})


