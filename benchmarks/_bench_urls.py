"""The project's URLs plus /bench/bare-agreements/: the same 50 agreement rows as the list API,
straight from `values()` into JsonResponse (no DRF, no permission scoping, no as-of)."""

from django.http import JsonResponse
from django.urls import path

from citydiplomacy.urls import urlpatterns as project_urlpatterns


def bare_agreements(request):
    from citydiplomacy.agreements.models import Agreement

    rows = list(Agreement.objects.order_by("id").values(
        "id", "organisation_id", "instrument", "title", "state", "partner_id", "signed_on",
        "expires_on", "version")[:50])
    return JsonResponse({"count": len(rows), "results": rows})


urlpatterns = [path("bench/bare-agreements/", bare_agreements), *project_urlpatterns]
