"""Imported tables are read within limits (issue 19 item 4, findings F12 and F14): regular
files only, a row cap with a clear message, the XLSX header checked before the sheet is
read, zip bombs refused before they inflate, decoding errors reported as such; the resolve
CLI's output neutralises formulas. Nothing is stored for a refused file."""

from __future__ import annotations

import csv
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import services
from citydiplomacy.places.models import ImportBatch, ReportedTie
from citydiplomacy.places.services import ImportError_, read_rows

HEADER = ["city1", "country1", "city2", "country2"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')


def _row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{col}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for col, v in zip("ABCD", values))
    return f'<row r="{number}">{cells}</row>'


def _xlsx(path, header: list[str], body: str, *, close: bool = True):
    """A minimal workbook whose first sheet is ``header`` then the raw XML ``body``."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + _row(1, header) + body
             + ("</sheetData></worksheet>" if close else ""))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _counts():
    return (LocalGovernment.objects.count(), ReportedTie.objects.count(),
            ImportBatch.objects.count(), Agreement.objects.count())


def test_a_device_is_refused_without_reading_it():
    started = time.monotonic()
    with pytest.raises(ImportError_, match="not a regular file"):
        read_rows("/dev/zero", HEADER)
    assert time.monotonic() - started < 5


def test_xlsx_header_is_checked_before_the_sheet_is_read(tmp_path):
    # a wrong header followed by a broken sheet: only a reader that stops at the header
    # can name the real problem
    path = _xlsx(tmp_path / "pairs.xlsx", ["stad1", "land1", "stad2", "land2"],
                 "".join(_row(n, ["A", "B", "C", "D"]) for n in range(2, 5000))
                 + "<row r=\"5000\"><c r=\"A5000\"", close=False)
    with pytest.raises(ImportError_, match="Wrong header stad1,land1,stad2,land2"):
        read_rows(path, HEADER)


@pytest.mark.django_db
def test_an_xlsx_zip_bomb_is_refused_before_it_inflates(tmp_path):
    body = _row(2, ["Bonn", "Germany", "Köln", "Germany"]) * 200_000  # ~40 MB of sheet XML
    path = _xlsx(tmp_path / "bomb.xlsx", ["stad1", "land1", "stad2", "land2"], body)
    assert path.stat().st_size < 2 * 1024 * 1024
    before = _counts()
    started = time.monotonic()
    with pytest.raises(CommandError, match="zip bomb"):
        call_command("import-pairs", str(path))
    assert time.monotonic() - started < 5
    assert _counts() == before


@pytest.mark.django_db
def test_the_row_cap_is_a_clear_message_and_stores_nothing(tmp_path, settings):
    settings.CITYDIPLOMACY_IMPORT_MAX_ROWS = 3
    path = tmp_path / "pairs.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER] + [["Bonn", "Germany", f"X{i}", "Italy"] for i in range(4)])
    before = _counts()
    with pytest.raises(CommandError, match="more than 3 rows; the limit is 3"):
        call_command("import-pairs", str(path))
    assert _counts() == before


@pytest.mark.django_db
def test_undecodable_relations_file_is_reported_as_a_decoding_error(tmp_path):
    home = LocalGovernment.objects.create(name="Ankara", kind="metropolitan_municipality",
                                          country_code="TR")
    path = tmp_path / "relations.csv"
    # no NUL byte; 0x81 is neither UTF-8 here nor defined in Windows-1254
    path.write_bytes(b"partner,partner_country,instrument,status\n\x81\x8d\x8e\x8f junk\n")
    before = _counts()
    with pytest.raises(CommandError, match="cannot be decoded"):
        call_command("import-relations", str(path), organisation=str(home.pk))
    assert _counts() == before


@pytest.mark.django_db
def test_resolve_output_neutralises_formulas(gazetteer, tmp_path):
    source = tmp_path / "names.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["name", "country"],
                                      ["@SUM(1+1)*cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")"],
                                      ["İzmir", "Turkey"]])
    out = tmp_path / "out.csv"
    services.resolve_file(source, out)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'=HYPERLINK(\"http://x\")"]
    assert rows[2][0] == "İzmir"
