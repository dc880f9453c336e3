"""The identity-correction journey in a real browser, in Turkish: an officer proposes from the
local government's page, national oversight accepts in the stewards' queue."""

from __future__ import annotations

import os

import pytest

from citydiplomacy.governments.models import IdentityCorrection, LocalGovernment
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_proposes_and_oversight_accepts(users, page, screenshot_dir):
    partner = LocalGovernment.objects.create(name="Abovyan", country_code="TR", kind="municipality")
    sign_in(page, page.base_url, "ibb-officer")
    page.goto(f"{page.base_url}/local-governments/{partner.pk}/")
    page.get_by_role("button", name="Kimliği için düzeltme öner").click()
    page.select_option("select[name=country_code]", "AM")
    page.fill("textarea[name=reason]", "GeoNames 616629: Abovyan Ermenistan'da")
    page.get_by_role("button", name="Öner", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("open-corrections").is_visible()
    assert IdentityCorrection.objects.get().proposed == {"country_code": "AM"}

    page.context.clear_cookies()
    sign_in(page, page.base_url, "oversight")
    page.goto(f"{page.base_url}/local-governments/corrections/")
    queue = page.get_by_test_id("corrections-to-decide")
    assert "Abovyan" in queue.inner_text() and "Ermenistan (AM)" in queue.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "identity-corrections-queue.png"),
                    full_page=True)
    queue.get_by_role("button", name="Kabul et").click()
    page.wait_for_load_state()
    assert "Düzeltme kabul edildi" in page.content()
    partner.refresh_from_db()
    assert partner.country_code == "AM"
