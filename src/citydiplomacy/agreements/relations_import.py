"""Import of historical relations from a list (İBB's, columns as
data/istanbul/istanbul_relations.csv): records enter in their known state, flagged "imported,
steps not recorded", with one `imported` event standing for the unrecorded steps. One
transaction per file: a file with a bad row imports nothing. Partners are found or created
through agreements.partners (the places resolver when installed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    Agreement,
    AgreementEvent,
    DatePrecision,
    InternationalOrganisation,
)
from citydiplomacy.agreements.partners import country_code_for, find_or_create_partner
from citydiplomacy.agreements.validation import require_edit, validate_agreement
from citydiplomacy.governments.models import LocalGovernment

IMPORTED_NOTE = "imported, steps not recorded"


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)


_YEAR = re.compile(r"^\d{4}$")


def _imported_date(text: str) -> tuple[dt.date | None, str]:
    text = (text or "").strip()
    if not text:
        return None, DatePrecision.DAY
    if _YEAR.match(text):
        return dt.date(int(text), 1, 1), DatePrecision.YEAR
    return dt.date.fromisoformat(text), DatePrecision.DAY


def _international_organisation(name: str, country: str) -> InternationalOrganisation:
    match = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", name.strip())
    full, acronym = (match.group(1), match.group(2)) if match else (name.strip(), "")
    organisation, _created = InternationalOrganisation.objects.get_or_create(
        name=full, defaults={"acronym": acronym,
                             "country_code": country_code_for(country) if country else ""})
    return organisation


@transaction.atomic
def import_relations(path: Path | str, *, organisation: LocalGovernment, actor=None) -> ImportReport:
    """Import a list of relations (columns as data/istanbul/istanbul_relations.csv).

    Idempotent: a row whose (organisation, partner, instrument) is already imported is left
    alone. Records enter in their known state, flagged "imported, steps not recorded"; one
    `imported` event stands for all the unrecorded steps. Activities are never invented.
    """
    if actor is not None:
        require_edit(actor, organisation.pk)
    path = Path(path)
    report = ImportReport()
    for number, row in enumerate(_relation_rows(path), start=2):
        report.rows += 1
        try:
            if not row["partner"] or not row["instrument"] or not row["status"]:
                raise ValidationError(_("the row lacks a partner, an instrument or a status"))
            created = _import_row(row, organisation=organisation, actor=actor, file_name=path.name)
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.errors.append(_("line %(n)d: %(error)s") % {"n": number, "error": " ".join(messages)})
            continue
        report.created += created
        report.existing += not created
    if report.errors:
        transaction.set_rollback(True)
        raise ValidationError([_("Nothing was imported.")] + report.errors)
    return report


RELATION_COLUMNS = ("partner", "partner_country", "instrument", "council_decision_on", "signed_on",
                    "status", "ended_on", "note", "source")
REQUIRED_RELATION_COLUMNS = ("partner", "partner_country", "instrument", "status")
MAX_RELATIONS_FILE_BYTES = 5 * 1024 * 1024


def _relation_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a relations CSV (UTF-8, UTF-8 with BOM or Windows-1254; columns in any order),
    every value a stripped string; a clear ValidationError for a file that is not such a CSV."""
    from citydiplomacy.places.tables import (
        ImportError_,
        decode_table_bytes,
        max_import_rows,
        read_limited,
    )

    try:  # a regular file within the size cap, decodable as text
        data = read_limited(path, MAX_RELATIONS_FILE_BYTES)
        if b"\x00" in data[:4096]:
            raise ImportError_(_("This is not a text CSV file (UTF-8 or Windows-1254 expected)."))
        text = decode_table_bytes(data)
    except ImportError_ as exc:
        raise ValidationError(str(exc)) from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        missing = [column for column in REQUIRED_RELATION_COLUMNS if column not in header]
        if missing:
            raise ValidationError(_("Wrong header: the columns %(missing)s are missing (expected %(all)s).")
                                  % {"missing": ", ".join(missing), "all": ",".join(RELATION_COLUMNS)})
        reader.fieldnames = header
        rows = [{column: (row.get(column) or "").strip() for column in RELATION_COLUMNS}
                for row in reader]
    except csv.Error as exc:
        raise ValidationError(_("Not a readable CSV file: %(error)s") % {"error": exc}) from exc
    if len(rows) > max_import_rows():
        raise ValidationError(
            _("The file has more than %(cap)s rows; the limit is %(cap)s (setting "
              "CITYDIPLOMACY_IMPORT_MAX_ROWS). Split it into smaller files.")
            % {"cap": f"{max_import_rows():,}"})
    return rows


def _import_row(row: dict, *, organisation, actor, file_name: str) -> bool:
    instrument = row["instrument"].strip()
    state = row["status"].strip()
    if instrument not in Instrument.values:
        raise ValidationError(_("unknown instrument “%(value)s”") % {"value": instrument})
    if state not in State.values:
        raise ValidationError(_("unknown status “%(value)s”") % {"value": state})
    partner = partner_organisation = None
    if instrument == Instrument.MEMBERSHIP:
        partner_organisation = _international_organisation(row["partner"], row["partner_country"])
    else:
        partner = find_or_create_partner(row["partner"], row["partner_country"])
    existing = Agreement.objects.filter(organisation=organisation, instrument=instrument,
                                        partner=partner, partner_organisation=partner_organisation,
                                        is_imported=True)
    if existing.exists():
        return False
    council_on, _precision = _imported_date(row.get("council_decision_on", ""))
    signed_on, signed_precision = _imported_date(row.get("signed_on", ""))
    ended_on, _precision = _imported_date(row.get("ended_on", ""))
    note = (row.get("note") or "").strip()
    ending_decision = bool(council_on and ended_on and council_on == ended_on
                           and state in (State.TERMINATED, State.EXPIRED))
    name = (partner or partner_organisation).name
    agreement = Agreement(
        organisation=organisation, partner=partner, partner_organisation=partner_organisation,
        instrument=instrument, state=state,
        title=f"{organisation.name} – {name}: {Instrument(instrument).label}",
        council_decision_on=None if ending_decision else council_on,
        signed_on=signed_on, signed_on_precision=signed_precision,
        ended_on=ended_on, end_reason=note if ended_on else "",
        notes=note, source=(row.get("source") or "").strip(), is_imported=True, created_by=actor,
    )
    validate_agreement(agreement)
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement, kind=AgreementEvent.Kind.IMPORTED, from_state="", to_state=state,
        occurred_on=ended_on or signed_on or council_on, actor=actor,
        reason=_("Imported from %(file)s; %(note)s.") % {"file": file_name, "note": IMPORTED_NOTE},
        reference=(row.get("source") or "").strip()[:200],
    )
    return True

