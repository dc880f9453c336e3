"""Agreement web pages: list filters and as-of, role-dependent actions, clear errors, CSV."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplomacy.agreements import services, transitions
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.sample_files import MINIMAL_PDF


@pytest.fixture
def cologne(db):
    return LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242)


@pytest.fixture
def draft(users, cologne):
    load_policy_tables()
    return services.create_agreement(actor=users["officer"], instrument="cooperation_protocol",
                                     title="Protocol with Köln", partner=cologne)


def test_officer_sees_only_edit_actions_and_approver_only_decisions(client_for, draft, users):
    transitions.transition(draft, actor=users["officer"], to="in_committee", on=dt.date.today())
    officer_html = client_for("officer").get(f"/agreements/{draft.pk}/").content.decode()
    approver_html = client_for("approver").get(f"/agreements/{draft.pk}/").content.decode()
    viewer_html = client_for("viewer").get(f"/agreements/{draft.pk}/").content.decode()
    assert 'data-action="council_approved"' not in officer_html
    assert 'data-action="council_approved"' in approver_html
    assert 'data-action="council_rejected"' in approver_html
    assert "data-action=" not in viewer_html


def test_rule_violation_is_shown_and_nothing_changes(client_for, draft, users):
    response = client_for("officer").post(f"/agreements/{draft.pk}/transition/", {
        "to": "signed", "date": dt.date.today().isoformat(), "version": draft.version,
    }, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "council decision before it can be signed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.signed_on is None


def test_stale_version_is_a_clear_conflict(client_for, draft, users):
    services.update_agreement(draft, actor=users["officer"], version=draft.version, title="Changed")
    response = client_for("officer").post(f"/agreements/{draft.pk}/edit/", {
        "version": 1, "title": "My stale edit"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Someone else changed this agreement" in response.content.decode()
    assert Agreement.objects.get(pk=draft.pk).title == "Changed"


def test_dates_out_of_order_refused(client_for, draft, users):
    today = dt.date.today()
    transitions.transition(draft, actor=users["officer"], to="in_committee", on=today)
    response = client_for("approver").post(f"/agreements/{draft.pk}/transition/", {
        "to": "council_approved", "date": (today - dt.timedelta(days=30)).isoformat(), "reference": "2025/1",
    }, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "before the previous step" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "in_committee"


def test_document_that_is_not_allowed_is_refused(client_for, draft):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client_for("officer").post(f"/agreements/{draft.pk}/documents/",
                                          {"kind": "other", "upload": upload}, follow=True,
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert draft.documents.count() == 0
    assert "error" in response.content.decode()


def test_pdf_document_is_stored_with_sha256(client_for, draft):
    upload = SimpleUploadedFile("decision.pdf", MINIMAL_PDF, content_type="application/pdf")
    client_for("officer").post(f"/agreements/{draft.pk}/documents/", {"kind": "council_decision",
                                                                      "upload": upload})
    document = draft.documents.get()
    assert len(document.sha256) == 64


def test_list_filters_and_csv_neutralises_formulas(client_for, users, cologne):
    load_policy_tables()
    services.create_agreement(actor=users["officer"], instrument="twinning", title="Twin",
                              partner=cologne, notes="", source='=HYPERLINK("http://x")')
    client = client_for("officer")
    html = client.get("/agreements/?instrument=twinning", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Köln" in html
    html = client.get("/agreements/?instrument=membership", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Köln" not in html
    body = client.get("/agreements/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert 'Köln' in body


def test_other_organisation_sees_no_draft(client_for, draft):
    assert client_for("other_officer").get(f"/agreements/{draft.pk}/").status_code == 404
    assert "Köln" not in client_for("other_officer").get("/agreements/").content.decode()


def test_activity_with_dates_out_of_order_is_refused(client_for, draft):
    response = client_for("officer").post(f"/agreements/{draft.pk}/activities/", {
        "kind": "event", "title": "Festival", "starts_on": "2024-05-10", "ends_on": "2024-05-01",
        "status": "held"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert draft.activities.count() == 0


def test_policy_board_impact_analysis(client_for, users, draft):
    html = client_for("officer").get("/policy/?country=DE&status=frozen&on=2020-01-01",
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="impact"' in html
    html = client_for("officer").get("/policy/?country=XX&status=frozen&on=2020-01-01",
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unknown country code" in html


def test_as_of_view_hides_what_happened_later(client_for, users, cologne):
    load_policy_tables()
    agreement = services.create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                                          title="Goodwill", partner=cologne)
    transitions.transition(agreement, actor=users["officer"], to="signed", on=dt.date(2020, 1, 10))
    transitions.transition(agreement, actor=users["officer"], to="active", on=dt.date(2020, 1, 11))
    transitions.transition(agreement, actor=users["admin"], to="terminated", on=dt.date(2021, 6, 1),
                        reference="2021/9", reason="Council decision")
    client = client_for("officer")
    before = client.get("/agreements/?as_of=2021-01-01", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    after = client.get("/agreements/?as_of=2021-07-01", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="active"' in before and "2021-06-01" not in before
    assert 'data-state="terminated"' in after and "2021-06-01" in after
