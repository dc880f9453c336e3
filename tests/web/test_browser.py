"""Real-browser tests of the web shell (Debian chromium driven by playwright)."""

import pytest

pytestmark = pytest.mark.browser


def test_officer_logs_in_and_sees_dashboard_in_turkish_and_english(page, login, users, screenshot_dir):
    login("ibb-officer")
    assert page.locator("h1").inner_text() == "Gösterge paneli"
    assert "İstanbul Büyükşehir Belediyesi" in page.locator("[data-testid=whoami]").inner_text()
    assert "Uzman" in page.locator("[data-testid=whoami]").inner_text()
    page.screenshot(path=f"{screenshot_dir}/dashboard-tr.png", full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    assert "Officer" in page.locator("[data-testid=whoami]").inner_text()
    page.screenshot(path=f"{screenshot_dir}/dashboard-en.png", full_page=True)

    page.click("button[name=language][value=tr]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gösterge paneli"


def test_wrong_password_shows_error_in_browser(page, login, users):
    login("ibb-officer", "not-the-password")
    assert page.locator("[role=alert]").is_visible()
    assert "/login/" in page.url


def test_no_console_errors_and_no_external_requests(page, login, users):
    errors, external = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(page.base_url) and not req.url.startswith("data:") else None)
    login("ibb-viewer")
    page.goto(f"{page.base_url}/local-governments/")
    assert not errors, errors
    assert not external, external
