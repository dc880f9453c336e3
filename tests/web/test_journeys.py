"""Browser journeys of issue 13 (Playwright + Debian chromium), in Turkish: an anonymous visitor
finds the public record from / and reads Rotterdam's history; oversight filters the registry by
organisation; the layout at 390 px. The screenshots illustrate docs/JOURNEYS.md
(docs/journeys/*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics.conftest import ibb_relations  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "journeys"


def shot(page, name: str, *, full_page: bool = True):
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / name), full_page=full_page)


def _show_date(page, day: str):
    page.fill("#as-of", day)
    page.click("#as-of-form button[type=submit]")
    page.wait_for_load_state()


def test_anonymous_visitor_finds_the_public_record_and_rotterdams_history(page, ibb_relations, istanbul):  # noqa: F811
    page.goto(f"{page.base_url}/")
    assert "/login/" not in page.url
    shot(page, "public-start.png")
    page.click("[data-testid=public-link]")
    page.click(f"a[href='/public/{istanbul.pk}/']")
    _show_date(page, "2017-03-14")
    in_force = page.locator("[data-testid=public-ties] tbody tr", has_text="Rotterdam")
    assert in_force.count() == 1
    assert page.locator("[data-testid=public-ended] tbody tr", has_text="Rotterdam").count() == 0
    page.wait_for_selector("#partner-map[data-ready='1']", state="attached")
    assert page.locator("#partner-map circle[data-partner='Rotterdam'][data-state='active']").count() == 1
    shot(page, "public-rotterdam-2017-03-14.png")
    _show_date(page, "2017-03-16")
    assert page.locator("[data-testid=public-ties] tbody tr", has_text="Rotterdam").count() == 0
    ended = page.locator("[data-testid=public-ended] tbody tr", has_text="Rotterdam")
    assert ended.count() == 1 and "Feshedildi" in ended.inner_text() and "Hollanda" in ended.inner_text()
    shot(page, "public-rotterdam-2017-03-16.png")


def test_oversight_filters_the_registry_by_organisation(page, login, ibb_relations, istanbul, ankara):  # noqa: F811
    login("oversight")
    page.goto(f"{page.base_url}/agreements/")
    everything = page.locator("[data-testid=agreement-table] tbody tr").count()
    page.select_option("select[name=organisation]", str(ankara.pk))
    page.click("[data-testid=registry-filters] button[type=submit]")
    page.wait_for_load_state()
    assert f"organisation={ankara.pk}" in page.url
    assert page.locator("[data-testid=agreement-table] tbody tr").inner_text().strip() == "Eşleşen anlaşma yok."
    page.select_option("select[name=organisation]", str(istanbul.pk))
    page.fill("input[name=q]", "Hollanda")
    page.click("[data-testid=registry-filters] button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=agreement-table] tbody tr")
    assert 0 < rows.count() < everything and "Rotterdam" in rows.all_inner_texts()[0]
    shot(page, "registry-oversight-organisation-filter.png")


PHONE_PAGES = ["/", "/agreements/", "/agreements/reminders/", "/agreements/dormant/", "/policy/",
               "/local-governments/", "/analytics/map/", "/analytics/report/2017/"]


def test_layout_at_390_px(browser, live_server, ibb_relations):  # noqa: F811
    from tests.conftest import sign_in

    context = browser.new_context(locale="tr-TR", viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "ibb-officer")
        for path in PHONE_PAGES + [f"/agreements/{ibb_relations.get(partner__name='Rotterdam').pk}/"]:
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide at 390 px"
        # the header collapses behind the menu button; opened, the language and logout are reachable
        page.goto(f"{live_server.url}/agreements/")
        logout = page.locator("form[action='/logout/'] button")
        assert not logout.is_visible()
        shot(page, "phone-390-registry.png", full_page=False)
        page.click("[data-testid=menu-toggle]")
        assert logout.is_visible()
        box = logout.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.locator("button[name=language][value=en]").is_visible()
        shot(page, "phone-390-menu-open.png", full_page=False)
    finally:
        context.close()


def test_public_history_in_english(browser, live_server, ibb_relations, istanbul):  # noqa: F811
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.click("[data-testid=public-link]")
        page.click(f"a[href='/public/{istanbul.pk}/']")
        _show_date(page, "2017-03-14")
        assert page.locator("[data-testid=public-ties] tbody tr", has_text="Rotterdam").count() == 1
        _show_date(page, "2017-03-16")
        ended = page.locator("[data-testid=public-ended] tbody tr", has_text="Rotterdam")
        assert "Terminated" in ended.inner_text() and "Netherlands" in ended.inner_text()
        assert "In force on 2017-03-16" in page.inner_text("main")
    finally:
        context.close()
