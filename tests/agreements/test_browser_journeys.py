"""Browser journeys of an international-relations office (issue 13, items 1-3), in Turkish with
Debian chromium: the officer finds Saraybosna and Kahire by their Turkish names and creates
drafts with the right partner; a cooperation protocol walks through council, permission and
signing while the approver works from a queue and attaches the council decision at the step
recorded; the decision is opened and downloaded; the Ankara officer gets 404 for it.

The screenshots go to docs/journeys/ (shown in docs/JOURNEYS.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from citydiplomacy.agreements import services
from citydiplomacy.agreements.models import Agreement, Document
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.conftest import sign_in

pytestmark = pytest.mark.browser

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "journeys"


def shot(page, name: str) -> None:
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / name), full_page=True)


def signed_in_page(browser, base_url, username):
    context = browser.new_context(locale="tr-TR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    return sign_in(context.new_page(), base_url, username)


def search_partner(page, text: str):
    page.fill("input[name=partner_query]", text)
    hits = page.locator("[data-testid=partner-hits] li")
    hits.first.wait_for()
    return hits


def fire(page, target, files=None, screenshot=None, **fields):
    action = page.locator(f"details[data-action={target}]")
    action.locator("summary").click()
    for name, value in fields.items():
        action.locator(f"[name={name}]").fill(value)
    if files:
        action.locator("input[name=document]").set_input_files(files)
    if screenshot:
        shot(page, screenshot)
    action.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").get_attribute("data-state") == target, \
        page.locator("main").inner_text()[:800]


def test_officer_finds_saraybosna_and_kahire_by_turkish_name(browser, live_server, users, world_gazetteer):
    load_policy_tables()
    officer = signed_in_page(browser, live_server.url, "ibb-officer")

    def new_draft(instrument, title, query, expected_name, screenshot):
        officer.goto(f"{live_server.url}/agreements/new/")
        officer.select_option("select[name=instrument]", instrument)
        officer.fill("input[name=title]", title)
        hits = search_partner(officer, query)
        best = hits.first.inner_text()
        assert expected_name in best and query in best, best  # "Sarajevo (Saraybosna) · Bosna-Hersek, …"
        assert officer.locator("input[name=partner]:checked").count() == 0  # nothing pre-selected
        shot(officer, screenshot)
        hits.first.locator("input[name=partner]").check()
        officer.click("#agreement-form button[type=submit]")
        officer.wait_for_load_state()
        assert officer.locator("[data-testid=state]").get_attribute("data-state") == "draft"
        return Agreement.objects.get(title=title)

    sarajevo = new_draft("cooperation_protocol", "Saraybosna ile afet yönetimi işbirliği protokolü",
                         "Saraybosna", "Sarajevo", "partner-search-saraybosna.png")
    assert "Bosna-Hersek" in officer.locator("main").inner_text() or sarajevo.partner.country_code == "BA"
    assert (sarajevo.partner.name, sarajevo.partner.country_code, sarajevo.partner.geonameid) == \
        ("Sarajevo", "BA", 3191281)
    assert sarajevo.partner.latitude and sarajevo.partner.longitude  # from the gazetteer, not typed

    cairo = new_draft("twinning", "Kahire ile kardeş şehir", "Kahire", "Cairo", "partner-search-kahire.png")
    assert (cairo.partner.name, cairo.partner.country_code) == ("Cairo", "EG")
    shot(officer, "partner-draft-kahire.png")

    # a second agreement with Sarajevo: warned before saving, saved only when confirmed
    officer.goto(f"{live_server.url}/agreements/new/")
    officer.fill("input[name=title]", "Saraybosna ile ikinci protokol")
    hits = search_partner(officer, "Saraybosna")
    hits.first.locator("input[name=partner]").check()
    warning = officer.locator("[data-testid=existing-ties]")
    warning.wait_for()
    assert "Saraybosna ile afet yönetimi işbirliği protokolü" in warning.inner_text()
    shot(officer, "partner-existing-tie-warning.png")
    officer.click("#agreement-form button[type=submit]")
    officer.wait_for_load_state()
    assert officer.locator("[data-testid=form-errors]").is_visible()
    assert not Agreement.objects.filter(title="Saraybosna ile ikinci protokol").exists()
    officer.check("[data-testid=confirm-existing-tie]")
    officer.click("#agreement-form button[type=submit]")
    officer.wait_for_load_state()
    assert Agreement.objects.get(title="Saraybosna ile ikinci protokol").partner_id == sarajevo.partner_id
    assert LocalGovernment.objects.filter(geonameid=3191281).count() == 1

    # Erivan: the national policy is said before anything is saved
    officer.goto(f"{live_server.url}/agreements/new/")
    hits = search_partner(officer, "Erivan")
    assert "Yerevan" in hits.first.inner_text()
    hits.first.locator("input[name=partner]").check()
    notes = officer.locator("[data-testid=policy-notes]")
    notes.wait_for()
    assert "diplomatik ilişkisi" in notes.inner_text()
    shot(officer, "partner-policy-warning-erivan.png")

    # the same search in English: the Turkish name still finds the city, the labels are English
    officer.click("button[name=language][value=en]")
    officer.wait_for_load_state()
    officer.goto(f"{live_server.url}/agreements/new/")
    best = search_partner(officer, "Kahire").first.inner_text()
    assert "Cairo" in best and "Egypt" in best, best
    shot(officer, "partner-search-kahire-en.png")
    officer.click("button[name=language][value=tr]")


def _decision_pdf(tmp_path) -> Path:
    from weasyprint import HTML

    path = tmp_path / "meclis-karari-2026-145.pdf"
    path.write_bytes(HTML(string="<h1>İBB Meclisi</h1><p>Karar no. 2026/145: Köln ile işbirliği "
                                 "protokolü kabul edilmiştir.</p>").write_pdf())
    return path


def test_protocol_through_council_permission_and_signing_with_queue_and_document(
        browser, live_server, users, tmp_path):
    load_policy_tables()
    today = timezone.localdate().isoformat()
    koln = LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242,
                                          latitude=50.93333, longitude=6.95)
    agreement = services.create_agreement(actor=users["officer"], instrument="cooperation_protocol",
                                          title="Köln ile işbirliği protokolü", partner=koln)
    url = f"{live_server.url}/agreements/{agreement.pk}/"
    officer = signed_in_page(browser, live_server.url, "ibb-officer")
    approver = signed_in_page(browser, live_server.url, "ibb-approver")

    # the officer sees what can succeed now, and why signing cannot
    officer.goto(url)
    signed = officer.locator("[data-disabled-action=signed]")
    assert signed.locator("button").is_disabled()
    assert "meclis kararı" in signed.inner_text().lower()
    shot(officer, "workflow-draft-steps.png")
    fire(officer, "in_committee")
    note = officer.locator("[data-testid=waiting-note]").inner_text()
    assert "belediye meclisi" in note and "onaylayıcı" in note
    assert officer.locator("details[data-action=council_approved]").count() == 0
    shot(officer, "workflow-waiting-for-council.png")
    officer.click("button[name=language][value=en]")  # the same page in English
    officer.wait_for_load_state()
    assert "municipal council" in officer.locator("[data-testid=waiting-note]").inner_text()
    assert "approver" in officer.locator("[data-disabled-action=council_approved]").inner_text()
    shot(officer, "workflow-waiting-for-council-en.png")
    officer.click("button[name=language][value=tr]")
    officer.wait_for_load_state()

    # the approver works from the queue: dashboard card → queue → agreement
    approver.goto(f"{live_server.url}/")
    approver.click("a[href='/agreements/queue/']")
    approver.wait_for_load_state()
    row = approver.locator("[data-testid=queue-row]", has_text="Köln ile işbirliği protokolü")
    assert "belediye meclisi" in row.inner_text()
    shot(approver, "workflow-approver-queue.png")
    row.locator("a").click()
    approver.wait_for_load_state()
    help_text = approver.locator("details[data-action=council_approved] [data-testid=step-help]")
    assert "kesinleştiği tarih" in help_text.text_content()  # said at council approval already
    fire(approver, "council_approved", files=str(_decision_pdf(tmp_path)),
         screenshot="workflow-council-step-with-document.png",
         reference="İBB Meclisi 2026/145", final_on=today)
    document = Document.objects.get(agreement=agreement)
    assert document.kind == "council_decision"
    assert agreement.events.get(to_state="council_approved").document_id == document.pk

    officer.goto(url)
    fire(officer, "permission_requested")
    assert "bakanlığın kararı bekleniyor" in officer.locator("[data-testid=waiting-note]").inner_text().lower()
    approver.goto(f"{live_server.url}/")
    card = approver.locator("a[href='/agreements/?status=permission_requested']")
    assert re.search(r"\b1\b", card.inner_text()), card.inner_text()  # counted at once, with its age
    shot(approver, "workflow-dashboard-permission-open.png")
    approver.goto(f"{live_server.url}/agreements/queue/")
    approver.locator("[data-testid=queue-row]", has_text="Köln").locator("a").click()
    approver.wait_for_load_state()
    fire(approver, "permission_granted", reference="E-12345678-2026/77")
    officer.goto(url)
    fire(officer, "signed", place="Köln")
    fire(officer, "active")
    assert "Yürürlükte" in officer.locator("[data-testid=state]").inner_text()
    shot(officer, "workflow-active.png")
    approver.goto(f"{live_server.url}/agreements/queue/")
    assert "Köln" not in approver.locator("[data-testid=queue]").inner_text()

    # the council decision is opened in the page and downloaded by the officer
    officer.locator("[data-testid=document-link]").first.click()
    officer.wait_for_load_state()
    assert officer.locator("[data-testid=document-preview]").count() == 1
    inline = officer.context.request.get(f"{live_server.url}/agreements/documents/{document.pk}/view/")
    assert inline.status == 200 and inline.headers["content-type"] == "application/pdf"
    assert "sandbox" in inline.headers["content-security-policy"]
    shot(officer, "document-preview.png")
    with officer.expect_download() as download_info:
        officer.click("[data-testid=document-download]")
    download = download_info.value
    assert download.suggested_filename == "meclis-karari-2026-145.pdf"
    with document.file.open("rb") as stored:
        assert Path(download.path()).read_bytes() == stored.read()
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # the Ankara officer gets 404 for the document's every URL
    ankara = signed_in_page(browser, live_server.url, "ankara-officer")
    for suffix in ("", "view/", "download/"):
        response = ankara.goto(f"{live_server.url}/agreements/documents/{document.pk}/{suffix}")
        assert response.status == 404, suffix
    assert "meclis" not in ankara.locator("body").inner_text().lower()
    shot(ankara, "document-404-ankara.png")


def test_dormant_ties_are_decided_from_their_list_and_activities_edited_and_cancelled(
        browser, live_server, users):
    import datetime as dt

    load_policy_tables()
    organisation = users["officer"].organisation
    old = [Agreement.objects.create(
        organisation=organisation, partner=LocalGovernment.objects.create(name=name, country_code=code),
        instrument="twinning", title=f"{name} ile kardeş şehir", state="active",
        signed_on=dt.date(1998, 5, 1), effective_on=dt.date(1998, 5, 1))
        for name, code in (("Köln", "DE"), ("Rabat", "MA"))]
    approver = signed_in_page(browser, live_server.url, "ibb-approver")
    approver.goto(f"{live_server.url}/")
    approver.click("a[href='/agreements/dormant/']")  # the dashboard card opens the list it counts
    approver.wait_for_load_state()
    rows = approver.locator("[data-testid=dormant-row]")
    assert rows.count() == 2
    row = rows.filter(has_text="Köln")
    assert row.locator("details[data-action=suspended]").count() == 1
    assert row.locator("details[data-action=terminated]").count() == 1
    row.locator("details[data-action=suspended] summary").click()
    row.locator("details[data-action=suspended] [name=reference]").fill("İBB Meclisi 2026/200")
    row.locator("details[data-action=suspended] [name=reason]").fill("Yıllardır ortak etkinlik yok")
    shot(approver, "dormant-decisions.png")
    row.locator("details[data-action=suspended] button[type=submit]").click()
    approver.wait_for_load_state()
    assert approver.url.endswith("/agreements/dormant/")  # back to the list, one row fewer
    assert approver.locator("[data-testid=dormant-row]").count() == 1
    assert Agreement.objects.get(pk=old[0].pk).state == "suspended"

    # the officer revives the other tie with an activity, then moves and cancels it
    officer = signed_in_page(browser, live_server.url, "ibb-officer")
    officer.goto(f"{live_server.url}/agreements/dormant/")
    officer.locator("[data-testid=dormant-row]", has_text="Rabat").locator("[data-testid=revive]").click()
    officer.wait_for_load_state()
    officer.locator("#activities details summary").click()
    form = officer.locator("#activities form").last
    form.locator("[name=title]").fill("Rabat heyeti ziyareti")
    form.locator("[name=starts_on]").fill((timezone.localdate() + dt.timedelta(days=60)).isoformat())
    form.locator("[name=status]").select_option("planned")
    form.locator("button[type=submit]").click()
    officer.wait_for_load_state()
    officer.locator("[data-testid=activity-edit]").first.click()
    officer.wait_for_load_state()
    officer.fill("#activity-form [name=title]", "Rabat heyeti ziyareti (ertelendi)")
    shot(officer, "activity-edit.png")
    officer.click("#activity-form button[type=submit]")
    officer.wait_for_load_state()
    row = officer.locator("[data-testid=activity-row]", has_text="ertelendi")
    assert "Planlandı" in row.inner_text()
    row.locator("[data-testid=activity-cancel]").click()
    officer.wait_for_load_state()
    assert "İptal edildi" in officer.locator("[data-testid=activity-row]").first.inner_text()
    shot(officer, "activity-cancelled.png")
