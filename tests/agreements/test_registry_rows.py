"""The registry table's rows (agreements/_registry_rows.html): the cells and rules of the list,
every value escaped by the template engine."""

import datetime as dt
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from citydiplomacy.agreements.models import Agreement, InternationalOrganisation
from citydiplomacy.agreements.registry_rows import AgreementRow
from citydiplomacy.governments.models import LocalGovernment


def _row(partner=None, organisation="İBB", state="active", **fields):
    fields = {"signed_on_precision": "day", **fields}
    agreement = Agreement(pk=7, instrument="sister_city", signed_on=dt.date(2005, 3, 1),
                          organisation=LocalGovernment(pk=2, name=organisation), **fields)
    if partner is not False:
        agreement.partner = partner or LocalGovernment(pk=1, name="Köln", country_code="DE")
    return AgreementRow(agreement, state, ["dormant"])


def _render(rows, flag_labels, as_of=None, oversight=False):
    return render_to_string("agreements/_registry_rows.html", {
        "rows": rows, "flag_labels": flag_labels, "as_of": as_of,
        "membership": SimpleNamespace(is_oversight=oversight)})


def test_cells_links_and_flags():
    with translation.override("tr"):  # the country by its name in the user's language
        html = _render([_row()], {"dormant": "Dormant"})
    assert '<tr data-state="active">' in html
    assert '<td><a href="/agreements/7/">Köln</a></td>' in html
    assert "<td>Almanya</td>" in html and "<td>2005-03-01</td>" in html and "<td>—</td>" in html
    assert '<span class="badge warn" data-flag="dormant">Dormant</span>' in html
    assert "İBB" not in html  # the organisation column is for oversight users only
    assert "<td>İBB</td>" in _render([_row()], {}, None, True)


def test_every_value_is_escaped():
    evil = '<script>alert("x")</script>'
    row = _row(partner=LocalGovernment(pk=1, name=evil, country_code=evil), organisation=evil,
               state=evil)  # an unknown state: escaped, no label
    html = _render([row], {"dormant": evil}, None, True)
    assert "<script>" not in html
    assert html.lower().count("&lt;script&gt;") == 5  # (a country code is shown upper-case)


def test_year_precision_missing_partner_and_end_after_as_of():
    network = InternationalOrganisation(pk=3, name="Network", country_code="")  # no seat country
    row = _row(partner=False, partner_organisation=network, signed_on_precision="year",
               ended_on=dt.date(2017, 3, 14))
    html = _render([row], {})
    assert "<td>2005</td>" in html and "<td>2017-03-14</td>" in html
    assert html.count("<td>—</td>") == 1  # a partner without a country
    before_end = _render([row], {}, dt.date(2017, 3, 12))
    assert "2017-03-14" not in before_end and before_end.count("<td>—</td>") == 2


def test_no_rows():
    assert "<td colspan=\"8\">" in _render([], {})
