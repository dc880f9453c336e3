"""Wikidata interfaces refuse bad input plainly and never answer an empty file silently;
junk report years and reconciliation uploads get a 404 or a message, never a 500."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplomacy.analytics import exports

# QuickStatements V1: tab-separated; an item, a property, a value, then qualifier and source
# pairs; a string value is in double quotes and cannot contain one.
QS_ITEM = re.compile(r"^Q[1-9][0-9]*$")
QS_TIME = re.compile(r"^\+\d{4}-(\d{2})-(\d{2})T00:00:00Z/(9|11)$")
QS_STRING = re.compile(r'^"[^"\t\n]*"$')


def parse_quickstatement(line: str) -> dict:
    cells = line.split("\t")
    assert len(cells) >= 3 and len(cells) % 2 == 1, line
    subject, prop, value, *pairs = cells
    assert QS_ITEM.match(subject) and prop == "P190" and QS_ITEM.match(value), line
    parsed = {"subject": subject, "value": value}
    for key, cell in zip(pairs[::2], pairs[1::2], strict=True):
        if key in ("P580", "P582"):
            match = QS_TIME.match(cell)
            assert match, line
            month, day, precision = match.groups()
            assert (precision == "9") == (month == day == "00"), line
        elif key == "S854":
            assert QS_STRING.match(cell), line
        else:
            raise AssertionError(f"unexpected {key} in {line!r}")
        parsed[key] = cell
    return parsed


@pytest.mark.django_db
def test_a_quote_in_the_source_does_not_break_the_line(ibb_relations, rotterdam_tie):
    tie = ibb_relations.get(partner__name="Rotterdam")
    tie.partner.wikidata_id = "Q34370"
    tie.partner.save()
    type(tie).objects.filter(pk=tie.pk).update(source='Kaynak: https://example.org/haber?id=1"x" (erişim 2026).')
    lines, _skipped = exports.quickstatements(ibb_relations.select_related("organisation", "partner"))
    assert len(lines) == 2
    for line in lines:
        assert parse_quickstatement(line)["S854"] == '"https://example.org/haber?id=1"'


@pytest.mark.django_db
def test_an_empty_export_is_never_silent(client_for, ibb_relations):
    client = client_for("officer")
    response = client.get("/analytics/export/quickstatements.txt")
    assert response.status_code == 302 and "/analytics/reconcile/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Wikidata id" in page or "Wikidata kimliği" in page
    skipped = page.split('data-testid="qs-skipped"')[1].split("</ul>")[0]
    assert skipped.count("<li>") == ibb_relations.filter(instrument="twinning", state__in=(
        "signed", "active", "suspended", "expired", "terminated")).count()


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"   \n", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", b"PK\x03\x04\x00\x00",
                                     b"item,twin\nBerlin,Paris\n"])
def test_empty_binary_or_idless_reconcile_upload_gets_a_message(client_for, ibb_relations, content):
    response = client_for("officer").post("/analytics/reconcile/", {
        "export": SimpleUploadedFile("export.csv", content)}, follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert texts and ("Wikidata" in texts[0] or "UTF-8" in texts[0] or "NUL" in texts[0]), texts
    assert response.context["result"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("year", [0, 1, 1899, 99999, 10**30])
def test_report_years_out_of_range_answer_404(client_for, ibb_relations, year):
    client = client_for("officer")
    assert client.get(f"/analytics/report/{year}/").status_code == 404
    assert client.get(f"/analytics/report/{year}.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["not-a-qid", "Q", "Q01", "q406", "P190", "Q40x6", "Q406\nQ1"])
def test_api_refuses_a_malformed_wikidata_id_and_changes_nothing(api_client_for, ibb_relations, value):
    partner = ibb_relations.get(partner__name="Almaty").partner
    response = api_client_for("officer").patch(
        f"/api/local-governments/{partner.pk}/", {"wikidata_id": value}, format="json")
    assert response.status_code in (400, 403), response.content
    partner.refresh_from_db()
    assert partner.wikidata_id == ""
    if response.status_code == 400:
        assert "wikidata_id" in response.json()["error"]["details"]
