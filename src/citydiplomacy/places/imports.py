"""Import of twin-town lists (``import-pairs``): resolution, local governments, reported ties.

An import commits in batches of rows (setting ``CITYDIPLOMACY_IMPORT_BATCH_ROWS``, 1,000 by
default), so that other users' writes wait for one batch at most, never for the whole file
(on SQLite the import pauses briefly between batches, so that waiting writers get the lock).
A batch is the unit: it commits whole or not at all. The ``ImportBatch`` row records how many
rows are committed (``rows_done``); rerunning the same file (same SHA-256 and source) after
an interruption resumes after them, and the end state equals that of an uninterrupted run.
Names are resolved before any transaction opens (the resolver works in memory).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

from .models import ImportBatch, ReportedTie
from .resolver import RESOLVED, Candidate, Resolution, Resolver
from .tables import read_rows

EXPECTED_HEADER = ["city1", "country1", "city2", "country2"]


def batch_rows() -> int:
    return max(1, int(getattr(settings, "CITYDIPLOMACY_IMPORT_BATCH_ROWS", 1000)))


# SQLite has one write lock and no queue for it: a writer waiting in its busy handler retries
# every 100 ms at most, so an import that began its next batch right after a commit would
# take the lock again first, batch after batch (observed: another writer starved for 30 s).
# A pause longer than that retry interval lets the waiting writers in between two batches.
SQLITE_PAUSE_BETWEEN_BATCHES = 0.25


def _let_other_writers_in(more_batches: bool) -> None:
    if more_batches and connection.vendor == "sqlite":
        time.sleep(SQLITE_PAUSE_BETWEEN_BATCHES)


@dataclass
class ImportSummary:
    source: str = ""
    rows_read: int = 0
    ties_created: int = 0
    merged_duplicates: int = 0
    unresolved_names: int = 0
    skipped_rows: list[str] = field(default_factory=list)
    governments_created: int = 0
    resumed_after: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.resumed_after:
            out.append(_("Resumed an interrupted import after row %(n)d.")
                       % {"n": self.resumed_after + 1})
        out += [
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


_KIND_BY_TYPE = {"county": GovernmentKind.COUNTY, "province": GovernmentKind.PROVINCE,
                 # official registry units (places.registries): towns and German Kreise
                 "commune (insee cog)": GovernmentKind.MUNICIPALITY,
                 "település": GovernmentKind.MUNICIPALITY,
                 "landkreis": GovernmentKind.COUNTY, "kreis": GovernmentKind.COUNTY}


class _Registry:
    """Get-or-create local governments for resolutions, with in-memory caches.

    ``prepare`` creates, in one INSERT per kind, every local government a batch's rows need
    and that does not exist yet (one INSERT per row made the first batches of a large import
    hold their transaction for seconds); ``for_resolution`` then only looks ids up."""

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

    def _candidate_key(self, cand: Candidate) -> tuple[dict, object]:
        if cand.kind == "place":
            return self.by_geonameid, int(cand.ref)
        return self.by_region, cand.ref

    def _new_for_candidate(self, cand: Candidate, country_code: str, raw=("", "")) -> LocalGovernment:
        if cand.kind == "place":
            return LocalGovernment(
                name=cand.name, kind=GovernmentKind.MUNICIPALITY, country_code=country_code,
                geonameid=int(cand.ref), latitude=cand.latitude, longitude=cand.longitude,
                population=cand.population or None, raw_name=raw[0], raw_country=raw[1])
        region = self.resolver._region_by_code.get(cand.ref)
        kind = _KIND_BY_TYPE.get((region.kind if region else "").lower(), GovernmentKind.REGION)
        return LocalGovernment(
            name=cand.name, kind=kind, country_code=country_code, region_code=cand.ref,
            latitude=cand.latitude, longitude=cand.longitude, raw_name=raw[0], raw_country=raw[1])

    def _insert(self, pending: list[tuple[dict, object, LocalGovernment]]) -> None:
        """Create the pending governments ((id table, key, unsaved row)); record their ids."""
        rows = [row for _table, _key, row in pending]
        for row in rows:
            row.fill_search_text()
        LocalGovernment.objects.bulk_create(rows, batch_size=500)
        for table, key, row in pending:
            table[key] = row.id
        self.created += len(rows)

    def prepare(self, needed: list[tuple[Resolution, str, str]]) -> None:
        """Create the local governments that these (resolution, name, country) need."""
        known: dict = {}
        raw: dict = {}
        for res, name, country in needed:
            cc = res.country_code if len(res.country_code) == 2 else ""
            if res.status == RESOLVED and res.best is not None:
                table, key = self._candidate_key(res.best)
                if key not in table and (id(table), key) not in known:
                    known[(id(table), key)] = (table, key, self._new_for_candidate(
                        res.best, cc or res.best.country_code, (name, country)))
                continue
            if (name, country) in self.by_raw or (name, country) in raw:
                continue
            if res.parent is not None:
                table, key = self._candidate_key(res.parent)
                if key not in table and (id(table), key) not in known:
                    known[(id(table), key)] = (table, key, self._new_for_candidate(
                        res.parent, cc or res.parent.country_code))
            raw[(name, country)] = (res, cc)
        self._insert(list(known.values()))
        pending = []
        for (name, country), (res, cc) in raw.items():
            parent_id = None
            if res.parent is not None:
                table, key = self._candidate_key(res.parent)
                parent_id = table[key]
            pending.append((self.by_raw, (name, country), LocalGovernment(
                name=name, kind=GovernmentKind.OTHER, country_code=cc, is_unresolved=True,
                raw_name=name, raw_country=country, parent_id=parent_id)))
        self._insert(pending)

    def for_resolution(self, res: Resolution, name: str, country: str) -> tuple[int, bool]:
        """The id of the local government for this resolution (``prepare`` made it)."""
        if res.status == RESOLVED and res.best is not None:
            table, key = self._candidate_key(res.best)
            return table[key], False
        return self.by_raw[(name, country)], True


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _row_problem(number: int, row: dict[str, str]) -> str:
    if not any(row.values()):
        return _("row %(n)d is empty") % {"n": number}
    if not row["city1"] or not row["city2"]:
        return _("row %(n)d lacks a city name") % {"n": number}
    return ""


def import_pairs(path, stdout=None, source: str | None = None, *,
                 max_rows: int | None = None) -> ImportSummary:
    """Import a city1,country1,city2,country2 file in batches of rows; re-running adds
    nothing, and re-running an interrupted import completes it."""
    from .services import get_resolver

    path = Path(path)
    rows = read_rows(path, EXPECTED_HEADER, max_rows=max_rows)
    source = source or path.name
    sha = _file_sha256(path)
    summary = ImportSummary(source=source, rows_read=len(rows))
    resolver = get_resolver()
    cache: dict[tuple[str, str], Resolution] = {}
    unresolved_keys: set[tuple[str, str]] = set()
    for number, row in enumerate(rows, start=2):  # resolve first, outside any transaction
        problem = _row_problem(number, row)
        if problem:
            summary.skipped_rows.append(problem)
            continue
        for side in ("1", "2"):
            key = (row["city" + side], row["country" + side])
            if key not in cache:
                cache[key] = resolver.resolve(*key)
            if cache[key].status != RESOLVED or cache[key].best is None:
                unresolved_keys.add(key)
    summary.unresolved_names = len(unresolved_keys)

    batch = ImportBatch.objects.filter(sha256=sha, source=source, finished=False).first()
    start = 0
    if batch is not None:  # an interrupted run of this file: resume after its committed rows
        start = summary.resumed_after = batch.rows_done
        summary.ties_created, summary.merged_duplicates = batch.ties_created, batch.merged_duplicates
    same_source = ReportedTie.objects.filter(source=source)
    seen: set[tuple[int, int]] = set()
    if batch is not None:
        seen = set(same_source.filter(batch=batch).values_list("low_id", "high_id"))
        same_source = same_source.exclude(batch=batch)
    existing = set(same_source.values_list("low_id", "high_id"))
    needs_record = batch is None and not ImportBatch.objects.filter(sha256=sha, source=source).exists()
    registry = _Registry(resolver)
    size = batch_rows()
    for first in range(start, len(rows), size):
        end = min(first + size, len(rows))
        with transaction.atomic():
            registry.prepare([(cache[(row["city" + s], row["country" + s])],
                               row["city" + s], row["country" + s])
                              for row in rows[first:end] if not _row_problem(0, row)
                              for s in ("1", "2")])
            new_ties = []
            for index in range(first, end):
                number, row = index + 2, rows[index]
                if _row_problem(number, row):
                    continue
                ids = [registry.for_resolution(cache[(row["city" + s], row["country" + s])],
                                               row["city" + s], row["country" + s])[0]
                       for s in ("1", "2")]
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
            if batch is None and (new_ties or needs_record):
                batch = ImportBatch.objects.create(
                    source=source, sha256=sha, rows_read=len(rows), finished=False,
                    unresolved_names=summary.unresolved_names)
            summary.ties_created += len(new_ties)
            if batch is not None:
                ReportedTie.objects.bulk_create(
                    [ReportedTie(low_id=a, high_id=b, source=source, batch=batch)
                     for a, b in new_ties], batch_size=2000)
                ImportBatch.objects.filter(pk=batch.pk).update(
                    rows_done=end, ties_created=summary.ties_created,
                    merged_duplicates=summary.merged_duplicates, finished=end == len(rows))
        _let_other_writers_in(end < len(rows))
    if batch is None and needs_record:  # an empty list is recorded too
        ImportBatch.objects.create(source=source, sha256=sha, rows_read=0)
    summary.governments_created = registry.created
    if stdout is not None:
        for line in summary.lines():
            stdout.write(line + "\n")
    return summary


__all__ = ["EXPECTED_HEADER", "ImportSummary", "import_pairs"]
