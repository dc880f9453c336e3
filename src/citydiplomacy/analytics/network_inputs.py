"""What the whole-network results (statistics and world map, computed by the background task
in analytics/tasks.py) are computed from: the network (`network_input`: reported ties plus
agreements in force, deduplicated), the world map's arrays (`world_map_data`), and their
fingerprint (`network_fingerprint`).

Pages never compute the fingerprint (0.15-0.9 s at national size: 50,000 agreements, 35,000
pairs in force). The worker computes it (`record_fingerprint`) and keeps it in Django's cache
under a cheap change key; a page asks for the fingerprint of the current change key
(`current_fingerprint`) and gets None when the inputs changed since the worker last looked.
Every worker process (and host, with a shared CACHE_URL) reads the same entry.

The change key is the largest value of indexed columns that any change to the fingerprint's
inputs moves (core/change_keys.py): a new or changed agreement (its id, its history
record), a step (the event id), a reported tie, a user (organisations in focus) and the
registry of local governments.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef
from django.db.models.functions import Greatest, Least

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.analytics.network import GraphInput
from citydiplomacy.core.chunks import filter_in
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.governments.selectors import registry_version

TIMEOUT = 24 * 3600  # an entry under a key that no longer moves is dropped after a day


def change_key() -> tuple:
    from citydiplomacy.accounts.models import User
    from citydiplomacy.agreements.models import AgreementEvent
    from citydiplomacy.core.change_keys import latest
    from citydiplomacy.governments.selectors import REGISTRY_VERSION_COLUMNS
    from citydiplomacy.places.models import ReportedTie

    return latest((Agreement, "id"), (Agreement.history.model, "history_id"),
                  (AgreementEvent, "id"), (ReportedTie, "id"), (User, "id"),
                  *REGISTRY_VERSION_COLUMNS)


def _fingerprint_key(key: tuple) -> str:
    return "network-fingerprint:" + hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def current_fingerprint() -> str | None:
    """The fingerprint of the current inputs if the worker has computed it since they last
    changed; None otherwise (a page then shows the stored results as being updated)."""
    return cache.get(_fingerprint_key(change_key()))


def record_fingerprint() -> str:
    """Compute the fingerprint of the current inputs and keep it under the change key read
    before it (a change made meanwhile moves the key, so the next reader asks again)."""
    key = _fingerprint_key(change_key())
    fingerprint = network_fingerprint()
    cache.set(key, fingerprint, TIMEOUT)
    return fingerprint


def network_input() -> GraphInput:
    """The world twinning network: reported ties (places) plus agreements in force between
    two local governments (our registry), deduplicated."""
    from citydiplomacy.places.models import ReportedTie

    edges = set()
    for low, high in ReportedTie.objects.values_list("low_id", "high_id").iterator(chunk_size=20000):
        if low != high:
            edges.add((min(low, high), max(low, high)))
    reported = len(edges)
    for org, partner in Agreement.objects.filter(
            archived_at__isnull=True, partner__isnull=False,
            state__in=lifecycle.IN_FORCE).values_list("organisation_id", "partner_id"):
        if org != partner:
            edges.add((min(org, partner), max(org, partner)))
    ids = sorted({n for pair in edges for n in pair})
    names, countries = {}, {}
    for pk, name, country in LocalGovernment.objects.order_by().values_list("id", "name", "country_code"):
        names[pk] = name
        countries[pk] = country
    return GraphInput(ids=ids, names=names, countries=countries, edges=sorted(edges),
                      meta={"reported_ties": reported, "registry_ties": len(edges) - reported})


def network_fingerprint() -> str:
    """A cheap key of everything the network results are computed from: the reported ties,
    the distinct (organisation, partner) pairs of agreements in force, the registry of local
    governments (names, countries, coordinates) and the organisations in focus.

    Drafts, activities and steps that do not change the set of ties (reported or in force)
    leave it unchanged, so that writes to the registry do not throw away the (seconds-long)
    whole-network results."""
    from citydiplomacy.accounts.models import User
    from citydiplomacy.places.models import ReportedTie

    ties = ReportedTie.objects.aggregate(n=Count("id"), last=Max("id"))
    # pairs in force that the reported ties do not already hold (the union is what counts)
    reported = ReportedTie.objects.filter(low_id=OuterRef("low"), high_id=OuterRef("high"))
    pairs = sorted(Agreement.objects.filter(
        archived_at__isnull=True, partner__isnull=False, state__in=lifecycle.IN_FORCE
    ).exclude(organisation_id=F("partner_id")).annotate(
        low=Least("organisation_id", "partner_id"), high=Greatest("organisation_id", "partner_id")
    ).filter(~Exists(reported)).order_by().values_list("low", "high").distinct())
    focus = sorted(set(Agreement.objects.filter(archived_at__isnull=True).order_by()
                       .values_list("organisation_id", flat=True).distinct())
                   | set(User.objects.filter(organisation__isnull=False).order_by()
                         .values_list("organisation_id", flat=True).distinct()))
    text = json.dumps([ties, pairs, focus, registry_version()], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def world_map_data() -> dict:
    from citydiplomacy.places.models import ReportedTie

    pairs = set(ReportedTie.objects.values_list("low_id", "high_id").iterator(chunk_size=20000))
    pairs |= {(min(a, b), max(a, b)) for a, b in Agreement.objects.filter(
        archived_at__isnull=True, partner__isnull=False, state__in=lifecycle.IN_FORCE
    ).values_list("organisation_id", "partner_id") if a != b}
    used = {n for pair in pairs for n in pair}
    coords = {pk: (lat, lng) for pk, lat, lng in LocalGovernment.objects.filter(
        latitude__isnull=False, longitude__isnull=False).values_list("id", "latitude", "longitude")
        if pk in used}
    missing = [pk for pk in used if pk not in coords]
    for lg in filter_in(LocalGovernment.objects.all(), "pk", missing):  # chunked: may be 100,000s
        place = coordinates(lg)  # partners entered without coordinates (adapter in geo.py)
        if place:
            coords[lg.pk] = place
    index, flat_nodes = {}, []
    for pk in sorted(coords):
        index[pk] = len(index)
        lat, lng = coords[pk]
        flat_nodes.extend((round(lng, 3), round(lat, 3)))
    flat_edges = []
    for a, b in sorted(pairs):
        if a in index and b in index:
            flat_edges.extend((index[a], index[b]))
    return {"nodes": flat_nodes, "edges": flat_edges, "node_count": len(index),
            "edge_count": len(flat_edges) // 2, "ties": len(pairs),
            "unplaced_ties": len(pairs) - len(flat_edges) // 2}
