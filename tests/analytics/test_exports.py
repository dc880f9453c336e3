"""Exports validate: GeoJSON, XLSX (openpyxl), iCal (icalendar), QuickStatements, CSV
neutralisation of formulas, reconciliation with a Wikidata export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from citydiplomacy.analytics import exports
from citydiplomacy.core.exports import safe_cell

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text,expected", [
    ('=HYPERLINK("x")', '\'=HYPERLINK("x")'), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("Rotterdam", "Rotterdam"), ("", ""),
])
def test_neutralise(text, expected):
    assert safe_cell(text) == expected


def test_csv_and_xlsx_neutralise_formulas(client_for, activities, istanbul):
    from openpyxl import load_workbook

    istanbul_partner = activities.partner
    istanbul_partner.name = '=HYPERLINK("x")'
    istanbul_partner.save()
    client = client_for("viewer")
    text = client.get("/analytics/export/agreements.csv?codes=1").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any(r["partner"] == '\'=HYPERLINK("x")' for r in rows)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)
    text = client.get("/analytics/export/agreements.csv").content.decode("utf-8-sig")  # in the user's language
    rows = list(csv.reader(io.StringIO(text)))
    assert any(v == '\'=HYPERLINK("x")' for r in rows for v in r)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r if v)
    activity_text = client.get("/analytics/export/activities.csv").content.decode("utf-8-sig")
    assert '\'=HYPERLINK(""x"")' in activity_text
    for dataset in ("agreements", "activities"):
        response = client.get(f"/analytics/export/{dataset}.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert '\'=HYPERLINK("x")' in values
        assert not any(v.startswith("=") for v in values)
    assert client.get("/analytics/export/things.csv").status_code == 404


def test_geojson_is_a_feature_collection(client_for, ibb_relations):
    data = json.loads(client_for("viewer").get("/analytics/export/partners.geojson").content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) >= 20
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    lng, lat = feature["geometry"]["coordinates"]
    assert -180 <= lng <= 180 and -90 <= lat <= 90
    public = json.loads(client_for("anonymous").get(
        f"/public/{ibb_relations[0].organisation_id}/partners.geojson").content)
    assert public["type"] == "FeatureCollection"
    assert all(f["properties"]["status"] == "active" for f in public["features"])


def test_ical_parses(client_for, ibb_relations):
    from icalendar import Calendar

    response = client_for("viewer").get("/analytics/export/reminders.ics")
    calendar = Calendar.from_ical(response.content)
    assert calendar.get("version") == "2.0"


@pytest.fixture
def wikidata_ids(rotterdam_tie, ibb_relations):
    for name, qid in (("Rotterdam", "Q34370"), ("Almaty", "Q35493")):
        partner = ibb_relations.get(partner__name=name).partner
        partner.wikidata_id = qid
        partner.save()


def test_quickstatements_well_formed(client_for, ibb_relations, wikidata_ids):
    lines, skipped = exports.quickstatements(
        ibb_relations.select_related("organisation", "partner"))
    assert skipped  # partners without Wikidata ids are reported, not guessed
    assert len(lines) == 4
    for line in lines:
        assert exports.QS_LINE.match(line), line
    rotterdam = [line for line in lines if "Q34370" in line]
    assert rotterdam[0].startswith("Q406\tP190\tQ34370\tP580\t+2005-06-24T00:00:00Z/11\tP582\t+2017-03-15T00:00:00Z/11\tS854\t\"https://")
    assert rotterdam[1].startswith("Q34370\tP190\tQ406\t")
    text = client_for("viewer").get("/analytics/export/quickstatements.txt").content.decode()
    assert text.count("\n") == 4


def test_reconciliation(client_for, ibb_relations, wikidata_ids):
    export = ("item,twin\nhttp://www.wikidata.org/entity/Q406,http://www.wikidata.org/entity/Q35493\n"
              "http://www.wikidata.org/entity/Q406,http://www.wikidata.org/entity/Q90\n"
              "http://www.wikidata.org/entity/Q1,http://www.wikidata.org/entity/Q2\n")
    result = exports.reconcile(ibb_relations.select_related("organisation", "partner"), export)
    assert [a.partner.name for a in result["both"]] == ["Almaty"]
    assert [a.partner.name for a in result["only_here"]] == ["Rotterdam"]
    assert result["only_wikidata"] == [("Q90", "Q406")]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("officer").post("/analytics/reconcile/", {
        "export": SimpleUploadedFile("export.csv", export.encode())})
    assert response.status_code == 200 and b"Q90" in response.content
