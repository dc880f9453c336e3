"""The annual report's pages: the report itself (HTML), its PDF download and the page that says
the PDF is being prepared. The PDF is made by the background task runner (analytics/report_pdf.py):

- `report/<year>.pdf` answers the PDF at once when one of today's data is held; otherwise it
  starts its production (or joins the one under way) and answers 202 with the "being prepared"
  page, which reloads itself (`report/<year>/pdf/`) until the download is there. `?previous=1`
  downloads the PDF held from older data, offered with its date meanwhile.
- The download is a heavy view like the other downloads (core.throttling.heavy: the heavy rate,
  and one running request per user, so that a burst of one reader's requests is answered with
  cheap 429s); the status page that reloads itself is not, and counts against the heavy rate
  only when it starts a production. A burst of downloads joins one task: no web worker renders.
- A report is its organisation's members' and oversight's (`permissions.can_read_annual_report`,
  asked by `report_organisation` for the page, the PDF and the API alike); everyone else,
  the permitting authority included, gets 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from citydiplomacy.accounts import permissions
from citydiplomacy.analytics import exports, report_pdf, selectors
from citydiplomacy.analytics.reports import NoReportForYear, check_year_range, report_context
from citydiplomacy.core.throttling import heavy, rate_message, rate_wait, too_many
from citydiplomacy.governments.models import LocalGovernment

REFRESH_SECONDS = 3


@login_required
def report_page(request, year: int):
    picked = request.GET.get("year", "")
    if picked.isdigit() and int(picked) != year:  # the year picker's choice
        query = request.GET.copy()
        del query["year"]
        return redirect(f"{reverse('analytics:report', kwargs={'year': int(picked)})}?{query.urlencode()}")
    try:
        organisation = report_organisation(request.user, request.GET.get("organisation"))
        return render(request, "analytics/report.html", report_context(request.user, organisation, year))
    except NoReportForYear as exc:
        return render(request, "404.html", {"message": str(exc)}, status=404)


def report_organisation(user, requested) -> LocalGovernment:
    """The organisation whose report the reader asks for (the own one unless `requested`);
    404 unless the reader may read its report. The one check of the page, PDF and API."""
    organisation = selectors.organisation_for(user, requested)
    if not permissions.can_read_annual_report(user, organisation.pk):
        raise Http404
    return organisation


def pdf_target(user, year: int, requested) -> tuple[LocalGovernment, str]:
    """The organisation and language of the PDF a reader asks for; 404 for a year no
    report covers or an organisation the reader does not read. Cheap: no report is built."""
    check_year_range(year, selectors.today().year)
    organisation = report_organisation(user, requested)
    return organisation, translation.get_supported_language_variant(translation.get_language())


def pdf_response(value: dict) -> HttpResponse:
    response = exports.attachment(value["pdf"], "application/pdf", value["filename"])
    response["Cache-Control"] = "private, no-store"
    return response


def _missing(request, value: dict):
    return render(request, "404.html", {"message": value["missing"] or None}, status=404)


def _answer(request, year: int, *, status_page: bool, rate_wait_of_start):
    try:
        organisation, language = pdf_target(request.user, year, request.GET.get("organisation"))
    except NoReportForYear as exc:
        return render(request, "404.html", {"message": str(exc)}, status=404)
    held = report_pdf.state(organisation.pk, year, language)
    previous = request.GET.get("previous") == "1" and not status_page
    if held.ready and (previous or not held.updating):
        if "missing" in held.value:
            return _missing(request, held.value)
        return render(request, "analytics/report_pdf_status.html", _status_context(
            organisation, year, held)) if status_page else pdf_response(held.value)
    if previous:
        raise Http404
    wait = report_pdf.start(organisation.pk, year, language, rate_wait_of_start)
    if wait is not None:
        return too_many(request, rate_message(wait), wait)
    return render(request, "analytics/report_pdf_status.html", _status_context(organisation, year, held),
                  status=200 if status_page else 202)


def _status_context(organisation: LocalGovernment, year: int, held) -> dict:
    query = f"?organisation={organisation.pk}"
    previous = held.ready and held.updating and "pdf" in held.value
    return {
        "organisation": organisation,
        "year": year, "held": held, "ready": held.ready and not held.updating,
        "previous": previous, "refresh_seconds": REFRESH_SECONDS,
        "download_url": reverse("analytics:report-pdf", kwargs={"year": year}) + query,
        "previous_url": reverse("analytics:report-pdf", kwargs={"year": year}) + query + "&previous=1",
        "status_url": reverse("analytics:report-pdf-status", kwargs={"year": year}) + query,
        "report_url": reverse("analytics:report", kwargs={"year": year}) + query,
    }


@login_required
@heavy
def report_pdf_download(request, year: int):
    """The PDF when it is ready, else 202 and the "being prepared" page."""
    return _answer(request, year, status_page=False, rate_wait_of_start=lambda: None)  # counted by @heavy


@login_required
def report_pdf_status(request, year: int):
    """Whether the PDF is ready: the download link, or "being prepared" (reloading itself)."""
    return _answer(request, year, status_page=True, rate_wait_of_start=lambda: rate_wait(request))
