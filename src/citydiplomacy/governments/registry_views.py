"""Web pages of the world registry of local governments: the list (registry and gazetteer
search), a record's page, adding one by hand or in one click from the gazetteer.

Their URL names stay in the web shell's namespace (`web:local-governments`, `web:local-government`,
...), under /local-governments/. Thin: governments.selectors and services do the work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.governments import selectors, services
from citydiplomacy.governments.forms import LocalGovernmentForm
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.partner_search import search_partners


@login_required
def local_government_list(request):
    search = request.GET.get("q", "")
    country = request.GET.get("country", "")
    queryset = selectors.local_governments(country=country, search=search)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    # the same ranked search as the new-agreement form: registry and gazetteer, any name
    hits = search_partners(search, limit=25) if search.strip() and not country else []
    return render(request, "governments/local_government_list.html",
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
        government = services.create_from_gazetteer(actor=request.user, geonameid=int(geonameid))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("web:local-governments")
    messages.success(request, _("“%(name)s” is in the registry.") % {"name": government.name})
    return redirect("web:local-government", pk=government.pk)


@login_required
def local_government_detail(request, pk: int):
    government = get_object_or_404(LocalGovernment, pk=pk)
    return render(request, "governments/local_government_detail.html", {
        "government": government,
        "can_propose": permissions.can_propose_registry_correction(request.user, government),
        "open_corrections": selectors.identity_corrections(state="open", government=government.pk),
        "corrections": selectors.identity_corrections(government=government.pk)[:10]})


@login_required
def local_government_create(request):
    if not permissions.can_edit_registry(request.user):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    form = LocalGovernmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            government = services.create_local_government(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Local government added."))
            return redirect("web:local-government", pk=government.pk)
    return render(request, "governments/local_government_form.html", {"form": form})
