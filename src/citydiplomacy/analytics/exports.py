"""Open data and exports: CSV/XLSX tables (formula-injection safe), GeoJSON of partners,
Wikidata QuickStatements for twinning ties and the reconciliation of our ties with a Wikidata
export (the DCAT-AP catalogue is analytics/dcat.py).

Any text cell that starts with =, +, -, @, a tab or a carriage return is prefixed with an
apostrophe so that spreadsheet programs show it as text instead of running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Agreement, CooperationArea
from citydiplomacy.agreements.partner_country import policy_country_of
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.core.exports import csv_bytes, safe_cell
from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body, content_type: str, filename: str) -> HttpResponse:
    """A download: `body` served as the file `filename`."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_cell(str(value)) if not isinstance(value, (int, float)) else value


AGREEMENT_COLUMNS = ["id", "organisation", "partner", "partner_country", "instrument", "status",
                     "title", "council_decision_on", "permission_granted", "signed_on",
                     "effective_on", "expires_on", "ended_on", "areas", "imported", "source"]
PUBLIC_AGREEMENT_COLUMNS = ["id", "organisation", "partner", "partner_country", "instrument",
                            "status", "signed_on", "ended_on"]
ACTIVITY_COLUMNS = ["id", "organisation", "agreement", "partner", "kind", "title", "starts_on",
                    "ends_on", "area", "participants", "cost_try", "status", "outcome"]


_AGREEMENT_CELLS = {
    "id": lambda a: a.pk, "organisation": lambda a: a.organisation.name, "partner": lambda a: a.partner_name,
    "partner_country": policy_country_of,  # as the national government sees it (XC)
    "instrument": lambda a: a.instrument, "status": lambda a: a.state, "title": lambda a: a.title,
    "council_decision_on": lambda a: a.council_decision_on, "permission_granted": lambda a: a.permission_granted,
    "signed_on": lambda a: a.signed_on, "effective_on": lambda a: a.effective_on,
    "expires_on": lambda a: a.expires_on, "ended_on": lambda a: a.ended_on,
    "areas": lambda a: ";".join(a.areas or []), "imported": lambda a: a.is_imported, "source": lambda a: a.source,
}


def agreement_rows(agreements, *, public: bool = False) -> tuple[list[str], list[list]]:
    """The rows of these agreements (the national register's CSV reads its rows as tuples:
    analytics.register_cost.csv_values)."""
    columns = PUBLIC_AGREEMENT_COLUMNS if public else AGREEMENT_COLUMNS
    cells = [_AGREEMENT_CELLS[c] for c in columns]
    rows = [[_cell(cell(a)) for cell in cells] for a in agreements]
    return columns, rows


def activity_rows(activities) -> tuple[list[str], list[list]]:
    rows = []
    for a in activities:
        record = {"id": a.pk, "organisation": a.organisation.name,
                  "agreement": a.agreement.title if a.agreement_id else "",
                  "partner": a.partner.name if a.partner_id else "", "kind": a.kind,
                  "title": a.title, "starts_on": a.starts_on, "ends_on": a.ends_on, "area": a.area,
                  "participants": a.participants, "cost_try": a.cost_try, "status": a.status,
                  "outcome": a.outcome}
        rows.append([_cell(record[c]) for c in ACTIVITY_COLUMNS])
    return ACTIVITY_COLUMNS, rows


def to_csv(columns, rows) -> bytes:
    return csv_bytes(columns, rows)  # the one CSV writer (BOM, formula-safe cells)


def to_xlsx(columns, rows, *, title: str = "data") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def partners_geojson(agreements, *, public: bool = False) -> dict:
    features = []
    for a in agreements:
        place = coordinates(a.partner) if a.partner_id else None
        if place is None:
            continue
        properties = {"agreement": a.pk, "organisation": a.organisation.name, "partner": a.partner_name,
                      "country": a.partner.country_code, "instrument": a.instrument,
                      "instrument_label": str(Instrument(a.instrument).label), "status": a.state,
                      "status_label": str(State(a.state).label),
                      "signed_on": a.signed_on.isoformat() if a.signed_on else None,
                      "ended_on": a.ended_on.isoformat() if a.ended_on else None}
        if not public:
            properties["wikidata"] = a.partner.wikidata_id or None
        features.append({"type": "Feature", "id": a.pk,
                         "geometry": {"type": "Point", "coordinates": [round(place[1], 5), round(place[0], 5)]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


# --- Wikidata ------------------------------------------------------------------------------
QID = re.compile(WIKIDATA_ID_PATTERN)


def _qs_date(day: dt.date | None, precision: str) -> str | None:
    if day is None:
        return None
    if precision == "year":
        return f"+{day.year:04d}-00-00T00:00:00Z/9"
    return f"+{day.isoformat()}T00:00:00Z/11"


def _reference_url(a: Agreement) -> str:
    """The first URL in the source, ending before a space, quote or angle bracket and without
    trailing punctuation: a QuickStatements string has no escape for `"`."""
    match = re.search(r"https?://[^\s\"<>]+", a.source or "")
    return match.group(0).rstrip(".,;:)]}'") if match else ""


def quickstatements(agreements) -> tuple[list[str], list[dict]]:
    """QuickStatements V1 (tab-separated) lines: P190 twinned administrative body, both ways,
    with P580 start / P582 end qualifiers and an S854 reference URL. Returns (lines, skipped)."""
    lines, skipped = [], []
    for a in agreements:
        if a.instrument != Instrument.TWINNING or not a.partner_id or a.state not in PUBLIC_AGREEMENT_STATES:
            continue
        ours, theirs = a.organisation.wikidata_id.strip(), a.partner.wikidata_id.strip()
        missing = [name for name, qid in ((a.organisation.name, ours), (a.partner_name, theirs))
                   if not QID.match(qid)]
        if missing:
            skipped.append({"agreement": a, "partner": a.partner_name,
                            "reason": _("no Wikidata id for %(names)s") % {"names": ", ".join(missing)}})
            continue
        qualifiers = []
        start = _qs_date(a.signed_on, a.signed_on_precision)
        if start:
            qualifiers += ["P580", start]
        end = _qs_date(a.ended_on, "day") if a.state in (State.TERMINATED, State.EXPIRED) else None
        if end:
            qualifiers += ["P582", end]
        url = _reference_url(a)
        reference = ["S854", f'"{url}"'] if url else []
        for subject, target in ((ours, theirs), (theirs, ours)):
            lines.append("\t".join([subject, "P190", target, *qualifiers, *reference]))
    return lines, skipped


QS_LINE = re.compile(r'^Q\d+\tP190\tQ\d+(\tP58[02]\t\+\d{4}-\d{2}-\d{2}T00:00:00Z/(9|11))*(\tS854\t"https?://[^"\t]+")?$')


def wikidata_export_text(data: bytes) -> str:
    """The text of an uploaded Wikidata export; an empty, binary or non-UTF-8 file, or one without
    a single row of two Wikidata ids, is refused with a message saying so."""
    if not data.strip():
        raise ValidationError(_("The file is empty. Upload the CSV or TSV that the Wikidata Query "
                                "Service exports (columns: item, twin)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text (is it a spreadsheet or an image?). "
                                "Upload the CSV or TSV that the Wikidata Query Service exports.")) from exc
    if "\x00" in text:
        raise ValidationError(_("The file is not text (it contains NUL bytes). Upload the CSV or "
                                "TSV that the Wikidata Query Service exports."))
    if not read_wikidata_export(text):
        raise ValidationError(_("No row of the file holds two Wikidata ids (Q followed by digits, "
                                "or an entity URL): give the item and its twin in each row."))
    return text


def read_wikidata_export(text: str) -> set[tuple[str, str]]:
    """Pairs from a Wikidata export (CSV/TSV of item,twin as Q-ids or entity URLs, e.g. a
    SPARQL result of ?item wdt:P190 ?twin), as unordered (low, high) Q-id pairs."""
    pairs = set()
    lines = text.splitlines()
    dialect = "excel-tab" if lines and "\t" in lines[0] else "excel"
    for row in csv.reader(io.StringIO(text), dialect=dialect):
        ids = [m.group(0) for cell in row for m in [re.search(r"Q[1-9][0-9]*$", cell.strip())] if m]
        if len(ids) >= 2 and ids[0] != ids[1]:
            pairs.add(tuple(sorted(ids[:2], key=lambda q: int(q[1:]))))
    return pairs


def reconcile(agreements, export_text: str) -> dict:
    """Ties here and absent from the Wikidata export, and the export's ties of our
    organisations that are absent here."""
    theirs = read_wikidata_export(export_text)
    ours: dict[tuple[str, str], Agreement] = {}
    organisations = set()
    no_id = []
    for a in agreements:
        if a.instrument != Instrument.TWINNING or not a.partner_id:
            continue
        org_q, partner_q = a.organisation.wikidata_id.strip(), a.partner.wikidata_id.strip()
        if QID.match(org_q):
            organisations.add(org_q)
        if not (QID.match(org_q) and QID.match(partner_q)):
            no_id.append(a)
            continue
        ours[tuple(sorted((org_q, partner_q), key=lambda q: int(q[1:])))] = a
    relevant = {pair for pair in theirs if organisations & set(pair)}
    return {
        "both": [ours[p] for p in sorted(ours) if p in relevant],
        "only_here": [ours[p] for p in sorted(ours) if p not in relevant],
        "only_wikidata": sorted(relevant - set(ours)),
        "without_id": no_id,
    }


def area_label(code: str) -> str:
    return str(dict(CooperationArea.choices).get(code, code))


__all__ = [
    "QS_LINE",
    "activity_rows",
    "agreement_rows",
    "partners_geojson",
    "quickstatements",
    "read_wikidata_export",
    "reconcile",
    "to_csv",
    "to_xlsx",
]
