"""Analytics pages: maps, network, timelines, proximity, comparison, monitoring and exports (the
annual report: `report_views`; the public transparency pages: `public_views`, the public
register: `register_views`). Thin: selectors do the work, permissions decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.ical import calendar_ics
from citydiplomacy.analytics import (
    charts,
    comparison,
    exports,
    maps,
    monitoring,
    selectors,
    services,
    spreadsheets,
    timelines,
)
from citydiplomacy.analytics.models import Acknowledgement, Principle
from citydiplomacy.analytics.public_views import as_of_param
from citydiplomacy.analytics.wikidata_views import page_context
from citydiplomacy.core.throttling import heavy
from citydiplomacy.governments.models import LocalGovernment


def _organisation(request) -> LocalGovernment:
    """The organisation a page is about: the user's own, or (oversight) `?organisation=`."""
    return selectors.organisation_for(request.user, request.GET.get("organisation"))


def _org_choices(user):
    return selectors.organisations_with_agreements() if permissions.is_oversight(user) else []


# --- maps ----------------------------------------------------------------------------------
MAP_TABLE_ROWS = 50


@login_required
def map_page(request):
    organisation = _organisation(request)
    data, script = maps.organisation_map(request.user, organisation)
    as_of = as_of_param(request) or selectors.today()
    # the map draws every tie; its table shows them a page at a time (rendering hundreds of
    # rows per request was most of the page's cost)
    page = Paginator(maps.map_table(data, as_of), MAP_TABLE_ROWS).get_page(request.GET.get("page"))
    return render(request, "analytics/map.html", {
        "organisation": organisation, "map_data": data, "map_script": script,
        "rows": page.object_list, "page": page,
        "as_of": as_of,
        "organisations": _org_choices(request.user)})


@login_required
def world_page(request):
    stored = selectors.network_summary()
    return render(request, "analytics/world.html", {"stats": stored.value, "stored": stored})


@login_required
@require_GET
def world_data(request):
    stored = selectors.world_map_json()
    if not stored.ready:  # the first computation is under way: an empty map, said so
        return JsonResponse({"nodes": [], "edges": [], "node_count": 0, "edge_count": 0, "ties": 0,
                             "unplaced_ties": 0, "updating": True}, status=202)
    response = HttpResponse(stored.value, content_type="application/json")
    response["X-Result-Computed-At"] = stored.computed_at.isoformat(timespec="seconds")
    if stored.updating:
        response["X-Result-Updating"] = "1"
    return response


@login_required
@heavy
def network_page(request):
    stored = selectors.network_summary()
    stats = stored.value or {}
    organisation_id = permissions.organisation_id_of(request.user)
    focus = stats.get("focus", {}).get(str(organisation_id)) if organisation_id else None
    distribution = sorted(((int(k), v) for k, v in stats.get("degree_distribution", {}).items()))
    chart = charts.stacked_bars([str(k) for k, _v in distribution[:30]],
                                [(_("Cities"), [v for _k, v in distribution[:30]])],
                                title=_("Degree distribution"))
    return render(request, "analytics/network.html", {
        "stats": stats, "stored": stored, "focus": focus, "distribution": distribution,
        "chart": chart})


# --- timelines -----------------------------------------------------------------------------
@login_required
def timelines_page(request):
    scope = request.GET.get("scope", "organisation")
    if scope not in ("organisation", "country", "world"):
        scope = "organisation"
    organisation = _organisation(request) \
        if scope == "organisation" else None
    country = (request.GET.get("country") or "TR").upper()[:2]
    agreements = timelines.timeline_agreements(request.user, scope=scope, organisation=organisation,
                                               country=country)
    timeline = timelines.build_timeline(agreements)
    years = [str(y) for y in timeline.years]
    context = {
        "scope": scope, "organisation": organisation, "country": country, "timeline": timeline,
        "organisations": _org_choices(request.user),
        "chart_events": charts.stacked_bars(years, [
            (_("New"), timeline.new), (_("Suspended"), timeline.suspended),
            (_("Terminated"), timeline.terminated), (_("Expired"), timeline.expired)],
            title=_("New, suspended and terminated ties per year")),
        "chart_instruments": charts.stacked_bars(years, list(timeline.new_by_instrument.items()),
                                                 title=_("New ties per year by instrument")),
        "chart_decades": charts.stacked_bars(timeline.decades, list(timeline.decade_by_instrument.items()),
                                             title=_("New ties per decade by instrument")),
        "chart_active": charts.stacked_bars(years, [(_("Active at year end"), timeline.active_end)],
                                            title=_("Active ties at the end of each year")),
        "chart_status": charts.horizontal_bars(timeline.by_status, title=_("Ties by status")),
        "decade_rows": [(d, [v[i] for v in timeline.decade_by_instrument.values()])
                        for i, d in enumerate(timeline.decades)],
        "reported_by_country": timelines.reported_ties_by_country() if scope == "world" else [],
    }
    return render(request, "analytics/timelines.html", context)


# --- proximity and comparison --------------------------------------------------------------
@login_required
def proximity_page(request):
    from citydiplomacy.analytics.proximity import profile_from
    from citydiplomacy.analytics.proximity_results import stored_profile

    organisation = _organisation(request)
    stored = stored_profile(organisation.pk)  # computed in the background, never here
    profile = profile_from(organisation, stored.value) if stored.ready else None
    rows = profile.rows if profile else []
    chart = charts.horizontal_bars(
        [(f"{r['label']}", r["share"]) for r in rows], title=_("Share of partners"),
        unit="%", max_value=100)
    baseline_chart = charts.horizontal_bars(
        [(f"{r['label']}", r["baseline"]) for r in rows], title=_("Baseline share"),
        unit="%", max_value=100)
    return render(request, "analytics/proximity.html", {
        "profile": profile, "stored": stored, "organisation": organisation, "chart": chart,
        "baseline_chart": baseline_chart, "organisations": _org_choices(request.user)})


@login_required
def compare_page(request):
    readable = permissions.readable_organisation_ids(request.user)
    candidates = selectors.organisations_with_agreements()
    if readable is not None:
        candidates = [o for o in candidates if o.pk in readable]
    wanted = [int(x) for x in request.GET.getlist("organisation") if x.isdigit()]
    chosen = [o for o in candidates if o.pk in wanted] or candidates[:3]
    columns = [comparison.comparison_column(request.user, o) for o in chosen]
    return render(request, "analytics/compare.html", {"columns": columns, "candidates": candidates,
                                                      "chosen": [o.pk for o in chosen]})


# --- monitoring ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def agreement_health(request, pk: int):
    agreement = agreement_selectors.get_agreement(request.user, pk)
    can_edit = permissions.can_edit_organisation(request.user, agreement.organisation_id)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only officers and administrators of the organisation may do this."))
        try:
            if request.POST.get("form") == "acknowledgement":
                services.record_acknowledgement(agreement, actor=request.user, data=request.POST)
            else:
                services.save_self_assessment(agreement, actor=request.user, data=request.POST)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("analytics:agreement-health", pk=agreement.pk)
    health = monitoring.health_of(agreement)
    year = selectors.today().year
    assessment = agreement.self_assessments.filter(year=year).first()
    return render(request, "analytics/health.html", {
        "agreement": agreement, "health": health, "can_edit": can_edit, "year": year,
        "principles": [(p.value, p.label, (assessment.scores.get(p.value) if assessment else ""),
                        (assessment.evidence.get(p.value, "") if assessment else "")) for p in Principle],
        "assessments": agreement.self_assessments.all(),
        "acknowledgements": agreement.acknowledgements.all(),
        "acknowledgement_choices": Acknowledgement.choices,
    })


@login_required
def compliance_page(request):
    return render(request, "analytics/compliance.html",
                  {"report": monitoring.compliance(request.user)})


# --- exports -------------------------------------------------------------------------------
@login_required
@heavy
def export_table(request, dataset: str, fmt: str):
    organisation = _organisation(request)
    codes = request.GET.get("codes") == "1"  # for machines: raw codes and English column names
    if dataset == "agreements":
        columns, rows = spreadsheets.agreement_table(
            selectors.organisation_agreements(request.user, organisation), codes=codes)
    elif dataset == "activities":
        columns, rows = spreadsheets.activity_table(agreement_selectors.activities_for(request.user).filter(
            organisation=organisation), codes=codes)
    else:
        raise Http404
    name = f"{dataset}-{organisation.pk}{'-codes' if codes else ''}"
    if fmt == "csv":
        return exports.attachment(exports.to_csv(columns, rows), exports.CSV_TYPE, f"{name}.csv")
    if fmt == "xlsx":
        return exports.attachment(exports.to_xlsx(columns, rows, title=dataset), exports.XLSX_TYPE, f"{name}.xlsx")
    raise Http404


@login_required
@heavy
def export_geojson(request):
    organisation = _organisation(request)
    data = exports.partners_geojson(selectors.organisation_agreements(request.user, organisation))
    return JsonResponse(data, content_type="application/geo+json")


@login_required
@heavy
def export_ics(request):
    organisation = _organisation(request)
    return exports.attachment(calendar_ics(organisation), "text/calendar", f"reminders-{organisation.pk}.ics")


@login_required
@heavy
def export_quickstatements(request):
    organisation = _organisation(request)
    lines, skipped = exports.quickstatements(selectors.organisation_agreements(request.user, organisation))
    if not lines:  # never an empty file: the reconciliation page lists the skipped ties and why
        messages.warning(request, _("No twinning tie has a Wikidata id on both sides, so there is "
                                    "nothing to export yet; the ties skipped and why are listed below."))
        return redirect(f"{reverse('analytics:reconcile')}?organisation={organisation.pk}")
    response = HttpResponse("\n".join(lines) + ("\n" if lines else ""), content_type="text/plain; charset=utf-8")
    response["X-Skipped-Ties"] = str(len(skipped))
    return response


@login_required
@require_http_methods(["GET", "POST"])
@heavy
def reconcile_page(request):
    organisation = _organisation(request)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("export")
        if upload is None or upload.size > 5 * 1024 * 1024:
            messages.error(request, _("Choose a Wikidata export (CSV or TSV, at most 5 MB)."))
        else:
            try:
                text = exports.wikidata_export_text(upload.read())
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                result = exports.reconcile(selectors.organisation_agreements(request.user, organisation), text)
    return render(request, "analytics/reconcile.html", page_context(request, organisation, result=result))
