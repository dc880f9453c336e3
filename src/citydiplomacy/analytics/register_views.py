"""Pages of the public national register: the searchable list with its map, and its open data
(CSV, GeoJSON) for the same filters. No login; only published ties are ever read."""

from __future__ import annotations

from functools import wraps

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citydiplomacy.analytics import exports, register, register_cost
from citydiplomacy.analytics.filters import PublicRegisterFilter
from citydiplomacy.core.throttling import heavy
from citydiplomacy.places.countries import country_choices


def _filtered(request) -> tuple[PublicRegisterFilter, bool]:
    filterset = PublicRegisterFilter(request.GET or None, queryset=register.published_ties(), request=request)
    return filterset, (filterset.is_valid() if filterset.is_bound else True)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def register_page(request):
    filterset, valid = _filtered(request)
    if valid:  # chosen without the joins of the rows shown (analytics.register_cost)
        page, ties = register_cost.page_of(PublicRegisterFilter, request.GET or None, request,
                                           lambda ids: register.published_ties().filter(pk__in=ids))
    else:
        page, ties = Paginator([], register.PAGE_SIZE).get_page(1), []
    return render(request, "analytics/public_register.html", {
        "filterset": filterset, "form": filterset.form, "valid": valid, "page": page,
        "rows": register.register_rows(ties), "query": _query_without_page(request),
        "country_names": [name for _code, name in country_choices()], "public": True,
    }, status=200 if valid else 400)


def with_valid_filters(view):
    """An open-data view of the register, given the request's filters once they are valid;
    400 with the filters' errors otherwise."""

    @wraps(view)
    def answer(request):
        filterset, valid = _filtered(request)
        if not valid:
            return JsonResponse({"detail": "invalid filter", "errors": filterset.form.errors.get_json_data()},
                                status=400)
        return view(request, filterset)

    return answer


@require_GET
@heavy
@with_valid_filters
def register_csv(request, filterset):
    rows = register_cost.csv_values(filterset.qs)
    return exports.attachment(exports.to_csv(exports.PUBLIC_AGREEMENT_COLUMNS, rows), exports.CSV_TYPE,
                              "national-register.csv")


@require_GET
@heavy
@with_valid_filters
def register_geojson(request, filterset):
    return JsonResponse(exports.partners_geojson(filterset.qs.iterator(chunk_size=2000), public=True),
                        content_type="application/geo+json")


@require_GET
@with_valid_filters
def register_map_data(request, filterset):
    return JsonResponse(register.register_map(filterset.qs))
