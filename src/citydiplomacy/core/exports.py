"""Spreadsheet-safe cells: values that a spreadsheet would run as a formula are neutralised.

A cell starting with =, +, -, @ (or a tab / carriage return) is prefixed with an apostrophe,
as OWASP recommends against CSV/formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, prefixed with an apostrophe when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens Turkish letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
