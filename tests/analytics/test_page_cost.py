"""The query count of each page of the national benchmark (benchmarks/national.py) stays flat
when the registry grows tenfold: pages read what they show in a fixed number of queries, never
one query per agreement, partner, event or activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.agreements.models import Activity, Agreement, AgreementEvent
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db

PAGES = ["/", "/agreements/", "/agreements/?status=active&country=DE", "/analytics/map/",
         "/analytics/network/", "/analytics/world/", "/analytics/report/2017/", "/public/",
         "/api/agreements/"]


def grow(organisation, factor: int) -> None:
    """Add (factor - 1) times the registry's agreements, each with new partners, the events of
    its steps and two activities (bulk: what an import leaves)."""
    base = list(Agreement.objects.filter(partner__isnull=False).select_related("partner"))
    for round_ in range(1, factor):
        partners = LocalGovernment.objects.bulk_create(
            LocalGovernment(name=f"{a.partner.name} {round_}", country_code=a.partner.country_code,
                            latitude=a.partner.latitude, longitude=a.partner.longitude) for a in base)
        made = Agreement.objects.bulk_create(
            Agreement(organisation=organisation, partner=p, instrument=a.instrument, title=f"{a.title} {round_}",
                      state=a.state, signed_on=a.signed_on, effective_on=a.effective_on, areas=a.areas)
            for a, p in zip(base, partners))
        AgreementEvent.objects.bulk_create(
            AgreementEvent(agreement=m, from_state="draft", to_state=m.state, occurred_on=m.signed_on)
            for m in made if m.state != "draft")
        Activity.objects.bulk_create(
            Activity(organisation=organisation, agreement=m, partner=m.partner, kind="event",
                     title=f"Activity {k}", starts_on=dt.date(2017, 5, 1 + k), status="held")
            for m in made for k in range(2))


def counts(client) -> dict[str, int]:
    cache.clear()  # the network fingerprint is computed once in each count, as after a change
    answer = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        answer[url] = len(ctx.captured_queries)
    return answer


def test_page_queries_stay_flat_as_the_registry_grows_tenfold(ibb_relations, istanbul, client_for):
    from citydiplomacy.analytics.tasks import compute_network_results

    client = client_for("officer")
    grow(istanbul, 2)  # more than one page of each list from the start
    compute_network_results()
    counts(client)  # per-process look-ups (policy tables, translations) filled once
    small = counts(client)
    agreement = Agreement.objects.filter(organisation=istanbul).first()
    detail = f"/agreements/{agreement.pk}/"
    with CaptureQueriesContext(connection) as ctx:
        client.get(detail)
    detail_small = len(ctx.captured_queries)
    before = Agreement.objects.count()
    grow(istanbul, 10)
    assert Agreement.objects.count() >= 9 * before
    compute_network_results()
    large = counts(client)
    with CaptureQueriesContext(connection) as ctx:
        client.get(detail)
    assert len(ctx.captured_queries) == detail_small
    # Flat: a query per row would add hundreds here. One more or fewer is allowed: a page
    # skips a query whose answer is empty (no history rows among the 50 shown, a stored
    # result that is up to date needs no look at the task queue).
    grown = {url: (small[url], large[url]) for url in PAGES if abs(large[url] - small[url]) > 1}
    assert grown == {}
