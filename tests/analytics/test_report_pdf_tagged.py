"""The annual report PDF is tagged (PDF/UA-1 as WeasyPrint makes it) with title, language and
author, and keeps its Turkish glyphs."""

from __future__ import annotations

import io

import pytest


@pytest.mark.django_db
def test_report_pdf_is_tagged_with_title_language_and_author(client_for, rotterdam_tie, make_queued_pdfs):
    from pypdf import PdfReader

    client = client_for("viewer")
    client.get("/analytics/report/2017.pdf", HTTP_ACCEPT_LANGUAGE="tr")
    make_queued_pdfs()
    response = client.get("/analytics/report/2017.pdf", HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]).startswith("tr")
    metadata = reader.metadata
    assert "İstanbul Büyükşehir Belediyesi" in metadata.title and "2017" in metadata.title
    assert metadata.author == "İstanbul Büyükşehir Belediyesi"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # declares PDF/UA
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "İstanbul" in text and "ş" in text
