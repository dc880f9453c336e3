"""Pages: the organisation's recommendations (filters, map, reasons, policy-excluded list,
"add as draft agreement"), its partner-seeking profile, and the public list of open profiles."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.core.throttling import heavy
from citydiplomacy.places.countries import country_code_from_text
from citydiplomacy.places.partner_search import search_partners

from . import selectors, services
from .learn import EMPHASIS

EMPHASIS_LABELS = {
    "balanced": gettext_lazy("Balanced (as learned)"),
    "history_culture": gettext_lazy("Historical and cultural proximity"),
    "urban_services": gettext_lazy("Urban-services know-how"),
    "neighbourhood": gettext_lazy("Geographic neighbourhood"),
}


def _organisation(request):
    organisation = getattr(request.user, "organisation", None)
    if organisation is None or not permissions.can_see_recommendations(request.user, organisation.pk):
        raise PermissionDenied(_("Recommendations are for members of an organisation."))
    return organisation


@login_required
@require_GET
@heavy
def recommendations(request):
    organisation = _organisation(request)
    emphasis = request.GET.get("emphasis") or "balanced"
    if emphasis not in EMPHASIS:
        emphasis = "balanced"
    # a country by its name in Turkish or English, or its code ("Almanya", "Germany", "DE")
    country_text = (request.GET.get("country") or "").strip()[:60]
    country = country_code_from_text(country_text) or ""
    if country_text and not country:
        messages.error(request, _("Unknown country “%(text)s”: type its name (Almanya, Germany) or its "
                                  "code (DE).") % {"text": country_text})
    # the same partner search as the new-agreement form: registry and gazetteer, any name
    partner_query = (request.GET.get("partner_query") or "").strip()[:100]
    partner_hits = search_partners(partner_query) if partner_query else []
    region = (request.GET.get("region") or "").strip()
    as_of = None
    try:
        if request.GET.get("as_of"):
            as_of = dt.date.fromisoformat(request.GET["as_of"])
    except ValueError:
        messages.error(request, _("The date must look like 2017-03-12."))
    ranking, error = None, ""
    try:
        ranking = services.recommend_for_organisation(
            organisation, emphasis=emphasis, country=country, region=region, as_of=as_of)
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    rec = services.get_recommender()
    regions = sorted({s for s in rec.facts.subregion.values() if s}) if rec else []
    points = [s.as_dict() for s in ranking.suggestions] if ranking else []
    home = None
    if rec is not None and ranking is not None and rec.world.located[ranking.home]:
        w = rec.world
        home = {"name": organisation.name, "lat": float(w.lat[ranking.home]),
                "lng": float(w.lng[ranking.home])}
    return render(request, "recommend/recommendations.html", {
        "organisation": organisation, "ranking": ranking, "error": error,
        "trained": rec is not None, "training": services.latest_training(),
        "updating": rec is not None and services.recommender_updating(),
        "emphasis": emphasis, "emphases": [(k, EMPHASIS_LABELS.get(k, k)) for k in EMPHASIS],
        "country": country_text, "region": region, "regions": regions,
        "partner_query": partner_query, "partner_hits": partner_hits,
        "as_of": request.GET.get("as_of", ""),
        "can_draft": permissions.can_edit_organisation(request.user, organisation.pk),
        "map_data": {"home": home, "points": points},
    })


@login_required
@require_POST
def add_draft(request):
    organisation = _organisation(request)
    if not permissions.can_edit_organisation(request.user, organisation.pk):
        raise PermissionDenied(_("You may not create agreements."))
    try:
        gid = int(request.POST["geonameid"]) if request.POST.get("geonameid") else None
        lg = int(request.POST["local_government"]) if request.POST.get("local_government") else None
        agreement = services.add_as_draft(actor=request.user, geonameid=gid, lg_id=lg)
    except (ValueError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("recommend:recommendations")
    messages.success(request, _("Draft agreement “%(title)s” created.") % {"title": agreement.title})
    try:
        return redirect(reverse("agreements:detail", kwargs={"pk": agreement.pk}))
    except NoReverseMatch:  # pragma: no cover
        return redirect("recommend:recommendations")


@login_required
def profile(request):
    organisation = _organisation(request)
    current = selectors.profile_of(organisation.pk)
    can_edit = permissions.can_edit_organisation(request.user, organisation.pk)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may not edit the partner profile."))

        def number(name):
            value = (request.POST.get(name) or "").replace(",", "").replace(".", "").strip()
            return int(value) if value.isdigit() else None

        try:
            services.save_profile(
                actor=request.user, organisation=organisation,
                is_open=request.POST.get("is_open") == "on",
                countries=(request.POST.get("countries") or "").replace(";", ",").split(","),
                regions=request.POST.getlist("regions"),
                min_population=number("min_population"), max_population=number("max_population"),
                areas=request.POST.getlist("areas"), text=request.POST.get("text", ""))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Partner profile saved."))
            return redirect("recommend:profile")
    rec = services.get_recommender()
    from .facts import load_facts

    regions = sorted({s for s in load_facts().subregion.values() if s})
    try:
        from citydiplomacy.agreements.models import CooperationArea

        areas = list(CooperationArea.choices)
    except ImportError:  # pragma: no cover
        areas = []
    return render(request, "recommend/profile.html", {
        "organisation": organisation, "profile": current, "can_edit": can_edit,
        "regions": regions, "areas": areas, "trained": rec is not None})


@require_GET
def public_profiles(request):
    return render(request, "recommend/public_profiles.html", {"profiles": selectors.open_profiles()})
