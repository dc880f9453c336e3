"""The agreement and activity tables of the CSV/XLSX exports, in two variants: for people
(headers and values in the user's language: labels, country names, yes/no, year-only dates
written as the year) and for machines (`codes`: English column names, raw codes, ISO dates).
Both carry the signing date's precision and the end reason. Every cell goes through
exports._cell, the formula neutralisation, unchanged."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Activity, Agreement, CooperationArea
from citydiplomacy.analytics.exports import (
    ACTIVITY_COLUMNS,
    AGREEMENT_COLUMNS,
    PUBLIC_AGREEMENT_COLUMNS,
    _cell,
    agreement_rows,
)
from citydiplomacy.places.countries import country_name

# the columns that are not a field of the model, with their header for people
_EXTRA_HEADERS = {
    "id": lambda: _("Id"), "organisation": lambda: _("Organisation"), "partner": lambda: _("Partner"),
    "partner_country": lambda: _("Partner country"), "instrument": lambda: _("Instrument"),
    "status": lambda: _("Status"), "areas": lambda: _("Cooperation areas"),
    "imported": lambda: _("Imported (steps not recorded)"), "agreement": lambda: _("Agreement"),
}
AGREEMENT_EXTRA = ["signed_on_precision", "end_reason"]


def _header(model, column: str) -> str:
    if column in _EXTRA_HEADERS:
        return _EXTRA_HEADERS[column]()
    return _capitalised(str(model._meta.get_field(column).verbose_name))


def _capitalised(text: str) -> str:
    """The first letter upper-cased by the language's rule (Turkish: i → İ, ı → I)."""
    first = text[:1]
    if (get_language() or "").startswith("tr"):
        first = {"i": "İ", "ı": "I"}.get(first, first)
    return first.upper() + text[1:]


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else ""


def _yes_no(value) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def agreement_table(agreements, *, public: bool = False, codes: bool = False):
    """(header, rows) of the agreements export."""
    agreements = list(agreements)
    base = PUBLIC_AGREEMENT_COLUMNS if public else AGREEMENT_COLUMNS
    columns = [*base, *AGREEMENT_EXTRA]
    _names, rows = agreement_rows(agreements, public=public)
    table = []
    for a, row in zip(agreements, rows, strict=True):
        record = dict(zip(base, row, strict=True))
        record["signed_on_precision"] = a.signed_on_precision if a.signed_on else ""
        record["end_reason"] = _cell(a.end_reason)
        if not codes:
            record["instrument"] = _label(Instrument.choices, a.instrument)
            record["status"] = _label(State.choices, a.state)
            record["partner_country"] = country_name(record["partner_country"]) or record["partner_country"]
            record["signed_on_precision"] = _label(Agreement._meta.get_field("signed_on_precision").choices,
                                                   record["signed_on_precision"])
            if a.signed_on and a.signed_on_precision == "year":
                record["signed_on"] = str(a.signed_on.year)
            if not public:
                record["permission_granted"] = _yes_no(a.permission_granted)
                record["imported"] = _yes_no(a.is_imported)
                record["areas"] = "; ".join(_label(CooperationArea.choices, x) for x in a.areas or [])
        table.append([record[c] for c in columns])
    header = columns if codes else [_header(Agreement, c) for c in columns]
    return header, table


def activity_table(activities, *, codes: bool = False):
    """(header, rows) of the activities export."""
    from citydiplomacy.analytics.exports import activity_rows

    activities = list(activities)
    _names, rows = activity_rows(activities)
    if codes:
        return ACTIVITY_COLUMNS, rows
    table = []
    for a, row in zip(activities, rows, strict=True):
        record = dict(zip(ACTIVITY_COLUMNS, row, strict=True))
        record["kind"] = _label(Activity.Kind.choices, a.kind)
        record["area"] = _label(CooperationArea.choices, a.area)
        record["status"] = _label(Activity.Status.choices, a.status)
        table.append([record[c] for c in ACTIVITY_COLUMNS])
    return [_header(Activity, c) for c in ACTIVITY_COLUMNS], table
