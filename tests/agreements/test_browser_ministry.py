"""Browser: the municipality asks for permission, the ministry decides from its queue, and the
municipality sees the decision and its notification, all in Turkish (issue 17, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from citydiplomacy.agreements.models import Agreement, AgreementEvent
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.agreements.test_browser_lifecycle import fire, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ministry_decides_from_its_queue_and_the_municipality_is_told(
        browser, live_server, users, istanbul, settings, screenshot_dir):
    settings.AUTHORITY_DECIDES_IN_SYSTEM = True
    load_policy_tables()
    partner = LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242)
    agreement = Agreement.objects.create(
        organisation=istanbul, partner=partner, instrument="cooperation_protocol",
        title="Köln ile işbirliği protokolü", state="council_approved",
        council_decision_on=dt.date(2026, 1, 8), council_decision_number="Meclis 2026/12",
        council_decision_final_on=dt.date(2026, 1, 15))
    AgreementEvent.objects.create(agreement=agreement, from_state="in_committee", to_state="council_approved",
                                  occurred_on=dt.date(2026, 1, 8), reference="Meclis 2026/12")
    url = f"{live_server.url}/agreements/{agreement.pk}/"

    officer = signed_in_page(browser, live_server.url, "ibb-officer")
    officer.goto(url)
    fire(officer, "permission_requested")

    approver = signed_in_page(browser, live_server.url, "ibb-approver")
    approver.goto(url)
    assert approver.locator("details[data-action=permission_granted]").count() == 0

    ministry = signed_in_page(browser, live_server.url, "ministry")
    assert ministry.locator("[data-testid=unread-count]").inner_text() == "1"
    ministry.click("text=İzin talepleri")
    row = ministry.locator(f"[data-testid=permission-queue] tr[data-agreement='{agreement.pk}']")
    assert "İstanbul" in row.inner_text() and "Almanya" in row.inner_text() and "Meclis 2026/12" in row.inner_text()
    ministry.screenshot(path=f"{screenshot_dir}/ministry-queue.png", full_page=True)
    row.locator("a").click()
    ministry.check("input[name=decision][value=permission_granted]")
    ministry.fill("input[name=reference]", "ÇŞİDB 2026/77")
    ministry.screenshot(path=f"{screenshot_dir}/ministry-decision.png", full_page=True)
    ministry.click("[data-testid=decision-form] button[type=submit]")
    ministry.wait_for_load_state()
    assert "belediyeye bildirildi" in ministry.locator("main").inner_text()

    officer.goto(url)
    assert officer.locator("[data-testid=state]").get_attribute("data-state") == "permission_granted"
    assert officer.locator("[data-testid=unread-count]").inner_text() == "1"
    officer.click("[data-testid=notifications-link]")
    notice = officer.locator("[data-testid=notifications] li").first.inner_text()
    assert "İzin verildi" in notice and "ÇŞİDB 2026/77" in notice
    officer.screenshot(path=f"{screenshot_dir}/ministry-decision-notified.png", full_page=True)
    for page in (officer, approver, ministry):
        page.context.close()
