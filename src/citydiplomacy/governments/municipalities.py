"""Loading Türkiye's municipalities and special provincial administrations into the registry.

The source is ``data/governments/turkish_municipalities.csv`` (see PROVENANCE.md there): one row
per body with its official code, kind, province and position. A file is checked whole before
anything is written: a duplicate code, an unknown kind, a missing parent or a position out of range
refuses the whole file and changes nothing. Loading twice adds nothing the second time; a body
already in the registry (İstanbul, Ankara from the demo) is matched by code, then by its name and
kind, and given its code instead of being duplicated.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.places.normalize import fold

MUNICIPALITIES_FILE = Path(settings.PROJECT_DIR) / "data" / "governments" / "turkish_municipalities.csv"
COLUMNS = ("code", "name", "official_name", "kind", "province_code", "parent_code",
           "population", "latitude", "longitude", "position", "source")
KINDS = {
    GovernmentKind.METROPOLITAN_MUNICIPALITY, GovernmentKind.MUNICIPALITY,
    GovernmentKind.DISTRICT_MUNICIPALITY, GovernmentKind.TOWN_MUNICIPALITY,
    GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION,
}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_rows(path: Path = MUNICIPALITIES_FILE) -> list[dict[str, str]]:
    """The file's rows, checked whole; ValidationError (with every problem found) if any is wrong."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise ValidationError(_("Wrong header in %(file)s; expected the columns %(columns)s.")
                                      % {"file": path.name, "columns": ", ".join(COLUMNS)})
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from exc
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not code:
            problems.append(_("line %(line)d: no code") % {"line": line})
        elif code in seen:
            problems.append(_("line %(line)d: the code %(code)s appears twice") % {"line": line, "code": code})
        seen.add(code)
        if row.get("kind") not in KINDS:
            problems.append(_("line %(line)d: unknown kind “%(kind)s”") % {"line": line, "kind": row.get("kind")})
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(_("line %(line)d: position out of range") % {"line": line})
    for line, row in enumerate(rows, start=2):
        if row.get("parent_code") and row["parent_code"] not in seen:
            problems.append(_("line %(line)d: unknown parent %(code)s") % {"line": line, "code": row["parent_code"]})
    if problems:
        shown = "; ".join(problems[:10])
        more = len(problems) - 10
        if more > 0:
            shown += _(" … and %(count)d more") % {"count": more}
        raise ValidationError(_("The municipality file was refused, nothing was loaded: %(problems)s")
                              % {"problems": shown})
    return rows


def _values(row: dict[str, str]) -> dict:
    return {
        "name": row["name"], "official_name": row["official_name"], "kind": row["kind"],
        "country_code": "TR", "region_code": row["province_code"],
        "population": int(row["population"]) if row["population"] else None,
        "latitude": float(row["latitude"]), "longitude": float(row["longitude"]),
    }


@transaction.atomic
def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> LoadResult:
    """Create or complete one LocalGovernment per row; all or nothing."""
    rows = read_rows(path)
    existing = {lg.official_code: lg for lg in LocalGovernment.objects.filter(country_code="TR")
                .exclude(official_code="")}
    by_name = {(fold(lg.name), lg.kind): lg for lg in LocalGovernment.objects.filter(
        country_code="TR", official_code="", kind__in=KINDS)}
    created = updated = unchanged = 0
    by_code: dict[str, LocalGovernment] = {}
    new: list[LocalGovernment] = []
    for row in rows:
        values = _values(row)
        found = existing.get(row["code"]) or by_name.get((fold(row["name"]), row["kind"]))
        if found is None:
            new.append(LocalGovernment(official_code=row["code"], **values))
            continue
        by_code[row["code"]] = found
        if found.official_code == row["code"]:
            unchanged += 1
            continue
        # A body already in the registry keeps its own name, identity and position; it gains its code.
        found.official_code = row["code"]
        found.region_code = found.region_code or row["province_code"]
        found.save(update_fields=["official_code", "region_code", "search_text", "updated_at"])
        updated += 1
    for government in new:
        government.save()
        by_code[government.official_code] = government
        created += 1
    parents = [(by_code[row["code"]], by_code[row["parent_code"]]) for row in rows
               if row["parent_code"] and by_code[row["code"]].parent_id is None]
    for child, parent in parents:
        child.parent = parent
        child.save(update_fields=["parent", "updated_at"])
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
