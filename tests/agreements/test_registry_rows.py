"""The registry table's rows, rendered in Python (agreement_tags.registry_rows): every value
escaped, the same cells and rules as the template markup they replaced."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from citydiplomacy.agreements.templatetags.agreement_tags import registry_rows


def _row(**agreement):
    fields = {"pk": 7, "partner_name": "Köln", "partner_id": 1, "partner_organisation_id": None,
              "partner": SimpleNamespace(country_code="DE"),
              "instrument": "sister_city", "signed_on": dt.date(2005, 3, 1), "signed_on_precision": "day",
              "ended_on": None, "organisation": SimpleNamespace(name="İBB")}
    fields.update(agreement)
    return SimpleNamespace(agreement=SimpleNamespace(**fields), state="active", state_label="Active",
                           flags=["dormant"])


def test_cells_links_and_flags():
    with translation.override("tr"):  # the country by its name in the user's language
        html = registry_rows([_row()], {"dormant": "Dormant"})
    assert '<tr data-state="active">' in html
    assert '<td><a href="/agreements/7/">Köln</a></td>' in html
    assert "<td>Almanya</td>" in html and "<td>2005-03-01</td>" in html and "<td>—</td>" in html
    assert '<span class="badge warn" data-flag="dormant">Dormant</span>' in html
    assert "İBB" not in html  # the organisation column is for oversight users only
    assert "<td>İBB</td>" in registry_rows([_row()], {}, None, True)


def test_every_value_is_escaped():
    evil = '<script>alert("x")</script>'
    row = _row(partner_name=evil, partner=SimpleNamespace(country_code=evil),
               organisation=SimpleNamespace(name=evil))
    row.state = evil  # an unknown state: escaped, no label
    html = registry_rows([row], {"dormant": evil}, None, True)
    assert "<script>" not in html
    assert html.lower().count("&lt;script&gt;") == 5  # (a country code is shown upper-case)


def test_year_precision_missing_partner_and_end_after_as_of():
    row = _row(signed_on_precision="year", partner_id=None, partner=None,
               ended_on=dt.date(2017, 3, 14))
    html = registry_rows([row], {})
    assert "<td>2005</td>" in html and "<td>2017-03-14</td>" in html
    assert html.count("<td>—</td>") == 1  # no partner government: no country
    before_end = registry_rows([row], {}, dt.date(2017, 3, 12))
    assert "2017-03-14" not in before_end and before_end.count("<td>—</td>") == 2
