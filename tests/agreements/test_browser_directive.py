"""Browser: the ministry issues a directive on a country; two municipalities each see their
task; one answers with a council decision; the compliance view shows one done, one open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables
from tests.agreements.test_browser_lifecycle import fire, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directive_reaches_two_municipalities_and_compliance_follows(
        browser, live_server, users, istanbul, ankara, screenshot_dir):
    load_policy_tables()
    rotterdam = LocalGovernment.objects.create(name="Rotterdam", country_code="NL", kind="municipality")
    utrecht = LocalGovernment.objects.create(name="Utrecht", country_code="NL", kind="municipality")
    ibb_tie = Agreement.objects.create(organisation=istanbul, partner=rotterdam, instrument="twinning",
                                       title="İstanbul–Rotterdam kardeş şehir", state="active",
                                       signed_on=dt.date(2005, 6, 24))
    Agreement.objects.create(organisation=ankara, partner=utrecht, instrument="twinning",
                             title="Ankara–Utrecht kardeş şehir", state="active", signed_on=dt.date(2010, 5, 1))

    ministry = signed_in_page(browser, live_server.url, "ministry")
    ministry.click("text=Talimatlar")
    form = ministry.locator("[data-testid=directive-form]")
    form.locator("input[name=country]").fill("Hollanda")
    form.locator("select[name=action]").select_option("end")
    form.locator("input[name=issued_on]").fill("2017-03-15")
    form.locator("input[name=deadline]").fill("2017-04-15")
    form.locator("textarea[name=reason]").fill("Hollanda ile diplomatik kriz: kardeş şehir ilişkilerini sona erdirme çağrısı.")
    form.locator("input[name=source]").fill("https://www.hurriyetdailynews.com/istanbul-terminates-sister-city-protocol-with-rotterdam-after-erdogans-call-110846")
    form.locator("button[type=submit]").click()
    ministry.wait_for_load_state()
    # the page answers at once; the tasks are created by the background worker, its progress shown
    assert "arka planda oluşturuluyor" in ministry.locator("main").inner_text()
    assert ministry.locator("[data-testid=directive-progress]").get_attribute("data-state") == "queued"
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    ministry.reload()  # the page also refreshes itself while the tasks are being created
    progress = ministry.locator("[data-testid=directive-progress]")
    assert progress.get_attribute("data-state") == "done"
    assert "2 belediyenin 2 anlaşması etkileniyor" in progress.inner_text()
    ministry.screenshot(path=f"{screenshot_dir}/directive-progress-tr.png", full_page=True)

    ankara_officer = signed_in_page(browser, live_server.url, "ankara-officer")
    ankara_officer.click("[data-testid=directive-tasks-link]")
    assert "Ankara–Utrecht" in ankara_officer.locator("[data-testid=my-directive-tasks]").inner_text()
    assert "Rotterdam" not in ankara_officer.locator("main").inner_text()

    approver = signed_in_page(browser, live_server.url, "ibb-approver")
    approver.click("[data-testid=directive-tasks-link]")
    task = approver.locator(f"[data-testid=my-directive-tasks] li[data-agreement='{ibb_tie.pk}']")
    assert "İlişkileri sona erdirin" in task.inner_text()
    approver.screenshot(path=f"{screenshot_dir}/directive-task-istanbul.png", full_page=True)
    task.locator("a").click()
    fire(approver, "terminated", date="2017-03-15", reference="Meclis 2017/412",
         reason="Hükümetin 15.03.2017 tarihli çağrısı üzerine")

    ministry.reload()  # the directive's page, where the issuing form led
    assert "Etkilenen 2 anlaşmadan 1 tanesi yanıtlandı." in ministry.locator("[data-testid=compliance]").inner_text()
    rows = ministry.locator("[data-testid=directive-tasks] tbody tr")
    assert rows.count() == 2
    assert ministry.locator("[data-testid=directive-tasks] tr[data-state=done]").count() == 1
    assert ministry.locator("[data-testid=directive-tasks] tr[data-state=open]").count() == 1
    ministry.screenshot(path=f"{screenshot_dir}/directive-compliance.png", full_page=True)
    for page in (ministry, ankara_officer, approver):
        page.context.close()
