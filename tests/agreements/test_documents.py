"""Stored documents (issue 13, item 3): opened in the page and downloaded by those who may read
the agreement (its organisation, oversight), 404 for everyone else, nothing public; approvers
attach the decision document at the step they record, and a refused step stores no file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplomacy.agreements import services, transitions
from citydiplomacy.agreements.models import Agreement, Document
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.sample_files import MINIMAL_PDF

TODAY = dt.date.today()
PDF = MINIMAL_PDF  # a PDF that parses: uploads are checked by content


def pdf(name="karar.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def draft(users):
    load_policy_tables()
    partner = LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242)
    return services.create_agreement(actor=users["officer"], instrument="cooperation_protocol",
                                     title="Protocol with Köln", partner=partner)


@pytest.fixture
def decision(draft, users):
    return services.add_document(actor=users["officer"], agreement=draft, upload=pdf(),
                                 kind="council_decision", title="Meclis kararı 2026/145")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("role", ["officer", "viewer", "approver", "admin", "oversight"])
def test_those_who_read_the_agreement_open_preview_and_download(decision, client_for, role):
    client = client_for(role)
    page = client.get(f"/agreements/documents/{decision.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'src="/agreements/documents/{decision.pk}/view/"' in html  # previewed in the page
    assert f'href="/agreements/documents/{decision.pk}/download/"' in html
    inline = client.get(f"/agreements/documents/{decision.pk}/view/")
    assert inline.status_code == 200 and inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert "sandbox" in inline["Content-Security-Policy"] and inline["X-Content-Type-Options"] == "nosniff"
    download = client.get(f"/agreements/documents/{decision.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment") and 'karar.pdf' in download["Content-Disposition"]
    assert _body(download) == PDF


def test_the_agreement_page_links_every_document(decision, client_for):
    html = client_for("viewer").get(f"/agreements/{decision.agreement_id}/").content.decode()
    assert f'href="/agreements/documents/{decision.pk}/"' in html
    assert f'href="/agreements/documents/{decision.pk}/download/"' in html


def test_anyone_else_gets_404_and_the_public_nothing(decision, client_for, client):
    other = client_for("other_officer")
    for suffix in ("", "view/", "download/"):
        assert other.get(f"/agreements/documents/{decision.pk}/{suffix}").status_code == 404
        # the same answer as for a document that does not exist: nothing leaks
        assert other.get(f"/agreements/documents/{decision.pk + 999}/{suffix}").status_code == 404
        assert client.get(f"/agreements/documents/{decision.pk}/{suffix}").status_code == 302  # to login
    assert client.get(decision.file.url).status_code == 404  # stored files are not served as media
    for path in ("/public/", f"/public/{decision.agreement.organisation_id}/"):
        assert "/agreements/documents/" not in client.get(path).content.decode()


def test_files_that_cannot_be_previewed_are_only_downloaded(draft, users, client_for):
    docx = services.add_document(
        actor=users["officer"], agreement=draft, kind="other", title="Notlar",
        upload=SimpleUploadedFile("notlar.docx", _docx(),
                                  content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    officer = client_for("officer")
    assert 'data-testid="document-preview"' not in officer.get(f"/agreements/documents/{docx.pk}/").content.decode()
    assert officer.get(f"/agreements/documents/{docx.pk}/view/").status_code == 404
    assert officer.get(f"/agreements/documents/{docx.pk}/download/")["Content-Disposition"].startswith("attachment")


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _to_committee(draft, users):
    transitions.transition(draft, actor=users["officer"], to="in_committee", on=TODAY)
    draft.refresh_from_db()
    return draft


def test_approver_attaches_the_council_decision_at_the_step(draft, users, client_for):
    draft = _to_committee(draft, users)
    response = client_for("approver").post(f"/agreements/{draft.pk}/transition/", {
        "to": "council_approved", "date": TODAY.isoformat(), "reference": "İBB Meclisi 2026/145",
        "final_on": TODAY.isoformat(), "version": draft.version, "document": pdf("meclis.pdf")})
    assert response.status_code == 302
    document = Document.objects.get(agreement=draft)
    assert (document.kind, document.title, document.uploaded_by.username) == \
        ("council_decision", "İBB Meclisi 2026/145", "ibb-approver")
    assert draft.events.get(to_state="council_approved").document_id == document.pk


def test_a_refused_step_stores_no_document_and_leaves_no_file(draft, users, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = _to_committee(draft, users)
    approver = client_for("approver")
    # no decision reference: the rule table refuses the step
    approver.post(f"/agreements/{draft.pk}/transition/", {
        "to": "council_approved", "date": TODAY.isoformat(), "reference": "", "version": draft.version,
        "document": pdf()})
    # a stale version
    approver.post(f"/agreements/{draft.pk}/transition/", {
        "to": "council_approved", "date": TODAY.isoformat(), "reference": "M 1", "version": draft.version + 5,
        "document": pdf()})
    # a step that records no decision
    transitions.transition(draft, actor=users["approver"], to="council_approved", on=TODAY, reference="M 1",
                        final_on=TODAY)
    draft.refresh_from_db()
    response = client_for("officer").post(f"/agreements/{draft.pk}/transition/", {
        "to": "permission_requested", "date": TODAY.isoformat(), "version": draft.version,
        "document": pdf()}, follow=True)
    assert "Bu adım bir karar kaydetmiyor" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "council_approved"
    assert Document.objects.count() == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_officer_cannot_slip_a_decision_in_through_an_approver_step(draft, users, client_for):
    draft = _to_committee(draft, users)
    response = client_for("officer").post(f"/agreements/{draft.pk}/transition/", {
        "to": "council_approved", "date": TODAY.isoformat(), "reference": "M 1", "version": draft.version,
        "document": pdf()})
    assert response.status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.state == "in_committee" and Document.objects.count() == 0


def test_the_permitting_authority_reads_the_documents_of_what_was_sent_to_it(decision, users, client_for):
    ministry = client_for("authority")
    assert ministry.get(f"/agreements/documents/{decision.pk}/").status_code == 404  # not asked yet
    draft = decision.agreement
    for actor, to, extra in (("officer", "in_committee", {}),
                             ("approver", "council_approved", {"reference": "M 1", "final_on": TODAY}),
                             ("officer", "permission_requested", {})):
        transitions.transition(Agreement.objects.get(pk=draft.pk), actor=users[actor], to=to, on=TODAY, **extra)
    assert ministry.get(f"/agreements/documents/{decision.pk}/").status_code == 200
    assert _body(ministry.get(f"/agreements/documents/{decision.pk}/download/")) == PDF
    # its queue links the council decision to the document page
    page = ministry.get(f"/agreements/permission-requests/{draft.pk}/").content.decode()
    assert f'href="/agreements/documents/{decision.pk}/"' in page
