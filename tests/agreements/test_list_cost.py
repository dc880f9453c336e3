"""The registry lists stay cheap as the registry grows: the API list and the web list compute
state and flags for one page only (query counts do not grow with the registry), and the pages
together answer what the whole registry answers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.agreements import selectors
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.relations_import import import_relations
from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.governments.models import LocalGovernment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ibb_relations(users, policy_tables, istanbul):
    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)


def _letters(users, n: int) -> None:
    berlin = LocalGovernment.objects.get_or_create(name="Berlin", country_code="DE")[0]
    for i in range(n):
        create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=berlin,
                         title=f"Letter {i}")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_api_list_queries_do_not_grow_with_the_registry(ibb_relations, users, api_client_for):
    viewer = api_client_for("viewer")
    few = _queries(viewer, "/api/agreements/?page_size=50")
    _letters(users, 80)
    assert _queries(viewer, "/api/agreements/?page_size=50") == few
    body = viewer.get("/api/agreements/?page_size=50&page=2").json()
    assert body["count"] == Agreement.objects.filter(organisation=users["viewer"].organisation,
                                                     archived_at__isnull=True).count()


def test_api_list_pages_answer_what_the_full_registry_answers(ibb_relations, users, api_client_for):
    _letters(users, 30)
    full = selectors.agreement_rows(users["viewer"])
    seen = []
    for page in (1, 2, 3):
        body = api_client_for("viewer").get(f"/api/agreements/?page_size=40&page={page}").json()
        seen += [(item["id"], item["status"], item["flags"]) for item in body["results"]]
        if not body["next"]:
            break
    assert seen == [(r.agreement.pk, r.state, r.flags) for r in full]


def test_web_list_shows_one_page_of_the_registry(ibb_relations, users, client_for):
    _letters(users, 60)
    total = Agreement.objects.filter(organisation=users["viewer"].organisation, archived_at__isnull=True).count()
    response = client_for("viewer").get("/agreements/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert len(response.context["rows"]) == 50
    assert f"{total} agreements" in html and "page=2" in html
    shown = []
    for page in range(1, total // 50 + 2):
        rows = client_for("viewer").get(f"/agreements/?page={page}", HTTP_ACCEPT_LANGUAGE="en").context["rows"]
        assert len(rows) == min(50, total - 50 * (page - 1))
        shown += rows
    # the pages hold the full computation's rows in the list's order (partner name)
    full = sorted(selectors.agreement_rows(users["viewer"]), key=lambda r: r.agreement.partner_name.lower())
    assert [(r.agreement.pk, r.state, r.flags) for r in shown] == [(r.agreement.pk, r.state, r.flags) for r in full]


def test_dashboard_alerts_equal_the_full_computation(ibb_relations, users, settings):
    settings.CITYDIPLOMACY_DORMANCY_YEARS = 1  # more dormant ties among İBB's relations
    for role in ("viewer", "oversight", "other_officer"):
        user = users[role]
        rows = selectors.agreement_rows(user)
        summary = selectors.alerts_for(user)
        assert summary["active"] == sum(1 for r in rows if r.state == "active")
        assert summary["dormant"] == sum(1 for r in rows if "dormant" in r.flags)
        assert summary["needs_review"] == sum(1 for r in rows if "needs_review" in r.flags)
