"""The map page's table rows (analytics/_map_rows.html): the cells, every value escaped."""

from django.template.loader import render_to_string


def test_cells_and_escaping():
    evil = '<img src=x onerror="alert(1)">'
    row = {"url": "/agreements/3/", "partner": evil, "country_label": "Netherlands",
           "instrument_label": "Twinning", "state_as_of": "terminated", "state_label": "Terminated",
           "signed_on": "2005-07-04", "health_url": "/analytics/agreements/3/health/"}
    html = render_to_string("analytics/_map_rows.html", {"rows": [row], "health_label": "Health score"})
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<td>Netherlands</td>" in html
    assert '<td data-state="terminated">Terminated</td><td>2005-07-04</td>' in html
    assert '<a href="/analytics/agreements/3/health/">Health score</a>' in html
    assert 'colspan="6"' in render_to_string("analytics/_map_rows.html", {"rows": []})
