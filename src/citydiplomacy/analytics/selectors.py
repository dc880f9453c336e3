"""Reads of the analytics app that its pages share: which organisation a page is about
(`organisation_for`, 404 for one the user may not read), its ties (`organisation_agreements`),
the ties a cross-organisation figure may count, the public page's organisations and ties, links
to an agreement's page, and the whole-network results as stored by the background task
(analytics/tasks.py) under a fingerprint of the ties (core/stored_results.py). Everything
is scoped with accounts.permissions; the agreements app's selectors are the source of states.

The app's other reads, each with its own job: `maps`, `timelines`, `monitoring` (health score,
compliance), `reports` (annual report), `comparison`, `network_inputs` (what the network
results are computed from), `register` (the national public register).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Count, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import ngettext

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.core import stored_results
from citydiplomacy.core.stored_results import Stored
from citydiplomacy.governments.models import LocalGovernment


def today() -> dt.date:
    return timezone.localdate()


# --- organisations -------------------------------------------------------------------------
def organisations_with_agreements() -> list[LocalGovernment]:
    ids = Agreement.objects.filter(archived_at__isnull=True).values("organisation_id")
    return list(LocalGovernment.objects.filter(Q(pk__in=ids) | Q(members__isnull=False))
                .distinct().order_by("name"))


def organisation_for(user, requested: str | int | None) -> LocalGovernment:
    """The organisation a page is about: the user's own, or (oversight) any requested one.
    Asking for an organisation one may not read answers 404."""
    if requested not in (None, ""):
        try:
            pk = int(requested)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        if not permissions.can_read_organisation(user, pk):
            raise Http404
        return LocalGovernment.objects.filter(pk=pk).first() or _raise404()
    own = permissions.organisation_id_of(user)
    if own is not None:
        return LocalGovernment.objects.get(pk=own)
    first = next(iter(organisations_with_agreements()), None)
    return first or _raise404()


def _raise404():
    raise Http404


@cache
def agreement_url_name() -> str:
    for name in ("agreements:agreement", "agreements:detail", "agreements:agreement-detail",
                 "web:agreement"):
        try:
            reverse(name, kwargs={"pk": 1})
        except NoReverseMatch:
            continue
        return name
    return "analytics:agreement-health"


def agreement_url(pk: int) -> str:
    """Link to an agreement's page in the agreements web UI (if it is installed yet)."""
    return reverse(agreement_url_name(), kwargs={"pk": pk})


def pk_url(name: str):
    """`pk -> url` for a URL pattern with one `<int:pk>`: reversed once, then formatted
    (pages that link every row of a long list)."""
    sentinel = 918273645
    head, _, tail = reverse(name, kwargs={"pk": sentinel}).partition(str(sentinel))
    return lambda pk: f"{head}{int(pk)}{tail}"


def cross_organisation_agreements(user):
    """The user's readable agreements plus every other organisation's public records."""
    readable = permissions.readable_organisation_ids(user)
    queryset = Agreement.objects.filter(archived_at__isnull=True).select_related(
        "organisation", "partner", "partner_organisation")
    if readable is None:
        return queryset
    return queryset.filter(Q(organisation_id__in=readable)
                           | Q(state__in=permissions.PUBLIC_AGREEMENT_STATES))


def organisation_agreements(user, organisation: LocalGovernment) -> list[Agreement]:
    return list(agreement_selectors.agreements_for(user).filter(organisation=organisation)
                .prefetch_related("events"))


def public_agreements(organisation: LocalGovernment, *, active_only: bool = True) -> list[Agreement]:
    states = [State.ACTIVE] if active_only else permissions.PUBLIC_AGREEMENT_STATES
    return [a for a in Agreement.objects.filter(organisation=organisation, state__in=states,
                                                archived_at__isnull=True)
            .select_related("organisation", "partner", "partner_organisation")
            .prefetch_related("events").order_by("signed_on", "id")
            if permissions.is_public_agreement(a)]


def public_organisations() -> list[dict]:
    rows = (Agreement.objects.filter(state=State.ACTIVE, archived_at__isnull=True)
            .values("organisation_id", "organisation__name").annotate(n=Count("id"))
            .order_by("organisation__name"))
    return [{"id": r["organisation_id"], "name": r["organisation__name"], "active": r["n"]} for r in rows]


def public_index_rows() -> list[dict]:
    """`public_organisations` as the public index lists them: each with its page's link and
    its count in words (built here: the index lists every organisation of the country)."""
    url = pk_url("analytics:public-organisation")
    rows = public_organisations()
    words = {n: ngettext("%(n)s active tie", "%(n)s active ties", n) % {"n": n}
             for n in {o["active"] for o in rows}}
    return [{"url": url(o["id"]), "name": o["name"], "ties": words[o["active"]]} for o in rows]


def network_summary() -> Stored:
    """Whole-network statistics (with the rank and neighbourhood of every organisation), as
    stored by the background task (analytics.tasks); never computed in the request. When the
    inputs changed since the task last looked, the stored result comes back with `updating`
    set (and the task is enqueued); before the first run, no value."""
    from citydiplomacy.analytics.network_inputs import current_fingerprint
    from citydiplomacy.analytics.tasks import NETWORK, refresh_network_results

    return stored_results.read(NETWORK, current_fingerprint(), refresh_network_results)


def network_totals() -> dict | None:
    """The cities and ties of the latest stored network results ({"nodes", "edges"}), whatever
    ties they were computed from (the dashboard: a small entry, not the whole statistics)."""
    from citydiplomacy.analytics.network_inputs import current_fingerprint
    from citydiplomacy.analytics.tasks import TOTALS, refresh_network_results

    return stored_results.read(TOTALS, current_fingerprint(), refresh_network_results).value


def world_map_json() -> Stored:
    """The world map's compact arrays (`network_inputs.world_map_data`) as JSON bytes, as stored by the
    background task with the statistics."""
    from citydiplomacy.analytics.network_inputs import current_fingerprint
    from citydiplomacy.analytics.tasks import WORLD, refresh_network_results

    return stored_results.read(WORLD, current_fingerprint(), refresh_network_results)
