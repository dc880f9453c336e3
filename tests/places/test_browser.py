"""Real browser: an officer resolves an ambiguous name by choosing a candidate."""

import csv

import pytest

from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import services
from citydiplomacy.places.models import ReviewChoice
from citydiplomacy.places.review_results import refresh_review_candidates

pytestmark = pytest.mark.browser


def test_officer_resolves_ambiguous_name_on_review_screen(page, login, users, gazetteer, tmp_path,
                                                          screenshot_dir):
    path = tmp_path / "pairs.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["city1", "country1", "city2", "country2"],
                                  ["Albany", "United States", "Rotterdam", "Netherlands"]])
    services.import_pairs(path)
    ghost = LocalGovernment.objects.get(is_unresolved=True, raw_name="Albany")
    refresh_review_candidates.call()  # what the worker runs after an import

    login("ibb-officer")
    page.goto(f"{page.base_url}/places/review/")
    page.click(f"a[href='/places/review/{ghost.pk}/']")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=candidate]")
    assert rows.count() >= 2
    page.screenshot(path=f"{screenshot_dir}/places-review.png", full_page=True)
    # the gazetteer search answers through the API
    page.fill("#place-search", "Albany")
    page.wait_for_selector("[data-testid=search-results] li")
    page.locator("[data-testid=candidate][data-ref='5106834'] button[type=submit]").click()
    page.wait_for_load_state()
    assert f"/local-governments/{ghost.pk}/" in page.url
    ghost.refresh_from_db()
    assert ghost.geonameid == 5106834 and not ghost.is_unresolved
    assert ReviewChoice.objects.get().chosen_by.username == "ibb-officer"


def test_review_map_draws_countries_without_errors(page, login, users, gazetteer):
    ghost = LocalGovernment.objects.create(name="Albany", kind="other", is_unresolved=True,
                                           raw_name="Albany", raw_country="United States")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login("ibb-viewer")
    page.goto(f"{page.base_url}/places/review/{ghost.pk}/")
    page.wait_for_selector("svg.candidate-map g.countries path")
    assert page.locator("[data-testid=candidate] button").count() == 0  # viewers only read
    assert not errors, errors
