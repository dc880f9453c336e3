"""Writes: loading the gazetteer, importing twin-town lists, review choices, merging.

Public entry points (used by the management commands and by the lead's ``demo`` command):
``load_gazetteer``, ``import_pairs``, ``import_world_network``, ``get_resolver``,
``record_choice``, ``merge_local_governments``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

from .gazetteer import (
    NORTHERN_CYPRUS,
    NORTHERN_CYPRUS_CODE,
    countries_from_packages,
    is_geonames_unit,
    places_from_packages,
    regions_from_packages,
)
from .models import (
    Country,
    ImportBatch,
    Place,
    PlaceName,
    Region,
    ReportedTie,
    ReviewChoice,
    ReviewChoiceKind,
)
from .normalize import fold, is_latin
from .resolver import AMBIGUOUS, RESOLVED, Candidate, Resolution, Resolver

WORLD_NETWORK = Path(settings.DATA_DIR) / "twincities" / "twin_cities_raw.csv"
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportError_(ValueError):
    """A file that cannot be imported at all (wrong header, not a table, too big)."""


# --------------------------------------------------------------------------- gazetteer
def load_gazetteer(stdout=None, progress: bool = True, places=None) -> dict[str, int]:
    """(Re)load countries, regions and places; idempotent (same data gives the same tables)."""
    from rich.progress import Progress

    partial = places is not None  # a subset (tests, demos): GeoNames units of its countries only
    places = places if places is not None else places_from_packages()
    regions = regions_from_packages(
        places, unit_countries={p.country_code for p in places} if partial else None)
    countries = countries_from_packages()
    region_by_admin1 = {(r.country_code, r.admin1_code): r.code for r in regions if r.admin1_code
                        and len(r.code) <= 6 and not is_geonames_unit(r.code)}
    batch = 5000
    with transaction.atomic():
        with connection.cursor() as cursor:  # plain DELETEs: no per-row cascade collection
            for model in (PlaceName, Place, Region, Country):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        Country.objects.bulk_create(
            Country(code=c.code, name=c.name, name_tr=c.name_tr, continent=c.continent,
                    languages=c.languages, neighbours=c.neighbours,
                    alternate_names="|".join(c.alternate_names))
            for c in countries
        )
        _insert_rows(Region, REGION_COLUMNS, [  # 51,000 rows: plain tuples, COPY on PostgreSQL
            (r.code, r.name[:200], r.country_code, r.kind[:100], r.admin1_code, r.parent_code,
             r.latitude, r.longitude, "|".join(r.alternate_names), "|".join(map(str, r.namesakes)))
            for r in regions])
        with Progress(disable=not progress, console=_console(stdout)) as bar:
            task = bar.add_task(_("Loading places"), total=len(places))
            for start in range(0, len(places), batch):
                chunk = places[start:start + batch]
                place_rows, name_rows = [], []
                for p in chunk:
                    place_rows.append((
                        p.geonameid, p.name[:200], fold(p.name)[:200], "|".join(p.alternate_names),
                        p.country_code, p.admin1_code,
                        region_by_admin1.get((p.country_code, p.admin1_code), ""),
                        p.latitude, p.longitude, p.population,
                    ))
                    keys = {fold(p.name)} | {fold(a) for a in p.alternate_names if is_latin(a)}
                    name_rows += [(p.geonameid, k[:200], p.population) for k in keys if k]
                _insert_rows(Place, PLACE_COLUMNS, place_rows)
                _insert_rows(PlaceName, ("place_id", "key", "population"), name_rows)
                bar.advance(task, len(chunk))
    invalidate_resolver()
    return {"countries": len(countries), "regions": len(regions), "places": len(places)}


REGION_COLUMNS = ("code", "name", "country_code", "kind", "admin1_code", "parent_code",
                  "latitude", "longitude", "alternate_names", "namesakes")
PLACE_COLUMNS = ("geonameid", "name", "ascii_name", "alternate_names", "country_code",
                 "admin1_code", "region_code", "latitude", "longitude", "population")


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk insert plain tuples: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def _console(stdout):
    from rich.console import Console

    return Console(file=stdout) if stdout is not None else None


# --------------------------------------------------------------------------- resolver
_resolver_lock = threading.Lock()
_resolver: Resolver | None = None


def get_resolver() -> Resolver:
    """The process-wide resolver over the database gazetteer, with review choices applied
    (its index is cached on disk per gazetteer version: places/resolver_cache.py)."""
    global _resolver
    with _resolver_lock:
        if _resolver is None:
            from .resolver_cache import cached_resolver
            from .selectors import review_choices

            _resolver = cached_resolver(review_choices())
        return _resolver


_web_resolver: Resolver | None = None


def get_web_resolver() -> Resolver:
    """A resolver for web pages: same rules, places looked up in the database per query
    (built in well under a second; see ``selectors.DbResolver``)."""
    global _web_resolver
    with _resolver_lock:
        if _web_resolver is None:
            from .selectors import DbResolver, review_choices

            _web_resolver = DbResolver.build(review_choices())
        return _web_resolver


def invalidate_resolver() -> None:
    global _resolver, _web_resolver
    with _resolver_lock:
        _resolver = None
        _web_resolver = None


def _apply_choices_to_resolver() -> None:
    from .selectors import review_choices

    with _resolver_lock:
        for resolver in (_resolver, _web_resolver):
            if resolver is not None:
                resolver.choices = review_choices()


# --------------------------------------------------------------------------- reading files
EXPECTED_HEADER = ["city1", "country1", "city2", "country2"]


def decode_table_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1254 (Excel on Turkish Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1254")


def read_rows(path: Path, expected: list[str]) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts; a clear error for a wrong header or junk."""
    path = Path(path)
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ImportError_(_("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // 2**20})
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ImportError_(_("Not a readable XLSX workbook: %(err)s") % {"err": exc}) from exc
        table = [["" if v is None else str(v).strip() for v in row]
                 for row in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        data = path.read_bytes()
        if b"\x00" in data[:4096]:
            raise ImportError_(_("This is not a text CSV file."))
        text = decode_table_bytes(data)
        try:
            table = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ImportError_(_("Not a readable CSV file: %(err)s") % {"err": exc}) from exc
    if not table:
        raise ImportError_(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    if header[: len(expected)] != expected:
        raise ImportError_(
            _("Wrong header %(got)s; expected the columns %(want)s.")
            % {"got": ",".join(table[0])[:200], "want": ",".join(expected)}
        )
    width = len(expected)
    return [dict(zip(expected, (c.strip() for c in (row + [""] * width)[:width])))
            for row in table[1:]]


# --------------------------------------------------------------------------- import
@dataclass
class ImportSummary:
    source: str = ""
    rows_read: int = 0
    ties_created: int = 0
    merged_duplicates: int = 0
    unresolved_names: int = 0
    skipped_rows: list[str] = field(default_factory=list)
    governments_created: int = 0

    def lines(self) -> list[str]:
        out = [
            _("Rows read: %(n)d") % {"n": self.rows_read},
            _("Ties created: %(n)d") % {"n": self.ties_created},
            _("Merged duplicates: %(n)d") % {"n": self.merged_duplicates},
            _("Unresolved names: %(n)d") % {"n": self.unresolved_names},
            _("Local governments created: %(n)d") % {"n": self.governments_created},
        ]
        out += [_("Skipped: %(why)s") % {"why": s} for s in self.skipped_rows[:50]]
        if len(self.skipped_rows) > 50:
            out.append(_("... and %(n)d more skipped rows") % {"n": len(self.skipped_rows) - 50})
        return out


_KIND_BY_TYPE = {"county": GovernmentKind.COUNTY, "province": GovernmentKind.PROVINCE}


class _Registry:
    """Get-or-create local governments for resolutions, with in-memory caches."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver
        self.by_geonameid = dict(
            LocalGovernment.objects.filter(geonameid__isnull=False).values_list("geonameid", "id")
        )
        self.by_region = dict(
            LocalGovernment.objects.filter(geonameid__isnull=True).exclude(region_code="")
            .filter(is_unresolved=False).values_list("region_code", "id")
        )
        self.by_raw = {
            (n, c): i for n, c, i in LocalGovernment.objects.filter(is_unresolved=True)
            .values_list("raw_name", "raw_country", "id")
        }
        self.created = 0

    def _create(self, **fields) -> int:
        lg = LocalGovernment(**fields)
        lg.save()
        self.created += 1
        return lg.id

    def for_candidate(self, cand: Candidate, country_code: str, raw=("", "")) -> int:
        if cand.kind == "place":
            gid = int(cand.ref)
            if gid not in self.by_geonameid:
                self.by_geonameid[gid] = self._create(
                    name=cand.name, kind=GovernmentKind.MUNICIPALITY, country_code=country_code,
                    geonameid=gid, latitude=cand.latitude, longitude=cand.longitude,
                    population=cand.population or None, raw_name=raw[0], raw_country=raw[1],
                )
            return self.by_geonameid[gid]
        if cand.ref not in self.by_region:
            region = self.resolver._region_by_code.get(cand.ref)
            kind = _KIND_BY_TYPE.get((region.kind if region else "").lower(), GovernmentKind.REGION)
            self.by_region[cand.ref] = self._create(
                name=cand.name, kind=kind, country_code=country_code, region_code=cand.ref,
                latitude=cand.latitude, longitude=cand.longitude, raw_name=raw[0], raw_country=raw[1],
            )
        return self.by_region[cand.ref]

    def for_resolution(self, res: Resolution, name: str, country: str) -> tuple[int, bool]:
        cc = res.country_code if len(res.country_code) == 2 else ""
        if res.status == RESOLVED and res.best is not None:
            return self.for_candidate(res.best, cc or res.best.country_code, (name, country)), False
        key = (name, country)
        if key not in self.by_raw:
            parent_id = None
            if res.parent is not None:
                parent_id = self.for_candidate(res.parent, cc or res.parent.country_code)
            self.by_raw[key] = self._create(
                name=name, kind=GovernmentKind.OTHER, country_code=cc, is_unresolved=True,
                raw_name=name, raw_country=country, parent_id=parent_id,
            )
        return self.by_raw[key], True


def find_or_create_partner(name: str, country: str) -> LocalGovernment | None:
    """The partner LocalGovernment for one (name, country) of a relations list, when the
    resolver identifies it: reused by GeoNames id or region code, else created with its
    coordinates. Returns None when the name is ambiguous or unresolved, so the caller keeps
    the raw text (agreements.partners does)."""
    res = get_web_resolver().resolve(name, country)
    if res.status != RESOLVED or res.best is None:
        return None
    cand = res.best
    country_code = res.country_code if len(res.country_code) == 2 else cand.country_code
    existing = _existing_for(cand)
    if existing is not None:
        return existing
    fields = dict(name=cand.name, country_code=country_code, latitude=cand.latitude,
                  longitude=cand.longitude, raw_name=name, raw_country=country)
    if cand.kind == "place":
        fields.update(kind=GovernmentKind.MUNICIPALITY, geonameid=cand.geonameid,
                      population=cand.population or None)
    else:
        fields.update(kind=GovernmentKind.REGION, region_code=cand.ref)
    government = LocalGovernment(**fields)
    government.save()
    return government


def import_pairs(path, stdout=None, source: str | None = None) -> ImportSummary:
    """Import a city1,country1,city2,country2 file in one transaction; re-running adds nothing."""
    path = Path(path)
    rows = read_rows(path, EXPECTED_HEADER)
    source = source or path.name
    summary = ImportSummary(source=source, rows_read=len(rows))
    resolver = get_resolver()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    cache: dict[tuple[str, str], Resolution] = {}

    def resolve(name: str, country: str) -> Resolution:
        if (name, country) not in cache:
            cache[(name, country)] = resolver.resolve(name, country)
        return cache[(name, country)]

    with transaction.atomic():
        registry = _Registry(resolver)
        existing = set(
            ReportedTie.objects.filter(source=source).values_list("low_id", "high_id")
        )
        seen: set[tuple[int, int]] = set()
        unresolved_keys: set[tuple[str, str]] = set()
        new_ties = []
        pause_at = int(os.environ.get("CITYDIPLOMACY_IMPORT_PAUSE_AT_ROW", "0") or 0)
        for number, row in enumerate(rows, start=2):
            if number == pause_at:  # test hook: lets a test SIGKILL the import mid-transaction
                print("PAUSED", flush=True)
                time.sleep(120)
            if not any(row.values()):
                summary.skipped_rows.append(_("row %(n)d is empty") % {"n": number})
                continue
            if not row["city1"] or not row["city2"]:
                summary.skipped_rows.append(_("row %(n)d lacks a city name") % {"n": number})
                continue
            ids = []
            for side in ("1", "2"):
                name, country = row["city" + side], row["country" + side]
                lg_id, unresolved = registry.for_resolution(resolve(name, country), name, country)
                if unresolved:
                    unresolved_keys.add((name, country))
                ids.append(lg_id)
            if ids[0] == ids[1]:
                summary.skipped_rows.append(
                    _("row %(n)d names the same place twice") % {"n": number})
                continue
            pair = (min(ids), max(ids))
            if pair in seen or pair in existing:
                summary.merged_duplicates += pair in seen
                continue
            seen.add(pair)
            new_ties.append(pair)
        summary.unresolved_names = len(unresolved_keys)
        summary.governments_created = registry.created
        if new_ties or not ImportBatch.objects.filter(sha256=sha, source=source).exists():
            batch = ImportBatch.objects.create(
                source=source, sha256=sha, rows_read=summary.rows_read,
                ties_created=len(new_ties), merged_duplicates=summary.merged_duplicates,
                unresolved_names=summary.unresolved_names,
            )
            ReportedTie.objects.bulk_create(
                [ReportedTie(low_id=a, high_id=b, source=source, batch=batch) for a, b in new_ties],
                batch_size=2000,
            )
        summary.ties_created = len(new_ties)
    if stdout is not None:
        for line in summary.lines():
            stdout.write(line + "\n")
    return summary


def import_world_network(stdout=None) -> ImportSummary:
    """Import the vendored world twin-town network (called by ``citydiplomacy demo``)."""
    if not Place.objects.exists():
        load_gazetteer(stdout=stdout, progress=stdout is not None)
    return import_pairs(WORLD_NETWORK, stdout=stdout, source="twincities/twin_cities_raw.csv")


# --------------------------------------------------------------------------- review
def record_choice(lg: LocalGovernment, kind: str, ref: str, user) -> LocalGovernment:
    """Record a reviewer's choice for an unresolved partner and apply it.

    The choice is stored under the raw (name, country) text so later imports reuse it. If a
    local government for the chosen place already exists, the unresolved one is merged into it.
    """
    from citydiplomacy.accounts.permissions import can_edit_registry

    if not can_edit_registry(user):
        raise PermissionDenied(_("Only officers and administrators may make review choices."))
    resolver = get_web_resolver()
    cand = None
    if kind == ReviewChoiceKind.PLACE:
        cand = resolver.place_candidate(int(ref))
    elif kind == ReviewChoiceKind.REGION:
        cand = resolver.region_candidate(ref)
    if kind != ReviewChoiceKind.UNRESOLVED and cand is None:
        raise ValidationError(_("Unknown place or region."))
    with transaction.atomic():
        ReviewChoice.objects.update_or_create(
            name_key=fold(lg.raw_name or lg.name), country_key=fold(lg.raw_country),
            defaults={
                "raw_name": lg.raw_name or lg.name, "raw_country": lg.raw_country, "kind": kind,
                "geonameid": int(ref) if kind == ReviewChoiceKind.PLACE else None,
                "region_code": ref if kind == ReviewChoiceKind.REGION else "",
                "chosen_by": user,
            },
        )
        if cand is not None:
            target = _existing_for(cand)
            if target is not None and target.pk != lg.pk:
                merge_local_governments(target, lg, user)
                lg = target
            else:
                territory = resolver.parse_country(lg.raw_country)
                cc = (NORTHERN_CYPRUS_CODE if territory and territory.territory == NORTHERN_CYPRUS
                      else cand.country_code)
                lg.name = cand.name
                lg.country_code = cc
                lg.geonameid = cand.geonameid
                lg.region_code = cand.region_code
                lg.latitude, lg.longitude = cand.latitude, cand.longitude
                lg.population = cand.population or None
                lg.kind = GovernmentKind.MUNICIPALITY if cand.kind == "place" else GovernmentKind.REGION
                lg.is_unresolved = False
                lg.save()
    _apply_choices_to_resolver()
    return lg


def _existing_for(cand: Candidate) -> LocalGovernment | None:
    if cand.kind == "place":
        return LocalGovernment.objects.filter(geonameid=int(cand.ref)).first()
    return LocalGovernment.objects.filter(
        region_code=cand.ref, geonameid__isnull=True, is_unresolved=False).first()


def merge_local_governments(keep: LocalGovernment, drop: LocalGovernment, user) -> LocalGovernment:
    """Move every reported tie (and child) of ``drop`` onto ``keep``, then delete ``drop``.

    Refuses organisations (governments with member users) as ``drop``; ties that would
    duplicate an existing one or join ``keep`` to itself are removed.
    """
    from citydiplomacy.accounts.permissions import can_edit_registry

    if not can_edit_registry(user):
        raise PermissionDenied(_("Only officers and administrators may merge local governments."))
    if keep.pk == drop.pk:
        raise ValidationError(_("A local government cannot be merged with itself."))
    if drop.is_organisation:
        raise ValidationError(_("An organisation using the system cannot be merged away."))
    with transaction.atomic():
        for tie in ReportedTie.objects.filter(Q(low_id=drop.pk) | Q(high_id=drop.pk)).select_for_update():
            other = tie.high_id if tie.low_id == drop.pk else tie.low_id
            if other == keep.pk:
                tie.delete()
                continue
            low, high = min(other, keep.pk), max(other, keep.pk)
            if ReportedTie.objects.filter(low_id=low, high_id=high, source=tie.source).exists():
                tie.delete()
            else:
                tie.low_id, tie.high_id = low, high
                tie.save(update_fields=["low", "high"])
        LocalGovernment.objects.filter(parent=drop).update(parent=keep)
        if not keep.raw_name and drop.raw_name:
            keep.raw_name, keep.raw_country = drop.raw_name, drop.raw_country
            keep.save()
        drop.delete()
    return keep


# --------------------------------------------------------------------------- resolve CSV
RESOLVE_HEADER = ["name", "country"]
RESOLVE_OUT = ["name", "country", "status", "geonameid", "resolved_name", "country_code",
               "lat", "lng", "confidence"]


def resolve_file(in_path, out_path, resolver: Resolver | None = None) -> dict[str, int]:
    rows = read_rows(Path(in_path), RESOLVE_HEADER)
    resolver = resolver or get_resolver()
    counts = {RESOLVED: 0, AMBIGUOUS: 0, "unresolved": 0}
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(RESOLVE_OUT)
        for row in rows:
            res = resolver.resolve(row["name"], row["country"])
            counts[res.status] += 1
            best = res.best
            writer.writerow([
                row["name"], row["country"], res.status, res.code,
                best.name if best else "", res.country_code,
                "" if not best or best.latitude is None else f"{best.latitude:.5f}",
                "" if not best or best.longitude is None else f"{best.longitude:.5f}",
                f"{res.confidence:.2f}" if best else "",
            ])
    return counts
