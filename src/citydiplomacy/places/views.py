"""Review screen: unresolved/ambiguous partners, their candidates on a map, one-click choice,
gazetteer search, and merging two local governments that are the same. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.governments.models import LocalGovernment

from . import selectors, services
from .models import ReviewChoiceKind


def _map_point(lat, lng) -> dict | None:
    if lat is None or lng is None:
        return None
    x = round((lng + 180) / 360 * 720, 1)
    return {"x": x, "lx": x + 6, "y": round((90 - lat) / 180 * 360, 1)}


@login_required
def review_list(request):
    q = request.GET.get("q", "")
    queue = selectors.review_queue()
    if q:
        queue = queue.filter(raw_name__icontains=q)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "places/review_list.html", {"page": page, "q": q})


@login_required
def review_detail(request, pk: int):
    from .review_results import candidates_of, stored_candidates

    government = get_object_or_404(LocalGovernment, pk=pk)
    stored = stored_candidates(government)  # resolved in the background, never here
    resolution = stored.value or {}
    rows = [{"c": c, "point": _map_point(c.latitude, c.longitude)} for c in candidates_of(resolution)]
    country = resolution.get("country_code", "")
    return render(request, "places/review_detail.html", {
        "government": government, "resolution": resolution, "candidates": rows, "stored": stored,
        "can_review": permissions.can_edit_registry(request.user),
        "country_hint": country if len(country) == 2 else "",
    })


@login_required
@require_POST
def review_choose(request, pk: int):
    government = get_object_or_404(LocalGovernment, pk=pk)
    kind = request.POST.get("kind", "")
    ref = request.POST.get("ref", "")
    if kind not in ReviewChoiceKind.values:
        messages.error(request, _("Choose a place, a region or 'cannot be identified'."))
        return redirect("places:review-detail", pk=pk)
    try:
        result = services.record_choice(government, kind, ref, request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("places:review-detail", pk=pk)
    messages.success(request, _("Choice recorded; later imports will reuse it."))
    return redirect("web:local-government", pk=result.pk)


@login_required
@require_POST
def merge(request):
    if not permissions.can_edit_registry(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only officers and administrators may merge local governments."))
    try:
        keep = get_object_or_404(LocalGovernment, pk=int(request.POST.get("keep", "0")))
        drop = get_object_or_404(LocalGovernment, pk=int(request.POST.get("drop", "0")))
    except ValueError:
        messages.error(request, _("Give the numbers of two local governments."))
        return redirect("places:review")
    try:
        services.merge_local_governments(keep, drop, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("places:review")
    messages.success(request, _("Merged into %(name)s.") % {"name": keep.name})
    return redirect("web:local-government", pk=keep.pk)
