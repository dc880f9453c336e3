"""Annual report PDFs, produced by the background task runner (issue 15 item 3, issue 19 item 3)
and never inside a request: WeasyPrint's layout takes 0.5 s on a quiet machine and seconds
under load, and one reader firing many downloads must not take the web workers.

A PDF is stored with core/stored_results, one entry per organisation, year and language
(`kind`), under the key of what it was made from (`data_version`): the registry's change keys
(agreements and their history, steps, activities and their history, the policy table, the
registry of local governments), the layout's version and, for the current year, the day. A
write anywhere moves the key, so the next download asks for a new PDF; until it is made, the
previous one is offered with its date. The entry is replaced in one write when the new PDF is
whole: a worker killed while rendering leaves the previous entry, and its task is run again
(web/management/commands/worker.py).

A report is its organisation's: members and oversight read it (`permissions.can_read_organisation`,
checked by the views before anything is asked). The task renders it as they read it: every
record of the organisation.

Web: analytics/report_views.py; API: analytics/api.ReportPDFViewSet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.utils import translation
from django_tasks import task

from citydiplomacy.core import stored_results

# Bump when the report's templates or layout change: PDFs made by older code are made again.
LAYOUT_VERSION = 1
# The mark of a production being started (see `start`); it goes when the task ends, or after
# this many seconds if its worker was killed (the task itself is run again anyway).
STARTING_SECONDS = 120


def kind(organisation_id: int, year: int, language: str) -> str:
    return f"report-pdf:{organisation_id}:{year}:{language}"


def filename(organisation_id: int, year: int) -> str:
    return f"report-{organisation_id}-{year}.pdf"


def data_version(year: int) -> str:
    """What a report's PDF depends on, in one query of index look-ups."""
    from citydiplomacy.agreements.models import Activity, Agreement, AgreementEvent
    from citydiplomacy.analytics.selectors import today
    from citydiplomacy.core.change_keys import latest
    from citydiplomacy.governments.selectors import REGISTRY_VERSION_COLUMNS
    from citydiplomacy.policy.models import CountryRelation

    key = latest((Agreement, "id"), (Agreement.history.model, "history_id"), (AgreementEvent, "id"),
                 (Activity, "id"), (Activity.history.model, "history_id"),
                 (CountryRelation, "id"), (CountryRelation.history.model, "history_id"),
                 *REGISTRY_VERSION_COLUMNS)
    day = today()
    if year >= day.year:  # this year's report runs to today
        key = (*key, day.isoformat())
    return hashlib.sha256(repr((LAYOUT_VERSION, key)).encode()).hexdigest()[:24]


def state(organisation_id: int, year: int, language: str) -> stored_results.Stored:
    """What is held for this report: `value` is {"pdf", "filename"}, or {"missing": message}
    for a year outside the organisation's reports; `updating` when it was made from older
    data (or nothing is held). Asks for nothing."""
    entry = stored_results.held(kind(organisation_id, year, language))
    if entry is None:
        return stored_results.Stored(None, None, True)
    fresh = entry.get("inputs") == data_version(year)
    return stored_results.Stored(entry["value"], entry["computed_at"], not fresh)


def pending(organisation_id: int, year: int, language: str) -> bool:
    return stored_results.pending(produce_report_pdf, organisation_id, year, language)


def _starting_key(organisation_id: int, year: int, language: str) -> str:
    return "starting:" + kind(organisation_id, year, language)


def start(organisation_id: int, year: int, language: str, rate_wait: Callable[[], int | None]) -> int | None:
    """Join the production of this PDF if one is waiting or running, else start one unless
    `rate_wait()` (the reader's heavy rate: asked only when a new production would start)
    answers seconds to wait. Answers those seconds when refused, else None.

    Requests racing in several web workers start one task: the first to `add` the starting
    mark (one row in the results table: an atomic insert) enqueues it, the others join."""
    if pending(organisation_id, year, language):
        return None
    wait = rate_wait()
    if wait is not None:
        return wait
    results = caches[stored_results.RESULTS_CACHE]
    if results.add(_starting_key(organisation_id, year, language), 1, STARTING_SECONDS):
        produce_report_pdf.enqueue(organisation_id, year, language)
    return None


def render(organisation_id: int, year: int) -> dict:
    """The report's PDF in the active language, as the organisation's members read it."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from citydiplomacy.accounts.models import Role, User
    from citydiplomacy.analytics.reports import NoReportForYear, report_context
    from citydiplomacy.governments.models import LocalGovernment

    organisation = LocalGovernment.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return {"missing": ""}
    # reads what the organisation's members and oversight read of it: all its records
    reader = User(username="report-pdf", role=Role.OVERSIGHT, is_active=True)
    try:
        context = report_context(reader, organisation, year, pdf=True)
    except NoReportForYear as exc:
        return {"missing": str(exc)}
    context.update(pdf=True, LANGUAGE_CODE=translation.get_language())
    html = render_to_string("analytics/report_document.html", context)
    # PDF/UA-1: tagged structure, with the title, language and author of the document's <head>
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return {"pdf": pdf, "filename": filename(organisation_id, year)}


def produce(organisation_id: int, year: int, language: str) -> dict:
    """Make and store the PDF unless the one held is already of today's data. The data's key
    is read BEFORE the records: a write meanwhile leaves the PDF under the older key, and the
    next download asks for another."""
    try:
        inputs = data_version(year)
        entry = stored_results.held(kind(organisation_id, year, language))
        if entry is not None and entry.get("inputs") == inputs:
            return {"made": False}
        with translation.override(language):
            value = render(organisation_id, year)
        stored_results.write(kind(organisation_id, year, language), inputs, value)
        return {"made": True, "bytes": len(value.get("pdf", b""))}
    finally:
        caches[stored_results.RESULTS_CACHE].delete(_starting_key(organisation_id, year, language))


# A reader is waiting for it: it goes before the results recomputed for pages that show the
# previous one meanwhile (network, proximity, recommender; priority 0). A task already running
# is not interrupted.
@task(priority=50)
def produce_report_pdf(organisation_id: int, year: int, language: str) -> dict:
    return {"organisation": organisation_id, "year": year, "language": language,
            **produce(organisation_id, year, language)}
