"""Annual report PDFs are made by the task runner, never in the request (issue 15 item 3, issue 19
item 3): the first download answers at once (202) with a "being prepared" page in Turkish that
reloads itself and then offers the download; a burst of downloads joins one task; a PDF of
today's data is served at once; a write makes the next download ask for a new one while the
previous PDF is offered with its date; the report stays its organisation's members' and
oversight's; the API answers 202 with Location and Retry-After."""

from __future__ import annotations

import io

import pytest
from django_tasks_db.models import DBTaskResult

from citydiplomacy.analytics.report_pdf import produce_report_pdf

pytestmark = pytest.mark.django_db

PDF = "/analytics/report/2017.pdf"
STATUS = "/analytics/report/2017/pdf/"


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=produce_report_pdf.module_path, status="READY").count()


def refuse(*args, **kwargs):
    raise AssertionError("report PDF rendered in the request")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_first_download_answers_at_once_and_a_burst_joins_one_task(client_for, rotterdam_tie, monkeypatch):
    monkeypatch.setattr("citydiplomacy.analytics.report_pdf.render", refuse)
    client = client_for("viewer")
    first = client.get(PDF, HTTP_ACCEPT_LANGUAGE="tr")
    body = first.content.decode()
    assert first.status_code == 202 and first["Content-Type"].startswith("text/html")
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert 'data-testid="pdf-preparing"' in body and "hazırlanıyor" in body
    assert f'http-equiv="refresh" content="3;url={STATUS}?organisation=' in body
    assert 'data-testid="pdf-download"' not in body and 'data-testid="pdf-previous"' not in body
    for _ in range(20):  # what reliability/issue19.py fires at once: each joins the same task
        assert client.get(PDF).status_code == 202
    assert client.get(STATUS).status_code == 200
    assert queued() == 1


def test_requests_racing_in_several_workers_start_one_task(client_for, rotterdam_tie, monkeypatch):
    # each request misses the others' task, as requests in two web workers at once may
    monkeypatch.setattr("citydiplomacy.analytics.report_pdf.pending", lambda *args: False)
    for role in ("viewer", "officer", "admin"):
        assert client_for(role).get(PDF).status_code == 202
    assert queued() == 1


def test_the_page_offers_the_download_when_ready_and_it_is_served_at_once(
        client_for, rotterdam_tie, activities, make_queued_pdfs, monkeypatch):
    client = client_for("viewer")
    client.get(PDF)
    assert make_queued_pdfs() == 1
    monkeypatch.setattr("citydiplomacy.analytics.report_pdf.render", refuse)
    status = client.get(STATUS, HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-testid="pdf-ready"' in status and "PDF hazır" in status and 'http-equiv="refresh"' not in status
    assert f'href="{PDF}?organisation={rotterdam_tie.organisation_id}" data-testid="pdf-download"' in status
    response = client.get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="report-{rotterdam_tie.organisation_id}-2017.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert "2017-03-15 · Rotterdam" in pdf_text(response.content)
    assert queued() == 0  # nothing asked for again
    # made per language: the English reader's PDF is another one
    assert client.get(PDF, HTTP_ACCEPT_LANGUAGE="en").status_code == 202 and queued() == 1


def test_a_write_makes_a_new_pdf_and_the_previous_one_is_offered_with_its_date(
        client_for, rotterdam_tie, activities, make_queued_pdfs, istanbul):
    from citydiplomacy.agreements.models import Activity

    client = client_for("officer")
    client.get(PDF)
    make_queued_pdfs()
    before = client.get(PDF).content
    assert "Afet yönetimi" not in pdf_text(before)

    Activity.objects.create(organisation=istanbul, agreement=rotterdam_tie, partner=rotterdam_tie.partner,
                            kind="event", title="Deprem tatbikatı", starts_on="2017-11-02",
                            area="disaster_management", status="held")
    again = client.get(PDF, HTTP_ACCEPT_LANGUAGE="tr")
    body = again.content.decode()
    assert again.status_code == 202 and queued() == 1
    assert 'data-testid="pdf-previous"' in body and "önceki PDF" in body
    assert f"{PDF}?organisation={istanbul.pk}&amp;previous=1" in body
    previous = client.get(f"{PDF}?organisation={istanbul.pk}&previous=1")
    assert previous.status_code == 200 and previous.content == before

    assert make_queued_pdfs() == 1
    fresh = client.get(PDF)
    assert fresh.status_code == 200 and "Afet yönetimi" in pdf_text(fresh.content)


def test_a_task_run_twice_makes_the_pdf_once(rotterdam_tie, monkeypatch):
    organisation = rotterdam_tie.organisation_id
    assert produce_report_pdf.call(organisation, 2017, "tr")["made"] is True
    monkeypatch.setattr("citydiplomacy.analytics.report_pdf.render", refuse)
    assert produce_report_pdf.call(organisation, 2017, "tr")["made"] is False


def test_only_members_and_oversight_read_an_organisations_pdf(client_for, rotterdam_tie, make_queued_pdfs):
    organisation = rotterdam_tie.organisation_id
    client_for("viewer").get(PDF)
    make_queued_pdfs()
    for role, expected in (("viewer", 200), ("admin", 200), ("oversight", 200), ("other_officer", 404),
                           ("authority", 404), ("anonymous", 302)):
        for url in (f"{PDF}?organisation={organisation}", f"{PDF}?organisation={organisation}&previous=1"):
            assert client_for(role).get(url).status_code == expected, (role, url)
        status = client_for(role).get(f"{STATUS}?organisation={organisation}").status_code
        assert status == (200 if expected == 200 else expected), role
    assert queued() == 0  # a refused reader starts nothing


def test_years_without_a_report_answer_404(client_for, rotterdam_tie, make_queued_pdfs):
    client = client_for("viewer")
    assert client.get("/analytics/report/1850.pdf").status_code == 404
    assert client.get("/analytics/report/1850/pdf/").status_code == 404
    assert queued() == 0
    # a year before the reports begin (1950, or the first tie): found out by the task, then a clear 404
    assert client.get("/analytics/report/1949.pdf").status_code == 202
    make_queued_pdfs()
    missing = client.get("/analytics/report/1949.pdf", HTTP_ACCEPT_LANGUAGE="tr")
    assert missing.status_code == 404 and "1949 yılı için yıllık rapor yok" in missing.content.decode()


def test_downloads_count_against_the_heavy_rate_and_the_waiting_page_only_when_it_starts(
        client_for, rotterdam_tie, settings):
    from django.core.cache import cache

    cache.clear()  # the heavy rate's counts
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "heavy": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = client_for("viewer")
    codes = [client.get(f"/analytics/report/{year}.pdf").status_code for year in (2015, 2016, 2017)]
    assert codes == [202, 202, 429] and queued() == 2
    for _ in range(3):  # the waiting page reloading itself joins the task
        assert client.get("/analytics/report/2016/pdf/").status_code == 200
    assert client.get("/analytics/report/2014/pdf/").status_code == 429  # would start one
    assert queued() == 2
    cache.clear()


def test_api_answers_202_with_location_then_the_pdf(client_for, rotterdam_tie, make_queued_pdfs):
    organisation = rotterdam_tie.organisation_id
    client = client_for("viewer")
    first = client.get("/api/analytics/report-pdf/2017/", HTTP_ACCEPT="application/pdf")
    assert first.status_code == 202 and first["Retry-After"] == "3"
    assert first["Location"] == f"http://testserver/api/analytics/report-pdf/2017/?organisation={organisation}"
    assert first.json() == {"status": "preparing", "computed_at": None, "previous": None}
    assert client_for("other_officer").get(
        f"/api/analytics/report-pdf/2017/?organisation={organisation}").status_code == 404
    assert client.get("/api/analytics/report-pdf/1850/").status_code == 404
    assert queued() == 1
    make_queued_pdfs()
    ready = client.get(first["Location"])
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF") and "no-store" in ready["Cache-Control"]


def test_the_pdf_a_reader_waits_for_goes_before_background_recomputations(client_for, rotterdam_tie):
    from citydiplomacy.analytics.tasks import refresh_network_results

    refresh_network_results.enqueue()  # e.g. after an import
    client_for("viewer").get(PDF)
    first = DBTaskResult.objects.filter(status="READY").order_by(*DBTaskResult._meta.ordering).first()
    assert first.task_path == produce_report_pdf.module_path
