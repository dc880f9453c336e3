"""Analytics pages, timelines, report and public page on İBB's real relations."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from citydiplomacy.agreements.rules import state_at
from citydiplomacy.agreements.timeline import timelines_of
from citydiplomacy.analytics import monitoring, timelines

pytestmark = pytest.mark.django_db


def test_rotterdam_timeline_terminated_after_2017_03_15(rotterdam_tie):
    points = timelines_of([rotterdam_tie])[rotterdam_tie.pk]
    assert state_at(points, dt.date(2017, 3, 14)) == "active"
    assert state_at(points, dt.date(2017, 3, 16)) == "terminated"


def test_map_page_as_of(client_for, rotterdam_tie):
    client = client_for("viewer")
    before = client.get("/analytics/map/?as_of=2016-12-31").content.decode()
    after = client.get("/analytics/map/?as_of=2017-06-30").content.decode()
    assert 'Rotterdam' in before and 'data-state="active">' in before.split("Rotterdam")[1][:400]
    assert 'data-state="terminated">' in after.split("Rotterdam")[1][:400]
    assert 'id="map-data"' in after


def test_timeline_counts(ibb_relations, users):
    timeline = timelines.build_timeline(list(ibb_relations.prefetch_related("events")),
                                        until=dt.date(2024, 12, 31))
    row_2017 = next(r for r in timeline.rows() if r["year"] == 2017)
    assert row_2017["terminated"] >= 1
    assert timeline.ever_in_force >= 30
    assert 0 < timeline.share_active < 100


def test_timeline_page_scopes(client_for, ibb_relations):
    client = client_for("viewer")
    for query in ("", "?scope=country&country=TR", "?scope=world"):
        response = client.get(f"/analytics/timelines/{query}")
        assert response.status_code == 200
        assert b'data-testid="timeline-table"' in response.content


def test_other_organisation_sees_only_public_records_of_istanbul(client_for, ibb_relations, users):
    from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES

    agreements = timelines.timeline_agreements(users["other_officer"], scope="country", country="TR")
    assert agreements and all(a.state in PUBLIC_AGREEMENT_STATES for a in agreements)
    assert client_for("other_officer").get(
        f"/analytics/map/?organisation={ibb_relations[0].organisation_id}").status_code == 404


def test_annual_report_html_and_pdf_contain_rotterdam_termination(client_for, rotterdam_tie, activities,
                                                                  make_queued_pdfs):
    client = client_for("viewer")
    html = client.get("/analytics/report/2017/").content.decode()
    terminated = html.split('data-testid="terminated"')[1].split("</ul>")[0]
    assert "Rotterdam" in terminated and "2017-03-15" in terminated
    assert client.get("/analytics/report/2017.pdf").status_code == 202  # made by the task runner
    assert make_queued_pdfs() == 1
    response = client.get("/analytics/report/2017.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Rotterdam" in text and "2017-03-15" in text
    assert text.index("2017-03-15 · Rotterdam") > 0


def test_public_page_shows_active_ties_only(client, ibb_relations, istanbul):
    from citydiplomacy.agreements.models import Agreement

    Agreement.objects.create(organisation=istanbul, partner=ibb_relations[0].partner,
                             instrument="memorandum_of_understanding", title="Secret draft")
    index = client.get("/public/")
    assert index.status_code == 200 and istanbul.name in index.content.decode()
    page = client.get(f"/public/{istanbul.pk}/").content.decode()
    assert "Rotterdam" not in page.split('data-testid="public-ties"')[1].split("</table>")[0]
    assert "Rotterdam" in page.split('data-testid="public-ended"')[1]  # ended: shown as ended
    assert "Secret draft" not in page
    assert "Almaty" in page
    catalogue = client.get("/public/datasets.json").json()
    assert catalogue["@type"] == "dcat:Catalog" and catalogue["dcat:dataset"]


def test_compliance_groups(client_for, ibb_relations):
    response = client_for("oversight").get("/analytics/compliance/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report["groups"][0]["group"] == "metropolitan"
    assert report["groups"][0]["no_council_decision"] > 0


def test_health_score_and_self_assessment(client_for, activities):
    from citydiplomacy.analytics.models import SelfAssessment

    health = monitoring.health_of(activities, on=dt.date(2017, 12, 31))
    assert 0 < health.score <= 100
    assert {label for label, _v, _w in health.parts} >= {"Recency", "Güncellik"} or len(health.parts) == 4
    url = f"/analytics/agreements/{activities.pk}/health/"
    assert client_for("viewer").post(url, {"form": "assessment", "score_strategy": "4"}).status_code == 403
    response = client_for("officer").post(url, {"form": "assessment", "year": "2025",
                                                "score_strategy": "4", "score_resources": "2",
                                                "evidence_strategy": "<b>plan</b>"})
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(agreement=activities)
    assert assessment.average == 3.0
    bad = client_for("officer").post(url, {"form": "assessment", "score_strategy": "9"}, follow=True)
    assert SelfAssessment.objects.count() == 1 and bad.status_code == 200
    page = client_for("viewer").get(url).content.decode()
    assert "<b>plan</b>" not in page


def test_acknowledgement_recorded(client_for, rotterdam_tie):
    from citydiplomacy.analytics.models import PartnerAcknowledgement

    url = f"/analytics/agreements/{rotterdam_tie.pk}/health/"
    client = client_for("officer")
    assert client.post(url, {"form": "acknowledgement", "status": "denied"}).status_code == 200  # no source
    assert not PartnerAcknowledgement.objects.exists()
    client.post(url, {"form": "acknowledgement", "status": "denied", "stated_on": "2017-03-15",
                      "source": "https://www.hurriyetdailynews.com/", "note": "knew of no formal tie"})
    ack = PartnerAcknowledgement.objects.get()
    assert ack.status == "denied" and ack.stated_on == dt.date(2017, 3, 15)


def test_proximity_profile_for_istanbul(client_for, ibb_relations, istanbul):
    from citydiplomacy.analytics.proximity_results import refresh_proximity

    refresh_proximity.call(istanbul.pk)  # what the worker runs
    response = client_for("viewer").get("/analytics/proximity/")
    assert response.status_code == 200
    profile = response.context["profile"]
    assert profile.placed >= 20
    rows = {r["kind"]: r for r in profile.rows}
    # İstanbul's partners share OIC membership and Ottoman history far more than random cities
    assert rows["shared_oic"]["share"] > rows["shared_oic"]["baseline"]
    assert rows["ottoman_history"]["share"] > rows["ottoman_history"]["baseline"]
    assert profile.summary


def test_compare_page(client_for, ibb_relations, ankara):
    response = client_for("oversight").get("/analytics/compare/")
    assert response.status_code == 200
    assert response.context["columns"][0]["total"] or response.context["columns"][1]["total"]


def test_network_page_and_world_data(client_for, ibb_relations):
    from citydiplomacy.analytics.tasks import refresh_network_results

    refresh_network_results.call()  # the background task
    client = client_for("viewer")
    assert client.get("/analytics/network/").status_code == 200
    data = client.get("/analytics/world/data.json").json()
    assert data["edge_count"] >= 1 and len(data["nodes"]) == 2 * data["node_count"]
