"""Browser: a new cooperation protocol walks from draft to active, officer and approver
taking turns, with the interface in Turkish (issue 4, acceptance 4)."""

import pytest
from django.utils import timezone

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.conftest import sign_in

pytestmark = pytest.mark.browser


def signed_in_page(browser, base_url, username):
    context = browser.new_context(locale="tr-TR")
    context.set_default_timeout(15_000)
    return sign_in(context.new_page(), base_url, username)


def fire(page, target, **fields):
    action = page.locator(f"details[data-action={target}]")
    action.locator("summary").click()
    for name, value in fields.items():
        action.locator(f"[name={name}]").fill(value)
    action.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").get_attribute("data-state") == target, \
        page.locator("main").inner_text()[:800]


def test_cooperation_protocol_from_draft_to_active_in_turkish(browser, live_server, users, screenshot_dir):
    load_policy_tables()
    LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242)
    officer = signed_in_page(browser, live_server.url, "ibb-officer")
    approver = signed_in_page(browser, live_server.url, "ibb-approver")

    officer.goto(f"{live_server.url}/agreements/new/")
    assert officer.locator("html").get_attribute("lang") == "tr"
    officer.select_option("select[name=instrument]", "cooperation_protocol")
    officer.fill("input[name=title]", "Köln ile işbirliği protokolü")
    officer.fill("input[name=partner_query]", "Köln")
    officer.locator("#partner-options input[name=partner]").first.wait_for()
    officer.locator("#partner-options input[name=partner]").first.check()  # nothing is pre-selected
    officer.check("input[name=areas][value=disaster_management]")
    officer.click("#agreement-form button[type=submit]")
    officer.wait_for_load_state()
    assert officer.locator("[data-testid=state]").get_attribute("data-state") == "draft"
    assert "Taslak" in officer.locator("[data-testid=state]").inner_text()
    agreement_url = officer.url

    fire(officer, "in_committee")
    approver.goto(agreement_url)
    fire(approver, "council_approved", reference="Meclis 2026/145",
         final_on=timezone.localdate().isoformat())
    officer.goto(agreement_url)
    fire(officer, "permission_requested")
    approver.goto(agreement_url)
    fire(approver, "permission_granted", reference="ÇŞİDB 2026/77")
    officer.goto(agreement_url)
    fire(officer, "signed", place="İstanbul")
    fire(officer, "active")
    assert "Yürürlükte" in officer.locator("[data-testid=state]").inner_text()
    officer.screenshot(path=f"{screenshot_dir}/agreement-active-tr.png", full_page=True)

    agreement = Agreement.objects.get(title="Köln ile işbirliği protokolü")
    assert agreement.state == "active"
    assert agreement.permitting_authority is not None
    steps = list(agreement.events.order_by("recorded_at", "pk").values_list("to_state", "actor__username"))
    assert steps[-6:] == [("in_committee", "ibb-officer"), ("council_approved", "ibb-approver"),
                          ("permission_requested", "ibb-officer"), ("permission_granted", "ibb-approver"),
                          ("signed", "ibb-officer"), ("active", "ibb-officer")]
