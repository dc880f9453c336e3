"""Bad-input corpus: each hostile or broken input gets a clear error and changes nothing stored.

Covered: malformed and truncated CSV/XLSX, Windows-1254 and UTF-16 files, BOMs, 50 MB uploads
(refused by the size limit; Django streams them to a temporary file instead of memory), zip
bombs renamed .xlsx, path traversal in file names, HTML/JS in text fields (escaped in pages),
SQL-looking strings (stored literally), dates in the wrong order, unknown countries.
Inputs go through the API, the web upload form and the importers (`import-pairs` of places,
`import-relations` of agreements).
"""

from __future__ import annotations

import functools
import io
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from citydiplomacy.agreements.models import Agreement, Document
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.models import ImportBatch, ReportedTie
from citydiplomacy.web.ops.backup import database_summary
from tests.sample_files import MINIMAL_PDF

PDF = MINIMAL_PDF
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE agreements_agreement;--"


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the default language is Turkish)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def snapshot():
    return {label: (s.rows, s.sha256) for label, s in database_summary().items()
            if not label.startswith(("sessions.", "axes."))}


@pytest.fixture
def partner(db):
    return LocalGovernment.objects.create(name="Rotterdam", kind="municipality", country_code="NL")


@pytest.fixture
def agreement(users, partner, settings, tmp_path):
    from citydiplomacy.agreements import services

    settings.MEDIA_ROOT = tmp_path / "media"
    return services.create_agreement(actor=users["officer"], instrument="twinning", partner=partner,
                                     title="Kardeş şehir Rotterdam")


# --- API JSON fields ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("payload, field", [
    ({"instrument": "twinning", "title": "x" * 301}, "title"),
    ({"instrument": "no-such-instrument", "title": "T"}, "instrument"),
    ({"instrument": "twinning", "title": "T", "areas": ["culture_arts", "<b>nope</b>"]}, "areas"),
    ({"instrument": "twinning", "title": "T", "term_years": "ten"}, "term_years"),
    ({"instrument": "twinning", "title": "T", "partner": "1 OR 1=1"}, "partner"),
    ({"instrument": "twinning", "title": "T", "partner": 99999999}, "partner"),
    ({"instrument": "twinning", "title": "\x00"}, "title"),
])
def test_bad_agreement_payloads_are_refused(api_client_for, partner, payload, field):
    payload = {"partner": partner.pk, **payload}
    before = snapshot()
    response = api_client_for("officer").post("/api/agreements/", payload, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] and error["message"] and field in error["details"]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"{", b'{"instrument": "twinning", "title": ', b"\xff\xfe{}", b"[]",
                                  b'"just a string"', b"null"])
def test_malformed_or_truncated_json_is_refused(api_client_for, partner, body):
    before = snapshot()
    response = api_client_for("officer").post("/api/agreements/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert snapshot() == before


@pytest.mark.django_db
def test_dates_in_the_wrong_order_are_refused(api_client_for, agreement):
    before = snapshot()
    response = api_client_for("officer").patch(
        f"/api/agreements/{agreement.pk}/",
        {"version": agreement.version, "effective_on": "2030-01-01", "expires_on": "2020-01-01"},
        format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ZZ", "XX", "TUR", "1'", "<b>"])  # "" = not yet known: allowed
def test_unknown_countries_are_refused(api_client_for, code):
    before = snapshot()
    response = api_client_for("officer").post(
        "/api/local-governments/", {"name": "Nowhere", "kind": "municipality", "country_code": code},
        format="json")
    assert response.status_code == 400, response.content
    assert "country_code" in response.json()["error"]["details"]
    assert snapshot() == before


@pytest.mark.django_db
def test_html_and_sql_in_text_fields_are_stored_literally_and_rendered_escaped(
        api_client_for, client_for, partner):
    response = api_client_for("officer").post("/api/agreements/", {
        "instrument": "twinning", "partner": partner.pk, "title": XSS, "notes": SQL,
        "signed_place": XSS, "source": XSS,
        "contacts": [{"side": "partner", "name": XSS, "position": SQL, "email": "a@example.org"}],
    }, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    stored = Agreement.objects.get(pk=pk)
    assert stored.title == XSS and stored.notes == SQL  # literally, never executed or mangled
    assert Agreement.objects.count() == 1
    web = client_for("officer")
    for url in (f"/agreements/{pk}/", "/agreements/", "/agreements/?q=%3Cscript%3E"):
        page = web.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert "<script>alert" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
    detail = web.get(f"/agreements/{pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail
    assert "DROP TABLE agreements_agreement" in detail.replace("&#x27;", "'")


# --- document uploads (API and web form) -------------------------------------------------------
def _upload(client, pk, name, content, kind="other"):
    return client.post(f"/api/agreements/{pk}/documents/",
                       {"file": SimpleUploadedFile(name, content), "kind": kind}, format="multipart")


@functools.cache  # compressing hundreds of MB of zeros: once per size and process
def _zip_bomb(declared_office: bool = True, megabytes: int = 64) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if declared_office:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (megabytes * 2**20))
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_50_mb_upload_is_refused_by_the_size_limit(api_client_for, agreement, settings):
    settings.CITYDIPLOMACY_MAX_UPLOAD_BYTES = 10 * 2**20
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django streams the upload to a temporary file in chunks;
    # the size check runs on the recorded size, before anything reads the content.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < 50 * 2**20
    before = snapshot()
    response = _upload(api_client_for("officer"), agreement.pk, "big.pdf", PDF + b"0" * (50 * 2**20))
    assert response.status_code == 413  # refused from its declared size, before it is read
    message = response.json()["error"]["message"]  # "… 50.0 MB; the limit is 10.0 MB …" (or Turkish)
    assert "50" in message and "10" in message
    assert snapshot() == before


BAD_DOCUMENTS = [
    ("bomb.xlsx", _zip_bomb(declared_office=False)),
    ("truncated.xlsx", _zip_bomb()[:200]),
    ("renamed.pdf", b"MZ\x90\x00 not a pdf"),
    ("empty.pdf", b""),
    ("../../../etc/passwd", PDF),
    ("noextension", PDF),
    ("script.html", b"<script>alert(1)</script>"),
    ("image.svg", b"<svg onload=alert(1)></svg>"),
]


@pytest.mark.django_db
# ids by file name: the zips carry the time they were built, and pytest-xdist's workers must
# collect the same test ids
@pytest.mark.parametrize("name, content", BAD_DOCUMENTS, ids=[name for name, _ in BAD_DOCUMENTS])
def test_bad_documents_are_refused(api_client_for, agreement, name, content):
    before = snapshot()
    response = _upload(api_client_for("officer"), agreement.pk, name, content)
    assert response.status_code == 400, (name, response.content)
    assert response.json()["error"]["message"]
    assert snapshot() == before


@pytest.mark.django_db
def test_path_traversal_in_a_file_name_stays_inside_media(api_client_for, agreement, settings):
    response = _upload(api_client_for("officer"), agreement.pk, "../../../../tmp/evil.pdf", PDF)
    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert "/" not in document.original_name and ".." not in document.original_name
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(document.file.path).resolve().is_relative_to(media)
    response = _upload(api_client_for("officer"), agreement.pk, "..\\..\\windows\\evil.pdf", PDF)
    document = Document.objects.get(pk=response.json()["id"])
    assert Path(document.file.path).resolve().is_relative_to(media)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bomb.xlsx", "bomb.docx"])
def test_a_zip_bomb_named_as_an_office_file_is_refused_without_unpacking(api_client_for, agreement, name):
    """The archive's directory says it would inflate 1,000 times: refused before anything
    is decompressed (finding F13: 1 MB → 1 GiB was accepted)."""
    bomb = _zip_bomb(megabytes=256)
    assert len(bomb) < 2**20
    started = time.monotonic()
    response = _upload(api_client_for("officer"), agreement.pk, name, bomb)
    assert response.status_code == 400 and response.json()["error"]["message"]
    assert time.monotonic() - started < 5
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_web_upload_form_refuses_bad_files_with_a_message(client_for, agreement):
    web = client_for("officer")
    before = snapshot()
    response = web.post(
        f"/agreements/{agreement.pk}/documents/",
        {"upload": SimpleUploadedFile("../x.exe", b"MZ\x90\x00"), "kind": "other", "title": XSS})
    assert response.status_code in (200, 302, 400)
    assert snapshot() == before


# --- importers ---------------------------------------------------------------------------------
PAIRS_HEADER = "city1,country1,city2,country2\n"


def _xlsx(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_PAIR_FILES = [
    ("empty.csv", b"", "empty"),
    ("header.csv", b"stadt,land\nBerlin,DE\n", "header"),
    ("utf16.csv", (PAIRS_HEADER + "İstanbul,Turkey,Berlin,Germany\n").encode("utf-16"), "not a text CSV"),
    ("binary.csv", b"\x00\x01\x02PK" * 100, "not a text CSV"),
    ("quote.csv", (PAIRS_HEADER + '"İstanbul,Turkey\n').encode(), ""),
    ("truncated.xlsx", _xlsx([["city1", "country1", "city2", "country2"], ["a", "b", "c", "d"]])[:300],
     "XLSX"),
    ("notzip.xlsx", b"city1,country1,city2,country2\n", "XLSX"),
    ("bomb.xlsx", _zip_bomb(), "XLSX"),
    ("wrong.xlsx", _xlsx([["name", "country"], ["Berlin", "DE"]]), "header"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", BAD_PAIR_FILES, ids=[f[0] for f in BAD_PAIR_FILES])
def test_import_pairs_refuses_bad_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    try:
        call_command("import-pairs", str(path), stdout=io.StringIO())
    except CommandError as exc:
        assert message.lower() in str(exc).lower()
    else:  # a file read without error must at least have created nothing
        assert message == "", f"{name} was accepted"
    assert snapshot() == before or message == ""
    if message:
        assert not ReportedTie.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_import_pairs_accepts_bom_and_windows_1254(tmp_path):
    rows = "İstanbul,Türkiye,Berlin,Germany\nİzmir,Türkiye,Şuşa,Azerbaijan\n"
    from citydiplomacy.places.services import read_rows

    for name, data in [("bom.csv", b"\xef\xbb\xbf" + (PAIRS_HEADER + rows).encode()),
                       ("cp1254.csv", (PAIRS_HEADER + rows).encode("cp1254"))]:
        path = tmp_path / name
        path.write_bytes(data)
        read = read_rows(path, ["city1", "country1", "city2", "country2"])
        assert read[0]["city1"] == "İstanbul" and read[1]["city2"] == "Şuşa", name


@pytest.mark.django_db
def test_import_pairs_refuses_a_file_over_the_size_limit_without_reading_it(tmp_path, monkeypatch):
    from citydiplomacy.places import services

    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(PAIRS_HEADER.encode())
        handle.truncate(services.MAX_IMPORT_BYTES + 1)  # sparse: 50 MB on paper, nothing on disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    with pytest.raises(CommandError, match="larger than"):
        call_command("import-pairs", str(path), stdout=io.StringIO())
    assert not ImportBatch.objects.exists()


RELATIONS_HEADER = "instrument,status,partner,partner_country,council_decision_on,signed_on,ended_on,note,source\n"
BAD_RELATION_FILES = [
    ("unknown_instrument.csv", RELATIONS_HEADER + "friendship,active,Berlin,Germany,,2001,,,\n"),
    ("unknown_status.csv", RELATIONS_HEADER + "twinning,dancing,Berlin,Germany,,2001,,,\n"),
    ("bad_date.csv", RELATIONS_HEADER + "twinning,active,Berlin,Germany,,2001-13-45,,,\n"),
    ("wrong_order.csv", RELATIONS_HEADER + "twinning,terminated,Berlin,Germany,,2010-01-01,2001-01-01,,\n"),
    ("unknown_country.csv", RELATIONS_HEADER + "twinning,active,Atlantis,Atlantis,,2001,,,\n"),
    ("truncated.csv", RELATIONS_HEADER + "twinning,active\n"),
    ("utf16.csv", RELATIONS_HEADER + "twinning,active,Berlin,Germany,,2001,,,\n"),
    ("header_only_garbage.csv", "a,b,c\n1,2,3\n"),
]


@pytest.mark.django_db
def test_import_relations_reads_windows_1254_with_turkish_letters(tmp_path, istanbul):
    """A list saved by Excel on Turkish Windows imports with its letters intact (columns in
    any order)."""
    from citydiplomacy.agreements.models import Agreement

    path = tmp_path / "cp1254.csv"
    path.write_bytes((RELATIONS_HEADER + "twinning,active,Şuşa,Azerbaijan,,2001,,,\n").encode("cp1254"))
    call_command("import-relations", str(path), "--organisation", str(istanbul.pk), stdout=io.StringIO())
    agreement = Agreement.objects.get(organisation=istanbul)
    assert agreement.partner.raw_name == "Şuşa" or agreement.partner.name == "Şuşa"
    assert agreement.partner.country_code == "AZ"


@pytest.mark.django_db
@pytest.mark.parametrize("name, text", BAD_RELATION_FILES)
def test_import_relations_refuses_bad_files_and_imports_nothing(tmp_path, istanbul, name, text):
    path = tmp_path / name
    encoding = {"cp1254.csv": "cp1254", "utf16.csv": "utf-16"}.get(name, "utf-8")
    path.write_bytes(text.encode(encoding))
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("import-relations", str(path), "--organisation", str(istanbul.pk),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert str(raised.value).strip()
    assert snapshot() == before
