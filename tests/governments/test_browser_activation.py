"""Browser, in Turkish: national oversight finds Kadıköy in the registry, activates it with its
first administrator and passes on the one-time link; the new administrator chooses a password
with it and signs in to their own organisation. An İBB officer is offered no such page."""

from __future__ import annotations

import pytest

from citydiplomacy.governments.models import LocalGovernment
from tests.agreements.test_browser_lifecycle import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Kadıköy-iskele-2026"


def test_oversight_activates_kadikoy_and_its_admin_signs_in(browser, live_server, users, screenshot_dir):
    LocalGovernment.objects.create(name="Kadıköy Belediyesi", official_name="Kadıköy Belediyesi (İstanbul)",
                                   kind="district_municipality", country_code="TR", official_code="TR-34-D1421",
                                   region_code="TR-34")
    oversight = signed_in_page(browser, live_server.url, "oversight")
    oversight.click("text=Yerel yönetimler")
    oversight.click("[data-testid=activate-link]")
    oversight.locator("input[name=q]").fill("Kadıköy")
    oversight.locator("input[name=q]").press("Enter")
    oversight.wait_for_load_state()
    row = oversight.locator("[data-testid=municipalities] tr[data-code='TR-34-D1421']")
    assert "Kadıköy Belediyesi" in row.inner_text()
    row.locator("text=Etkinleştir…").click()
    oversight.wait_for_load_state()
    form = oversight.locator("[data-testid=activation-form]")
    assert form.locator("input[name=code]").input_value() == "TR-34-D1421"
    form.locator("input[name=username]").fill("kadikoy-admin")
    form.locator("button[type=submit]").click()
    oversight.wait_for_load_state()
    done = oversight.locator("[data-testid=activation-done]")
    assert "etkinleştirildi" in done.inner_text()
    link = oversight.locator("[data-testid=set-password-link]").inner_text()
    oversight.locator("input[name=q]").fill("Kadıköy")
    oversight.screenshot(path=f"{screenshot_dir}/municipality-activate-tr.png", full_page=True)

    # a second activation of the same municipality is refused, in Turkish, and changes nothing
    form.locator("input[name=code]").fill("TR-34-D1421")
    form.locator("input[name=username]").fill("kadikoy-admin-2")
    form.locator("button[type=submit]").click()
    oversight.wait_for_load_state()
    assert "zaten etkin" in oversight.locator("[data-testid=activation-form]").inner_text()

    newcomer = browser.new_context(locale="tr-TR").new_page()
    newcomer.goto(link)
    assert "Parolanızı belirleyin" in newcomer.locator("main").inner_text()
    newcomer.locator("input[name=new_password1]").fill(PASSWORD)
    newcomer.locator("input[name=new_password2]").fill(PASSWORD)
    newcomer.locator("[data-testid=set-password] button[type=submit]").click()
    newcomer.wait_for_load_state()
    assert "Parolanız belirlendi" in newcomer.locator("main").inner_text()
    newcomer.locator("input[name=username]").fill("kadikoy-admin")
    newcomer.locator("input[name=password]").fill(PASSWORD)
    newcomer.locator("main button[type=submit]").click()
    newcomer.wait_for_load_state()
    assert "Kadıköy Belediyesi" in newcomer.locator("[data-testid=whoami]").inner_text()

    officer = signed_in_page(browser, live_server.url, "ibb-officer")
    officer.click("text=Yerel yönetimler")
    assert officer.locator("[data-testid=activate-link]").count() == 0
    assert officer.goto(f"{live_server.url}/local-governments/municipalities/activate/").status == 403
    for page in (oversight, newcomer, officer):
        page.context.close()
