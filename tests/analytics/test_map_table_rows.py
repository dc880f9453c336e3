"""The map page's table rows, rendered in Python (analytics_tags.map_table_rows): escaped."""

from citydiplomacy.analytics.templatetags.analytics_tags import map_table_rows


def test_cells_and_escaping():
    evil = '<img src=x onerror="alert(1)">'
    row = {"url": "/agreements/3/", "partner": evil, "country": "NL", "instrument_label": "Twinning",
           "state_as_of": "terminated", "state_label": "Terminated", "signed_on": "2005-07-04",
           "health_url": "/analytics/agreements/3/health/"}
    html = map_table_rows([row], "Health score")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert '<td data-state="terminated">Terminated</td><td>2005-07-04</td>' in html
    assert '<a href="/analytics/agreements/3/health/">Health score</a>' in html
    assert map_table_rows([], "x") == ""
