"""The annual report's PDF in a real browser, in Turkish: "PDF indir" answers at once with the
"being prepared" page (screenshot docs/journeys/report-pdf-tr.png, see docs/JOURNEYS.md), which
reloads itself until the task worker has made the PDF and then offers the download; the file
downloaded is the report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "journeys"


def test_report_pdf_is_prepared_then_downloaded_in_turkish(page, login, rotterdam_tie, activities,
                                                            make_queued_pdfs):
    from pypdf import PdfReader

    login("ibb-viewer")
    page.goto(f"{page.base_url}/analytics/report/2017/")
    page.get_by_role("button", name="PDF indir").click()
    preparing = page.locator("[data-testid=pdf-preparing]")
    preparing.wait_for()
    assert "PDF'i hazırlanıyor" in preparing.inner_text()
    assert "/analytics/report/2017.pdf" in page.url
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / "report-pdf-tr.png"), full_page=True)

    assert make_queued_pdfs() == 1  # what the task worker does meanwhile
    ready = page.locator("[data-testid=pdf-ready]")
    ready.wait_for()  # the page reloaded itself (every 3 s)
    assert "PDF hazır" in ready.inner_text() and "/analytics/report/2017/pdf/" in page.url
    with page.expect_download() as download:
        page.click("[data-testid=pdf-download]")
    assert download.value.suggested_filename == f"report-{rotterdam_tie.organisation_id}-2017.pdf"
    content = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Rotterdam" in text and "2017-03-15" in text
