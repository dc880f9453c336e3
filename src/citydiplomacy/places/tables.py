"""Reading the tables users hand us (twin-town lists, relations lists, names to resolve)
within limits: regular files only, a size cap, a row cap, an XLSX header checked before
the sheet is read, zip-bomb limits for XLSX, and decoding errors reported as such.

Everything here raises ``ImportError_`` with a message in the user's language; nothing
here writes to the database.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 50 * 1024 * 1024
# An XLSX member may inflate at most this much (real sheets compress 5-30 times) and the
# whole workbook at most to ZIP_MAX_TOTAL bytes; a bomb is refused before anything inflates.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024  # members smaller than this are never refused for their ratio
ZIP_MAX_TOTAL = 1024 * 1024 * 1024


class ImportError_(ValueError):
    """A file that cannot be imported at all (wrong header, not a table, too big)."""


def max_import_rows() -> int:
    """The row cap of one imported table (setting ``CITYDIPLOMACY_IMPORT_MAX_ROWS``)."""
    return int(getattr(settings, "CITYDIPLOMACY_IMPORT_MAX_ROWS", 300_000))


def check_regular_file(path: Path, max_bytes: int) -> int:
    """The file's size; refuses devices, FIFOs, directories and files over ``max_bytes``
    without opening them."""
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise ImportError_(_("No such file: %(path)s") % {"path": path}) from exc
    if not stat.S_ISREG(info.st_mode):
        raise ImportError_(_("%(path)s is not a regular file (a device, a pipe or a folder "
                             "cannot be imported).") % {"path": path})
    if info.st_size > max_bytes:
        raise ImportError_(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20})
    return info.st_size


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (a file that grows while read is
    refused, not read on)."""
    check_regular_file(path, max_bytes)
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportError_(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20})
    return data


def check_zip_archive(source, *, max_ratio: int = ZIP_MAX_RATIO,
                      max_total: int = ZIP_MAX_TOTAL) -> zipfile.ZipFile:
    """Open ``source`` (a path or a binary file) as a zip archive whose members would not
    inflate beyond the limits; reads only the central directory. Raises ``ImportError_``."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportError_(_("Not a readable zip archive: %(err)s") % {"err": exc}) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR and ratio > max_ratio:
            archive.close()
            raise ImportError_(
                _("The archive member %(name)s would inflate %(ratio)d times (the limit is "
                  "%(limit)d): refused as a possible zip bomb.")
                % {"name": info.filename[:100], "ratio": ratio, "limit": max_ratio})
    if total > max_total:
        archive.close()
        raise ImportError_(_("The archive would inflate to %(mb)d MB (the limit is %(limit)d MB).")
                           % {"mb": total // 2**20, "limit": max_total // 2**20})
    return archive


def decode_table_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1254 (Excel on Turkish Windows); bytes that
    are neither are reported as a decoding error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1254")
    except UnicodeDecodeError as exc:
        raise ImportError_(
            _("This is not a text file in UTF-8 or Windows-1254: byte 0x%(byte)02x at "
              "position %(pos)d cannot be decoded.")
            % {"byte": data[exc.start], "pos": exc.start}) from exc


def _check_header(first: list[str], expected: list[str]) -> None:
    header = [h.strip().lower() for h in first]
    if header[: len(expected)] != expected:
        raise ImportError_(
            _("Wrong header %(got)s; expected the columns %(want)s.")
            % {"got": ",".join(first)[:200], "want": ",".join(expected)}
        )


def _capped(rows: Iterator[list[str]], cap: int) -> list[list[str]]:
    out = []
    for row in rows:
        if len(out) >= cap:
            raise ImportError_(
                _("The file has more than %(cap)s rows; the limit is %(cap)s (setting "
                  "CITYDIPLOMACY_IMPORT_MAX_ROWS). Split it into smaller files.")
                % {"cap": f"{cap:,}"})
        out.append(row)
    return out


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def _sheet_rows(parser) -> Iterator[list[str]]:
    """The rows of openpyxl's streaming sheet parser as lists of strings, by column."""
    for _index, cells in parser.parse():
        row: list[str] = []
        for cell in cells:
            column = int(cell["column"]) - 1
            row.extend([""] * (column + 1 - len(row)))
            row[column] = _cell_text(cell["value"])
        yield row


def _xlsx_rows(path: Path, expected: list[str], cap: int) -> list[list[str]]:
    """The first sheet's rows, streamed from the archive: the header is checked as soon as
    its row is parsed (``openpyxl.load_workbook`` would parse a whole sheet that lacks a
    dimension element before giving back anything)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        with open(path, "rb") as handle:
            check_zip_archive(handle).close()
    except ImportError_ as exc:
        raise ImportError_(_("Not a readable XLSX workbook: %(err)s") % {"err": exc}) from exc
    try:
        reader = ExcelReader(str(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportError_(_("Not a readable XLSX workbook: %(err)s") % {"err": exc}) from exc
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        first = next(iter(reader.parser.find_sheets()), None)
        if first is None:
            raise ImportError_(_("The file is empty."))
        with reader.archive.open(first[1].target) as source:
            rows = _sheet_rows(WorkSheetParser(source, reader.shared_strings, data_only=True))
            header = next(rows, None)
            if header is None:
                raise ImportError_(_("The file is empty."))
            _check_header(header, expected)
            return _capped(rows, cap)
    except ImportError_:
        raise
    except Exception as exc:
        raise ImportError_(_("Not a readable XLSX workbook: %(err)s") % {"err": exc}) from exc
    finally:
        reader.archive.close()


def read_rows(path, expected: list[str], *, max_rows: int | None = None) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts; a clear error for a wrong header, junk, a file
    that is not a regular file, too large, or has too many rows."""
    path = Path(path)
    cap = max_import_rows() if max_rows is None else max_rows
    check_regular_file(path, MAX_IMPORT_BYTES)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx_rows(path, expected, cap)
    else:
        data = read_limited(path, MAX_IMPORT_BYTES)
        if b"\x00" in data[:4096]:
            raise ImportError_(_("This is not a text CSV file."))
        text = decode_table_bytes(data)
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            first = next(reader, None)
            if first is None:
                raise ImportError_(_("The file is empty."))
            _check_header(first, expected)
            table = _capped(reader, cap)
        except csv.Error as exc:
            raise ImportError_(_("Not a readable CSV file: %(err)s") % {"err": exc}) from exc
    width = len(expected)
    return [dict(zip(expected, (c.strip() for c in (row + [""] * width)[:width])))
            for row in table]
