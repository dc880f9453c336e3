"""Uploaded documents are checked for what they are, not only for their first bytes (issue 19
item 6, finding F13): a PDF must parse, an image must decode as its format, an office file
must not be a zip bomb; and a body larger than the limit is refused before it is read."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from citydiplomacy.agreements.models import Document
from citydiplomacy.agreements.uploads import check_upload
from tests.sample_files import MINIMAL_PDF, MINIMAL_PNG


def _office(member_bytes: bytes = b"<w:document/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", member_bytes)
    return buffer.getvalue()


POLYGLOTS = [
    ("poly.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"),
    ("x.png", b"\x89PNG\r\n\x1a\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("x.jpg", b"\xff\xd8\xff<html><script>alert(1)</script></html>"),
    ("x.gif", b"GIF89a<script>alert(1)</script>"),
    ("png-as.jpg", MINIMAL_PNG.replace(b"\x89PNG", b"\xff\xd8\xff\xe0", 1)),
    ("bomb.docx", _office(b"\0" * (64 * 2**20))),
]


@pytest.mark.parametrize(("name", "content"), POLYGLOTS, ids=[n for n, _ in POLYGLOTS])
def test_content_that_is_not_what_its_name_says_is_refused(name, content):
    with translation.override("en"), pytest.raises(Exception) as caught:
        check_upload(SimpleUploadedFile(name, content))
    assert "content is not a valid" in str(caught.value) or "Only PDF" in str(caught.value)


REAL_FILES = [("decision.pdf", MINIMAL_PDF), ("photo.png", MINIMAL_PNG), ("protocol.docx", _office())]


# ids by name: the .docx carries the time it was built, and xdist's workers must collect the same ids
@pytest.mark.parametrize(("name", "content"), REAL_FILES, ids=[n for n, _ in REAL_FILES])
def test_real_files_pass(name, content):
    extension, _type = check_upload(SimpleUploadedFile(name, content))
    assert name.endswith(extension)


def test_a_real_pdf_from_the_reports_passes():
    """A PDF as the site itself writes them (WeasyPrint), not only the minimal one."""
    from weasyprint import HTML

    pdf = HTML(string="<h1>Karar</h1><p>Belediye meclisi</p>").write_pdf()
    assert check_upload(SimpleUploadedFile("karar.pdf", pdf))[1] == "application/pdf"


@pytest.mark.django_db
def test_an_oversized_body_is_refused_before_it_is_read(settings):
    """The 413 comes from the declared Content-Length: the body is never read (a stream that
    fails when read proves it)."""
    from django.test import RequestFactory

    from citydiplomacy.web.upload_limit import UploadLimitMiddleware

    settings.CITYDIPLOMACY_MAX_UPLOAD_BYTES = 10 * 2**20

    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = RequestFactory().post(
        "/api/agreements/1/documents/", data=b"--xyz--",
        content_type="multipart/form-data; boundary=xyz", HTTP_ACCEPT_LANGUAGE="en")
    request.META["CONTENT_LENGTH"] = str(60 * 2**20)
    request.META["wsgi.input"] = Unreadable()
    response = UploadLimitMiddleware(lambda r: pytest.fail("the view ran"))(request)
    assert response.status_code == 413
    assert "the limit is 10.0" in json.loads(response.content)["error"]["message"].replace("\xa0", " ")
    assert not Document.objects.exists()
