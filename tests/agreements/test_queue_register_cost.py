"""The permitting authority's queue, the directive view and the public national register stay
cheap as the registry grows tenfold (benchmarks/national.py measures them at 50,000
agreements): each reads one page in a fixed number of queries, never one query per request,
municipality, task or tie, and the queue reads only the other ties of the page's requests."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.agreements.directive_models import Directive, DirectiveTask
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

COUNTRIES = ("DE", "FR", "NL", "GE", "JP")
_serial = itertools.count()


def grow(directive: Directive, municipalities: int) -> None:
    """Municipalities, each with an open permission request, two published ties (one in the
    request's country) and a directive task (bulk, as an import leaves them)."""
    serials = [next(_serial) for _ in range(municipalities)]
    made = LocalGovernment.objects.bulk_create(
        LocalGovernment(name=f"Belediye {k}", country_code="TR", kind=GovernmentKind.MUNICIPALITY,
                        official_code=f"TR-{6 + k % 3:02d}-D{k}") for k in serials)
    partners = LocalGovernment.objects.bulk_create(
        LocalGovernment(name=f"Partner {next(_serial)}", country_code=COUNTRIES[n % len(COUNTRIES)])
        for n in range(municipalities))
    ties = []
    for n, (town, partner) in enumerate(zip(made, partners)):
        ties.append(Agreement(organisation=town, partner=partner, instrument="twinning", title=f"Request {n}",
                              state="permission_requested", permission_requested_on=dt.date(2025, 1, 1 + n % 28)))
        for k, state in enumerate(("active", "terminated")):
            ties.append(Agreement(organisation=town, partner=partner, instrument="twinning",
                                  title=f"Berlin tie {n}-{k}", state=state, signed_on=dt.date(2001, 1, 1 + k),
                                  ended_on=dt.date(2017, 3, 15) if state == "terminated" else None))
    Agreement.objects.bulk_create(ties)
    DirectiveTask.objects.bulk_create(
        DirectiveTask(directive=directive, agreement=a, organisation_id=a.organisation_id)
        for a in Agreement.objects.filter(state="active").exclude(directive_tasks__directive=directive))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_queue_directive_and_register_queries_stay_flat_as_the_registry_grows_tenfold(
        users, client_for, api_client_for, policy_tables):
    directive = Directive.objects.create(country_code="DE", issued_on=dt.date(2026, 11, 1), action="review",
                                         reason="test", source="test", deadline=dt.date(2026, 12, 1))
    web, api, anonymous = client_for("authority"), api_client_for("authority"), client_for("anonymous")
    pages = [(web, "/agreements/permission-requests/"), (api, "/api/permission-requests/"),
             (web, f"/agreements/directives/{directive.pk}/"), (api, f"/api/directives/{directive.pk}/"),
             (anonymous, "/public/register/"), (anonymous, "/public/register/?country=DE&status=active"),
             (anonymous, "/public/register/?q=Berlin"), (anonymous, "/public/register/?province=TR-06"),
             (anonymous, "/public/register/ties.csv?country=DE"), (anonymous, "/public/register/?sort=partner&page=2"),
             (anonymous, "/public/register/ties.csv?q=Berlin")]
    grow(directive, 60)  # more than one page of each list from the start
    for client, url in pages:  # per-process look-ups (policy tables, translations) filled once
        _queries(client, url)
    small = {url: _queries(client, url) for client, url in pages}
    grow(directive, 540)
    assert Agreement.objects.filter(state="permission_requested").count() == 600
    large = {url: _queries(client, url) for client, url in pages}
    grown = {url: (small[url], large[url]) for url in small if abs(large[url] - small[url]) > 1}
    assert grown == {}


def test_queue_reads_one_page_with_the_facts_of_its_requests(users, client_for, api_client_for, policy_tables):
    directive = Directive.objects.create(country_code="DE", issued_on=dt.date(2026, 11, 1), action="review",
                                         reason="test", source="test", deadline=dt.date(2026, 12, 1))
    grow(directive, 120)
    page = client_for("authority").get("/agreements/permission-requests/")
    assert len(page.context["entries"]) == 50 and page.context["page"].paginator.count == 120
    entry = page.context["entries"][0]
    assert [t.title.split()[0] for t in entry.other_ties] == ["Berlin", "Berlin"]
    assert len(entry.in_force) == 1
    second = api_client_for("authority").get("/api/permission-requests/?page=3").json()
    assert second["count"] == 120 and len(second["results"]) == 20
    assert len(second["results"][0]["other_ties_in_country"]) == 2


def test_directive_view_and_api_show_one_page_of_many_tasks(users, client_for, api_client_for, policy_tables):
    directive = Directive.objects.create(country_code="DE", issued_on=dt.date(2026, 11, 1), action="review",
                                         reason="test", source="test", deadline=dt.date(2026, 12, 1))
    grow(directive, 130)
    page = client_for("authority").get(f"/agreements/directives/{directive.pk}/")
    assert page.content.decode().count("<tr data-state=\"open\"") == 50
    assert page.context["page"].paginator.count == 130 and "130" in page.content.decode()  # compliance counts all
    body = api_client_for("authority").get(f"/api/directives/{directive.pk}/").json()
    assert body["agreements_count"] == 130 and len(body["agreements"]) == 50 and body["open"] == 130
    last = api_client_for("authority").get(f"/api/directives/{directive.pk}/?page=3").json()
    assert len(last["agreements"]) == 30 and last["agreements_next"] is None
