"""Municipal units from official per-country registries (no Django).

Owns ``data/places/registry_units.tsv.gz`` (French communes and intercommunalities from the
INSEE COG, German Kreise from Destatis, German Gemeinden from the BKG VG250, English and Welsh
local authority districts from the ONS, Hungarian settlements, Italian comuni from ISTAT, Swiss
Gemeinden from the BFS) and ``registry_units_sk.tsv.gz`` (Slovak obce and their parts: a GPL-2.0
list, kept in its own file beside ``data/places/LICENSES/GPL-2.0.txt`` and read here as data);
both rebuilt by ``data/places/make_registries.py``, provenance in ``data/places/PROVENANCE.md``)
and the check that a vendored gazetteer file is whole: every file listed in
``data/places/SHA256SUMS`` is read only when its digest matches, so a corrupted or truncated copy
is refused with a clear error before anything is stored.

The units become gazetteer regions whose codes start with a registry letter (F, E, K, L, H, I,
D, S, B; see the build script). Like the GeoNames "G" units they are keyed weakly: a place of
the same name wins, and they answer only the names that cities500 and the GeoNames units do not know.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from functools import lru_cache
from pathlib import Path

from .gazetteer import DATA_DIR, RegionRecord
from .normalize import admin_keys

REGISTRY_UNITS = DATA_DIR / "places" / "registry_units.tsv.gz"
REGISTRY_UNITS_SK = DATA_DIR / "places" / "registry_units_sk.tsv.gz"  # GPL-2.0, a separate work
CHECKSUMS = DATA_DIR / "places" / "SHA256SUMS"
REGISTRY_PREFIXES = frozenset("FEKLHIDSB")
COLUMNS = ("code", "country_code", "name", "alternate_names", "kind", "parent_code",
           "latitude", "longitude", "position", "source")


class VendoredFileError(ValueError):
    """A vendored data file is missing, corrupted or truncated."""


# French communes, Hungarian settlements, Italian comuni, German and Swiss Gemeinden, Slovak obce
# (never a district)
COMMUNE_PREFIXES = frozenset("FHIDSB")
# Countries whose every municipality is a registry unit (metropolitan France, Hungary, Italy)
# Not Germany: Gemeinden merge (Elbingerode (Harz) is in Oberharz am Brocken since 2010, so the
# only Gemeinde Elbingerode today is another town than the lists' one)
COMMUNE_COUNTRIES = frozenset({"FR", "HU", "IT"})


def is_registry_unit(code: str) -> bool:
    """True for the region code of a registry unit ("F28404", "K09162", "LE07000008")."""
    return code[:1] in REGISTRY_PREFIXES and "-" not in code and len(code) > 1


def is_registry_commune(code: str) -> bool:
    """True for a registry unit that is a municipality of a COMMUNE_COUNTRIES registry."""
    return is_registry_unit(code) and code[:1] in COMMUNE_PREFIXES


def expected_digests(path: Path = CHECKSUMS) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.strip().partition("  ")
        if digest and name:
            out[Path(name).name] = digest
    return out


def verified_bytes(path: Path) -> bytes:
    """The file's bytes, after checking them against SHA256SUMS; raises VendoredFileError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VendoredFileError(f"{path.name}: cannot be read ({exc})") from exc
    expected = expected_digests().get(path.name)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise VendoredFileError(
            f"{path.name} is corrupted or truncated: its sha256 is not the one listed in "
            f"data/places/SHA256SUMS. Restore it from git or rebuild it with its make_*.py "
            f"script; the gazetteer was not changed.")
    return data


@lru_cache(maxsize=4)
def load_registry_units(path: Path = REGISTRY_UNITS) -> tuple[dict[str, str], ...]:
    """The vendored registry units (checked, read once per process)."""
    if not path.exists():
        return ()
    data = verified_bytes(path)
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise VendoredFileError(f"{path.name} is corrupted or truncated ({exc})") from exc
    rows = tuple(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(rows[0]) != COLUMNS or any(None in r or None in r.values() for r in rows):
        raise VendoredFileError(f"{path.name} does not have the expected columns {COLUMNS}")
    return rows


def registry_regions(existing: list[RegionRecord],
                     countries: set[str] | None = None) -> list[RegionRecord]:
    """Registry units as regions, except those whose name is already the name of a region
    of the same country (one unit, one answer: "Halton" is the ISO unit GB-HAL)."""
    taken: set[tuple[str, str]] = set()
    # the module attributes: tests point them elsewhere; both files are checked before any use,
    # and merged in code order (the order of the single file they were split from)
    rows = sorted((*load_registry_units(REGISTRY_UNITS), *load_registry_units(REGISTRY_UNITS_SK)),
                  key=lambda row: row["code"])
    wanted = {row["country_code"] for row in rows}
    for r in existing:
        if r.country_code in wanted:
            for name in (r.name, *r.alternate_names):
                taken.update((r.country_code, k) for k in admin_keys(name))
    out = []
    for row in rows:
        cc = row["country_code"]
        if countries is not None and cc not in countries:
            continue
        names = (row["name"], *filter(None, row["alternate_names"].split("|")))
        if any((cc, k) in taken for n in names for k in admin_keys(n)):
            continue
        out.append(RegionRecord(
            code=row["code"], name=row["name"], country_code=cc, kind=row["kind"],
            parent_code=row["parent_code"],
            latitude=float(row["latitude"]) if row["latitude"] else None,
            longitude=float(row["longitude"]) if row["longitude"] else None,
            alternate_names=names[1:],
        ))
    return out
