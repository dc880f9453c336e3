"""The public national register: every published tie of every organisation, filtered and
exported without login; drafts never shown; bad filters get a clear message."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.analytics.register import province_code, register_map
from citydiplomacy.governments.models import LocalGovernment

URL = "/public/register/"


@pytest.fixture
def ankara_tie(ankara, ibb_relations):
    partner = LocalGovernment.objects.create(name="Kazan", country_code="RU", latitude=55.79, longitude=49.12)
    ankara.official_code = "TR-06"
    ankara.save()
    draft = Agreement.objects.create(organisation=ankara, partner=partner, instrument="twinning",
                                     title="Ankara–Kazan taslak", state="draft")
    active = Agreement.objects.create(organisation=ankara, partner=partner, instrument="cooperation_protocol",
                                      title="Ankara–Kazan", state="active")
    return draft, active


def _rows(response) -> list[str]:
    return [row.agreement.partner_label for row in response.context["rows"]]


def test_anonymous_finds_rotterdam_ended_with_date_and_reason(client, ibb_relations):
    with translation.override("tr"):
        response = client.get(URL, {"q": "Rotterdam"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row.agreement.partner_label == "Rotterdam" and row.is_ended
    assert row.country == "Hollanda"
    html = response.content.decode()
    assert "<strong>Feshedildi</strong>" in html and "15 Mart 2017" in html
    assert "Dutch-Turkish diplomatic row" in html


def test_register_lists_every_organisation_but_never_a_draft(client, ankara_tie, ankara):
    draft, active = ankara_tie
    everything = client.get(URL).context["page"].paginator.count
    assert everything == Agreement.objects.filter(
        state__in=["signed", "active", "suspended", "expired", "terminated"], archived_at__isnull=True).count()
    kazan = client.get(URL, {"q": "Kazan", "organisation": ankara.pk})
    assert [row.agreement.pk for row in kazan.context["rows"]] == [active.pk]
    assert draft.title not in kazan.content.decode()


def test_filters_by_province_country_status_and_instrument(client, ankara_tie, istanbul):
    _draft, active = ankara_tie
    by_province = client.get(URL, {"province": "TR-06"})
    assert [row.agreement.pk for row in by_province.context["rows"]] == [active.pk]
    assert by_province.context["rows"][0].province == "Ankara"
    germany = client.get(URL, {"country": "Almanya"}).context["rows"]
    assert germany and all(row.agreement.partner.country_code == "DE" for row in germany)
    ended = client.get(URL, {"status": "terminated", "organisation": istanbul.pk}).context["rows"]
    assert "Rotterdam" in [row.agreement.partner_label for row in ended]
    assert all(row.is_ended for row in ended)
    protocols = client.get(URL, {"instrument": "cooperation_protocol", "province": "TR-06"}).context["rows"]
    assert [row.agreement.pk for row in protocols] == [active.pk]


def test_bad_filters_get_a_clear_message_and_no_rows(client, ibb_relations):
    with translation.override("tr"):
        response = client.get(URL, {"country": "Atlantis", "signed_from": "2010-01-01",
                                    "signed_to": "2005-01-01"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Atlantis" in html and response.context["rows"] == []
    assert "country" in response.context["form"].errors and "signed_to" in response.context["form"].errors
    assert client.get("/public/register/ties.csv", {"country": "Atlantis"}).status_code == 400


def test_open_data_follows_the_filters(client, ibb_relations):
    table = client.get("/public/register/ties.csv", {"country": "Hollanda"})
    assert table["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) >= 2 and all("Rotterdam" in row for row in rows[1:2])
    geojson = json.loads(client.get("/public/register/ties.geojson", {"q": "Rotterdam"}).content)
    assert [f["properties"]["partner"] for f in geojson["features"]] == ["Rotterdam"]
    network = json.loads(client.get("/public/register/map.json").content)
    assert len(network["edges"]) >= 2 and len(network["nodes"]) % 2 == 0


def test_sorting_and_pagination(client, ibb_relations):
    by_partner = _rows(client.get(URL, {"sort": "partner"}))
    assert by_partner == sorted(by_partner, key=str.casefold) or by_partner == sorted(by_partner)
    total = client.get(URL).context["page"].paginator.count
    page2 = client.get(URL, {"page": 2, "sort": "partner"})
    assert page2.status_code == 200 and (total <= 50 or page2.context["rows"])


def test_query_count_does_not_grow_with_the_register(client, ibb_relations, ankara):
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    partner = LocalGovernment.objects.create(name="Sapporo", country_code="JP")
    Agreement.objects.bulk_create([Agreement(organisation=ankara, partner=partner, instrument="twinning",
                                             title=f"t{i}", state="active") for i in range(120)])
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) <= len(small) + 1


def test_province_code_of_official_codes():
    assert province_code("TR-34") == "TR-34"
    assert province_code("TR-34-D1234") == "TR-34"
    assert province_code("") == "" and province_code("DE-BY") == ""


def test_map_skips_places_without_coordinates(db, ankara):
    nowhere = LocalGovernment.objects.create(name="Nowhere-on-earth", country_code="ZZ")
    Agreement.objects.create(organisation=ankara, partner=nowhere, instrument="twinning", title="x", state="active")
    assert register_map(Agreement.objects.all())["edges"] == []


def test_register_csv_rows_are_the_public_rows_of_the_model(client, ankara, ibb_relations):
    """The register's CSV (value tuples, analytics.register_cost.csv_values) writes what the
    model-based public rows write: the partner's name and its country as national policy
    counts it (agreements.partner_country, the rule's one home: Northern Cyprus never Cyprus;
    an international organisation's seat)."""
    from citydiplomacy.agreements.models import InternationalOrganisation
    from citydiplomacy.analytics import exports, register

    girne = LocalGovernment.objects.create(name="Girne", country_code="CY", raw_country="KKTC")
    body = InternationalOrganisation.objects.create(name="Eurocities", acronym="EC", country_code="be")
    Agreement.objects.create(organisation=ankara, partner=girne, instrument="twinning", title="Girne",
                             state="active", signed_on="2001-05-02")
    Agreement.objects.create(organisation=ankara, partner_organisation=body, instrument="memorandum",
                             title="Eurocities", state="terminated", ended_on="2019-01-01")
    table = client.get("/public/register/ties.csv")
    written = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    columns, rows = exports.agreement_rows(register.published_ties(), public=True)
    assert written == [columns, *[["" if v is None else str(v) for v in row] for row in rows]]
    by_partner = {row[2]: row[3] for row in written[1:]}
    assert by_partner["Girne"] == "XC" and by_partner["Eurocities"] == "BE"
