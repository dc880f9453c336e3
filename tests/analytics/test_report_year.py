"""The annual report: a year picker within the valid range (default the current year), the
year's national-policy context, counts that agree with the lists (undated imported ties are not
"new this year"), and health breadth counting the agreement's cooperation areas."""

from __future__ import annotations

import pytest

from citydiplomacy.analytics import monitoring, reports, selectors

pytestmark = pytest.mark.django_db


def test_report_states_the_2017_freeze_with_the_netherlands(client_for, ibb_relations):
    html = client_for("viewer").get("/analytics/report/2017/").content.decode()
    context = html.split('data-testid="policy-context"')[1].split("</ul>")[0]
    assert "Hollanda" in context and "2017-03-11" in context and "2018-07-20" in context
    quiet = client_for("viewer").get("/analytics/report/2015/").content.decode()
    assert "Hollanda" not in quiet.split('data-testid="policy-context"')[1].split("</ul>")[0]


def test_year_outside_the_valid_range_is_a_clear_404(client_for, ibb_relations):
    this_year = selectors.today().year
    for year in (1850, this_year + 4):
        response = client_for("viewer").get(f"/analytics/report/{year}/")
        assert response.status_code == 404
        assert f"{year} yılı için yıllık rapor yok" in response.content.decode()
    assert client_for("viewer").get(f"/analytics/report/{year}.pdf").status_code == 404


def test_year_picker_and_nav_default_to_the_current_year(client_for, ibb_relations):
    client = client_for("viewer")
    this_year = selectors.today().year
    html = client.get("/analytics/map/").content.decode()
    assert f'href="/analytics/report/{this_year}/"' in html
    report = client.get("/analytics/report/2017/").content.decode()
    assert 'name="year"' in report and f'<option value="{this_year}"' in report
    assert '<option value="1850"' not in report
    picked = client.get("/analytics/report/2017/?year=2016")
    assert picked.status_code == 302 and picked["Location"].startswith("/analytics/report/2016/")


def test_undated_imported_ties_are_not_new_this_year(client_for, ibb_relations, istanbul, users):
    undated = [a for a in ibb_relations if a.signed_on is None and a.state == "active"]
    assert undated, "the İBB list has ties with no known start date"
    report = reports.annual_report(users["viewer"], istanbul, selectors.today().year)
    assert not {a.pk for _day, a in report["new"]} & {a.pk for a in undated}
    assert {a.pk for a in report["undated"]} == {a.pk for a in undated}


def test_health_breadth_counts_the_agreements_cooperation_areas(ibb_relations):
    tie = ibb_relations.filter(state="active").first()
    tie.areas = ["culture_arts", "disaster_management"]
    tie.save()
    health = monitoring.health_of(tie, activities=[])
    breadth = health.parts[list(monitoring.WEIGHTS).index("breadth")]
    assert breadth[1] == round(2 / 3, 2) and breadth[2].startswith("2 ")
