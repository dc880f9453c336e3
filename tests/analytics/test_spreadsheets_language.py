"""CSV/XLSX exports in the user's language (headers, labels, country names, year-only dates as
years) with a codes variant for programs; both carry date precision and the end reason; the
formula neutralisation holds in both."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_xlsx_in_turkish_with_labels_precision_and_end_reason(client_for, rotterdam_tie, ibb_relations):
    from citydiplomacy.agreements.models import Agreement

    Agreement.objects.filter(pk=rotterdam_tie.pk).update(end_reason="=1+1 meclis kararıyla sona erdi")
    response = client_for("officer").get("/analytics/export/agreements.xlsx", HTTP_ACCEPT_LANGUAGE="tr")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert "Ortak" in header and "Durum" in header and "Ortak ülke" in header
    assert "Bitiş gerekçesi" in header and "İmza tarihi kesinliği" in header
    by_partner = {row[header.index("Ortak")]: row for row in rows[1:]}
    rotterdam = by_partner["Rotterdam"]
    assert rotterdam[header.index("Ortak ülke")] == "Hollanda"
    assert rotterdam[header.index("Belge türü")] == "Kardeş şehir"
    assert rotterdam[header.index("Bitiş gerekçesi")] == "'=1+1 meclis kararıyla sona erdi"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    year_only = [r for r in rows[1:] if r[header.index("İmza tarihi kesinliği")] == "Yalnızca yıl"]
    assert year_only and all(len(str(r[header.index("İmza tarihi")])) == 4 for r in year_only)


@pytest.mark.django_db
def test_codes_variant_keeps_codes_iso_dates_and_precision(client_for, rotterdam_tie, ibb_relations):
    rows = _csv(client_for("officer").get("/analytics/export/agreements.csv?codes=1",
                                          HTTP_ACCEPT_LANGUAGE="tr"))
    header = rows[0]
    assert header[:3] == ["id", "organisation", "partner"] and "end_reason" in header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {r["instrument"] for r in records} >= {"twinning"}
    assert all(r["signed_on_precision"] in ("", "day", "year") for r in records)
    year = [r for r in records if r["signed_on_precision"] == "year"]
    assert year and all(len(r["signed_on"]) == 10 for r in year)  # ISO date, precision beside it
    rotterdam = next(r for r in records if r["partner"] == "Rotterdam")
    assert rotterdam["partner_country"] == "NL" and rotterdam["status"] == "terminated"


@pytest.mark.django_db
def test_activities_csv_in_turkish(client_for, activities):
    rows = _csv(client_for("officer").get("/analytics/export/activities.csv", HTTP_ACCEPT_LANGUAGE="tr"))
    header = rows[0]
    assert "Başlık" in header and "Tür" in header
    titles = [row[header.index("Başlık")] for row in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in titles  # neutralised as before
