"""In a real browser, in Turkish: an officer uploads the sample Wikidata Query Service export of
İBB's partners on the reconciliation page, confirms an uncertain match, and finds the id in the
QuickStatements export. The screenshot illustrates docs/JOURNEYS.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.analytics.test_wikidata_import import WITH_GEONAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "journeys"
SAMPLE = settings.DATA_DIR / "istanbul" / "sample_wdqs_partners.csv"


def test_officer_uploads_a_wdqs_export_confirms_a_match_and_sees_it_in_quickstatements(page, login, ibb_relations):
    import csv

    from citydiplomacy.governments.models import LocalGovernment, WikidataMatch

    rows = {r["itemLabel"]: r for r in csv.DictReader(SAMPLE.read_text(encoding="utf-8").splitlines())}
    for name in WITH_GEONAMES:
        LocalGovernment.objects.filter(name=name).update(geonameid=int(rows[name]["geonames"]))
    login("ibb-officer")
    page.goto(f"{page.base_url}/analytics/reconcile/")
    assert page.locator("html").get_attribute("lang") == "tr"
    page.set_input_files("input[name=wdqs]", str(SAMPLE))
    page.click("button:has-text('Wikidata kimliklerini ekle')")
    page.wait_for_selector("[data-testid=wdqs-result]")
    assert "onayınızı bekleyen: 2" in page.content()
    row = page.locator("[data-testid=wdqs-pending] tr[data-qid=Q3820]")
    assert "Beirut" in row.inner_text() and "dışa aktarım ülke vermiyor" in row.inner_text()
    row.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    assert "Beirut artık Wikidata'da Q3820." in page.content()
    assert page.locator("[data-testid=wdqs-pending] tr[data-qid=Q3820]").count() == 0
    decided = page.locator("[data-testid=wdqs-decided] tr", has_text="Q3820").inner_text()
    assert "Onaylandı" in decided and "ibb-officer" in decided
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / "wikidata-reconcile-tr.png"), full_page=True)
    match = WikidataMatch.objects.get(wikidata_id="Q3820")
    assert match.state == "confirmed" and match.decided_by.username == "ibb-officer"
    export = page.request.get(f"{page.base_url}/analytics/export/quickstatements.txt")
    assert export.status == 200
    assert "Q406\tP190\tQ3820" in export.text() and "Q3820\tP190\tQ406" in export.text()
