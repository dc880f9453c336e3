"""The reconciliation page's Wikidata pieces: its context (QuickStatements lines and skipped ties,
the matches waiting for a person and the latest decisions), the upload of a Wikidata Query
Service export, and a person's confirmation or rejection of an uncertain match. Thin: the rules
are analytics/wikidata_import.py, the permission decisions accounts/permissions.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.analytics import exports, selectors, wikidata_import
from citydiplomacy.analytics.wdqs import MAX_BYTES
from citydiplomacy.governments.models import WikidataMatch


def page_context(request, organisation, **extra) -> dict:
    lines, skipped = exports.quickstatements(selectors.organisation_agreements(request.user, organisation))
    return {"organisation": organisation, "qs_lines": len(lines), "qs_skipped": skipped,
            "result": None, "import_result": None,
            "may_reconcile": permissions.can_reconcile_wikidata(request.user, organisation.pk),
            **wikidata_import.matches_for_page(organisation), **extra}


@login_required
@require_POST
def import_ids(request):
    organisation = selectors.organisation_for(request.user, request.GET.get("organisation"))
    if not permissions.can_reconcile_wikidata(request.user, organisation.pk):
        raise PermissionDenied
    upload = request.FILES.get("wdqs")
    result = None
    if upload is None:
        messages.error(request, _("Choose a Wikidata Query Service export (CSV or JSON, at most 5 MB)."))
    elif upload.size > MAX_BYTES:
        messages.error(request, _("The file is larger than 5 MB. Export only the columns item, GeoNames id, "
                                  "label and coordinates, for the partners you need."))
    else:
        try:
            result = wikidata_import.import_export(actor=request.user, organisation=organisation,
                                                   data=upload.read(MAX_BYTES + 1))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Wikidata ids attached: %(attached)s; waiting for your confirmation: "
                                        "%(waiting)s; already known: %(already)s; not matched: %(unmatched)s.") % {
                k: len(result[k]) for k in ("attached", "waiting", "already", "unmatched")})
    return render(request, "analytics/reconcile.html", page_context(request, organisation, import_result=result))


@login_required
@require_POST
def decide_match(request, pk: int):
    readable = permissions.readable_organisation_ids(request.user)
    matches = WikidataMatch.objects.all() if readable is None else WikidataMatch.objects.filter(
        organisation_id__in=readable)
    match = get_object_or_404(matches, pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision not in ("confirm", "reject"):
            raise ValidationError(_("Choose to confirm or to reject the match."))
        match = wikidata_import.decide(actor=request.user, match=match, confirm=decision == "confirm")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, (_("%(name)s is now %(qid)s in Wikidata.") if decision == "confirm" else
                                   _("The match of %(name)s with %(qid)s was rejected.")) % {
            "name": match.government.name, "qid": match.wikidata_id})
    return redirect(f"{reverse('analytics:reconcile')}?organisation={match.organisation_id}")
