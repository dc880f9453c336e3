"""Reading a Wikidata Query Service export: the CSV, TSV and JSON files that the WDQS "Download"
menu gives (and the SPARQL JSON results format), with one row per item and its GeoNames id
(P1566), label, country code (P297, optional) and coordinates (P625 as WKT "Point(lon lat)").

Everything is checked before anything is used: an empty, binary, oversized or unreadable file,
a missing item column, or one malformed cell (an item that is not a Wikidata item id, a GeoNames
id that is not a number, coordinates that are not a point on the Earth) refuses the whole file
with a message naming the line. The matching rules are analytics/wikidata_import.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN

MAX_BYTES = 5 * 1024 * 1024
ENTITY_PREFIXES = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/",
                   "https://www.wikidata.org/wiki/")
QID = re.compile(WIKIDATA_ID_PATTERN)
_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
POINT = re.compile(rf"^point\s*\(\s*({_NUMBER})\s+({_NUMBER})\s*\)$", re.IGNORECASE)
# a header (the query's variable names) -> our column; the first one present wins
COLUMNS = {
    "item": ("item", "place", "city", "entity", "qid", "wikidata", "wikidata_id"),
    "geonames": ("geonames", "geonamesid", "geonames_id", "geonameid", "p1566", "gn"),
    "label": ("itemlabel", "placelabel", "citylabel", "label", "name"),
    "country": ("countrycode", "country_code", "iso", "iso2", "p297", "country"),
    "coord": ("coord", "coords", "coordinates", "location", "p625", "point"),
}


@dataclass
class ExportRow:
    line: int
    qid: str
    geonameid: int | None
    label: str
    country: str  # ISO 3166-1 alpha-2, upper case, or ""
    point: tuple[float, float] | None  # (lat, lon)


def _refuse(message: str, line: int | None = None) -> ValidationError:
    if line is None:
        return ValidationError(message)
    return ValidationError(_("Line %(line)s: %(problem)s") % {"line": line, "problem": message})


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than 5 MB. Export only the columns item, GeoNames id, "
                        "label and coordinates, for the partners you need."))
    if not data.strip():
        raise _refuse(_("The file is empty. Upload the CSV or JSON that the Wikidata Query Service "
                        "downloads (columns: item, geonames, itemLabel, coord)."))
    if b"\x00" in data:
        raise _refuse(_("The file is not text (it contains NUL bytes; is it a spreadsheet or an "
                        "image?). Upload the CSV or JSON that the Wikidata Query Service downloads."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(_("The file is not UTF-8 text (is it a spreadsheet or an image?). Upload the "
                        "CSV or JSON that the Wikidata Query Service downloads.")) from exc


def _plain(cell) -> str:
    """A cell as text without the RDF syntax of a TSV download (<iri>, "text"@lang, "x"^^<type>)
    or the {"type", "value"} object of the SPARQL JSON results."""
    if isinstance(cell, dict):
        cell = cell.get("value", "")
    if cell is None:
        return ""
    text = str(cell).strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1].strip()
    if text.startswith('"') and '"' in text[1:]:
        return text[1:text.rindex('"')]
    return text


def _records(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header names, [(line or row number, {name: cell})]) from any of the download formats."""
    stripped = text.lstrip()
    if stripped[:1] in "[{":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _refuse(_("The file looks like JSON but cannot be read (%(error)s).") % {"error": exc}) from exc
        if isinstance(data, dict):  # SPARQL JSON results
            names = (data.get("head") or {}).get("vars") or []
            data = (data.get("results") or {}).get("bindings")
        else:
            names = []
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise _refuse(_("The JSON is not a Wikidata Query Service result (a list of rows)."))
        names = names or list(dict.fromkeys(k for r in data for k in r))
        return [str(n) for n in names], [(n, r) for n, r in enumerate(data, start=1)]
    first = stripped.splitlines()[0] if stripped else ""
    # WDQS TSV cells are RDF terms ("x"@en), not CSV-quoted: its quotes are left to _plain
    reader = (csv.reader(io.StringIO(text), dialect="excel-tab", quoting=csv.QUOTE_NONE) if "\t" in first
              else csv.reader(io.StringIO(text), dialect="excel"))
    try:
        table = [row for row in reader]
    except csv.Error as exc:
        raise _refuse(_("The file cannot be read as CSV (%(error)s).") % {"error": exc}) from exc
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise _refuse(_("The file has no header and no rows."))
    header = [h.strip() for h in table[0]]
    return header, [(reader_line, dict(zip(header, row, strict=False)))
                    for reader_line, row in enumerate(table[1:], start=2)]


def _columns(header: list[str]) -> dict[str, str]:
    folded = {h.strip().lstrip("?").lower().replace(" ", ""): h for h in header}
    found = {}
    for ours, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in folded:
                found[ours] = folded[alias]
                break
    if "item" not in found:
        raise _refuse(_("The file has no item column. Give the Wikidata items in a column named "
                        "item (e.g. SELECT ?item ?geonames ?itemLabel ?coord)."))
    if "geonames" not in found and "label" not in found:
        raise _refuse(_("The file has neither a GeoNames id column (geonames, P1566) nor a label "
                        "column (itemLabel): there is nothing to match the partners by."))
    return found


def wikidata_item_id(cell: str, line: int) -> str:
    """Q406 from "Q406", "http://www.wikidata.org/entity/Q406" or a wiki page URL; anything
    else (a property, a lexeme, Q0123, Q12x) is refused."""
    value = cell
    for prefix in ENTITY_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix):]
            break
    if not QID.match(value):
        raise _refuse(_("«%(value)s» is not a Wikidata item id (Q followed by digits, e.g. Q406, "
                        "or http://www.wikidata.org/entity/Q406).") % {"value": cell[:80]}, line)
    return value


def _geonameid(cell: str, line: int) -> int | None:
    if not cell:
        return None
    if not re.fullmatch(r"[1-9][0-9]{0,9}", cell):
        raise _refuse(_("«%(value)s» is not a GeoNames id (a number, e.g. 745044).") % {"value": cell[:80]}, line)
    return int(cell)


def _point(cell: str, line: int) -> tuple[float, float] | None:
    if not cell:
        return None
    match = POINT.match(cell)
    lon, lat = (float(match.group(1)), float(match.group(2))) if match else (999.0, 999.0)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _refuse(_("«%(value)s» is not a point on the Earth; coordinates come as "
                        "Point(longitude latitude), e.g. Point(28.955 41.0136).") % {"value": cell[:80]}, line)
    return lat, lon


def _country(cell: str) -> str:
    """An ISO code (P297) as it is; a country's name or label through the project's table; an
    item IRI (no offline table of country items) gives nothing."""
    if re.fullmatch(r"[A-Za-z]{2}", cell):
        return cell.upper()
    if not cell or "/" in cell:
        return ""
    from citydiplomacy.places.countries import country_code_from_text

    return country_code_from_text(cell) or ""


def read_export(data: bytes) -> list[ExportRow]:
    """The rows of an uploaded WDQS export, every cell checked; refuses the file otherwise."""
    header, records = _records(_text(data))
    columns = _columns(header)
    rows = []
    for line, record in records:
        def cell(name: str, record=record) -> str:
            return _plain(record.get(columns[name], "")) if name in columns else ""

        rows.append(ExportRow(line=line, qid=wikidata_item_id(cell("item"), line),
                              geonameid=_geonameid(cell("geonames"), line), label=cell("label"),
                              country=_country(cell("country")), point=_point(cell("coord"), line)))
    if not rows:
        raise _refuse(_("The file has a header but no rows."))
    return rows
