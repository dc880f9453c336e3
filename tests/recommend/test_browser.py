"""Real browser: open the suggestions, switch the emphasis, turn one into a draft agreement."""

from __future__ import annotations

import pytest

from citydiplomacy.recommend import services

from .fixtures import build_registry_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trained_live(istanbul, users, settings, tmp_path):
    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "models"
    services.set_recommender(None)
    lgs = build_registry_network(istanbul)
    services.train_recommender(source="db")
    yield lgs
    services.set_recommender(None)


def test_officer_switches_emphasis_and_drafts_a_suggestion(page, login, trained_live, screenshot_dir):
    from citydiplomacy.agreements.models import Agreement

    login("ibb-officer")
    page.goto(f"{page.base_url}/recommendations/")
    rows = page.locator("[data-testid=suggestion]")
    assert rows.count() == 20
    assert page.locator("[data-testid=recommend-map] circle").count() >= 20
    first_balanced = rows.first.locator("td").nth(1).inner_text()
    page.select_option("#emphasis", "neighbourhood")
    page.wait_for_url("**emphasis=neighbourhood**")
    page.wait_for_load_state()
    assert page.locator("#emphasis").input_value() == "neighbourhood"
    rows = page.locator("[data-testid=suggestion]")
    assert rows.count() == 20
    page.screenshot(path=f"{screenshot_dir}/recommendations.png", full_page=True)
    chosen = rows.first.locator("td").nth(1).inner_text().split("\n")[0].strip()
    rows.first.locator("[data-testid=add-draft]").click()
    page.wait_for_load_state()
    draft = Agreement.objects.get(partner__name=chosen)
    assert draft.state == "draft"
    assert f"/agreements/{draft.pk}/" in page.url
    assert first_balanced  # the balanced list rendered before switching
