"""Web shell: dashboard, registry pages, error pages. Thin: selectors and services do the work."""

from __future__ import annotations

import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.core.dberrors import is_outage
from citydiplomacy.governments import selectors as government_selectors
from citydiplomacy.governments import services as government_services
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.partner_search import search_partners
from citydiplomacy.web import selectors
from citydiplomacy.web.forms import LocalGovernmentForm


def dashboard(request):
    """The dashboard for a signed-in user; anonymous visitors get the public start page, which
    leads to the transparency pages and to the login."""
    if not request.user.is_authenticated:
        from citydiplomacy.analytics.selectors import public_organisations

        return render(request, "web/start.html", {"organisations": public_organisations()})
    return render(request, "web/dashboard.html", {"sections": selectors.dashboard(request.user)})


@login_required
def local_government_list(request):
    search = request.GET.get("q", "")
    country = request.GET.get("country", "")
    queryset = government_selectors.local_governments(country=country, search=search)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    # the same ranked search as the new-agreement form: registry and gazetteer, any name
    hits = search_partners(search, limit=25) if search.strip() and not country else []
    return render(request, "web/local_government_list.html",
                  {"page": page, "q": search, "country": country, "hits": hits})


@login_required
@require_POST
def local_government_add_from_gazetteer(request):
    """One click: the registry entry for a gazetteer place, from its GeoNames record."""
    if not permissions.can_edit_registry(request.user):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    geonameid = request.POST.get("geonameid", "")
    try:
        if not geonameid.isdigit():
            raise ValidationError(_("Choose a place from the search results."))
        government = government_services.create_from_gazetteer(actor=request.user, geonameid=int(geonameid))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("web:local-governments")
    messages.success(request, _("“%(name)s” is in the registry.") % {"name": government.name})
    return redirect("web:local-government", pk=government.pk)


@login_required
def local_government_detail(request, pk: int):
    government = get_object_or_404(LocalGovernment, pk=pk)
    return render(request, "web/local_government_detail.html", {
        "government": government,
        "can_propose": permissions.can_propose_registry_correction(request.user, government),
        "open_corrections": government_selectors.identity_corrections(
            state="open", government=government.pk),
        "corrections": government_selectors.identity_corrections(government=government.pk)[:10]})


@login_required
def local_government_create(request):
    if not permissions.can_edit_registry(request.user):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    form = LocalGovernmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            government = government_services.create_local_government(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Local government added."))
            return redirect("web:local-government", pk=government.pk)
    return render(request, "web/local_government_form.html", {"form": form})


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
