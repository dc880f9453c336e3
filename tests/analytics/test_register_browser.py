"""Real-browser journey: an anonymous visitor finds the national register from the public
page, searches it, and sees İstanbul–Rotterdam ended on 2017-03-15 with its reason."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_finds_istanbul_rotterdam_ended(page, ibb_relations, screenshot_dir):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{page.base_url}/public/")
    page.click("[data-testid=register-link]")
    page.fill("[data-testid=register-filters] input[name=q]", "Rotterdam")
    page.select_option("[data-testid=register-filters] select[name=status]", "terminated")
    page.click("[data-testid=register-filters] button[type=submit]")
    page.wait_for_selector("[data-testid=register-map][data-ready='1']")
    rows = page.locator("[data-testid=register-table] tbody tr")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "İstanbul" in text and "Rotterdam" in text and "Hollanda" in text
    assert "Feshedildi" in text and "15 Mart 2017" in text
    assert page.locator("#world-status").inner_text() == "Haritada 2 yer arasında 1 ilişki."
    assert "/login/" not in page.url
    page.screenshot(path=f"{screenshot_dir}/public-register-rotterdam.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/public-register-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert not errors, errors
