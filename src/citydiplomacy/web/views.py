"""Web shell: the dashboard (or the public start page), /health/ and the error pages (403, 404,
500 and 503 for a database outage). The registry's pages are governments.registry_views."""

from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citydiplomacy.core.dberrors import is_outage
from citydiplomacy.web import selectors


def dashboard(request):
    """The dashboard for a signed-in user; anonymous visitors get the public start page, which
    leads to the transparency pages and to the login."""
    if not request.user.is_authenticated:
        from citydiplomacy.analytics.selectors import public_organisations

        return render(request, "web/start.html", {"organisations": public_organisations()})
    return render(request, "web/dashboard.html", {"sections": selectors.dashboard(request.user)})


@require_GET
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def _api_error(request, status: int, code: str, message: str) -> JsonResponse | None:
    """Under /api/ an error answers in the API's JSON error shape (core/api_base.py)."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"error": {"status": status, "code": code, "message": message,
                                   "details": {}}}, status=status)


def error_404(request, exception=None):
    return _api_error(request, 404, "not_found", _("Not found.")) or \
        render(request, "404.html", status=404)


# The database cannot be reached (server restarting, connection lost, SQLite locked): the
# request may simply be repeated, so clients get 503 and Retry-After instead of a 500. Real
# database errors stay 500 (core/dberrors.py decides which is which).
RETRY_AFTER_SECONDS = 5


def error_500(request):
    if is_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    api = _api_error(request, 500, "server_error",
                     _("Something went wrong on our side; it has been logged."))
    if api is not None:
        return api
    # rendered without the request: its context processors may be what failed
    return HttpResponse(render_to_string("500.html"), status=500)


def database_unavailable(request) -> HttpResponse:
    """503 for an outage of the database: JSON in the API's error shape under /api/, else a
    page rendered without the request (its context processors would read the database)."""
    message = _("The database is not reachable for a moment; nothing you saved was lost. Please retry.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"status": 503, "code": "database_unavailable",
                                           "message": message, "details": {}}}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
