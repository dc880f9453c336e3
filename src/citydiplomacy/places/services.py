"""Writes: loading the gazetteer, importing twin-town lists, review choices, merging.

Public entry points (used by the management commands and by the lead's ``demo`` command):
``load_gazetteer``, ``import_pairs``, ``import_world_network``, ``get_resolver``,
``record_choice``, ``merge_local_governments``.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

from .countries import national_country_code
from .gazetteer import (
    countries_from_packages,
    is_geonames_unit,
    places_from_packages,
    regions_from_packages,
)
from .models import (
    Country,
    Place,
    PlaceName,
    Region,
    ReportedTie,
    ReviewChoice,
    ReviewChoiceKind,
)
from .normalize import fold, is_latin
from .resolver import AMBIGUOUS, RESOLVED, Candidate, Resolver
from .tables import (  # noqa: F401  (the import API of this app: read_rows, limits, errors)
    MAX_IMPORT_BYTES,
    ImportError_,
    decode_table_bytes,
    read_rows,
)

if TYPE_CHECKING:
    from .imports import ImportSummary

WORLD_NETWORK = Path(settings.DATA_DIR) / "twincities" / "twin_cities_raw.csv"


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
    fields = {"name": cand.name, "country_code": country_code, "latitude": cand.latitude,
              "longitude": cand.longitude, "raw_name": name, "raw_country": country}
    if cand.kind == "place":
        fields.update(kind=GovernmentKind.MUNICIPALITY, geonameid=cand.geonameid,
                      population=cand.population or None)
    else:
        fields.update(kind=GovernmentKind.REGION, region_code=cand.ref)
    government = LocalGovernment(**fields)
    government.save()
    return government


def import_pairs(path, stdout=None, source: str | None = None, **options) -> ImportSummary:
    """Import a city1,country1,city2,country2 file (see ``imports.import_pairs``)."""
    from .imports import import_pairs as run

    return run(path, stdout=stdout, source=source, **options)


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
    if not lg.is_unresolved:
        # an identified record's identity is changed only by a steward (governments.corrections)
        raise ValidationError(_("This local government is already identified; propose a "
                                "correction of its identity instead."))
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
                cc = national_country_code(cand.country_code, geonameid=cand.geonameid,
                                           territory=territory.territory if territory else "")
                lg.name = cand.name
                lg.country_code = cc
                lg.geonameid = cand.geonameid
                lg.region_code = cand.region_code
                lg.latitude, lg.longitude = cand.latitude, cand.longitude
                lg.population = cand.population or None
                lg.kind = GovernmentKind.MUNICIPALITY if cand.kind == "place" else GovernmentKind.REGION
                lg.is_unresolved = False
                lg.save()
                # its identity now comes from the gazetteer: re-check the ties decided without it
                from citydiplomacy.governments.corrections import recheck_ties_of

                recheck_ties_of(lg)
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
    if drop.partner_agreements.exists() or drop.partner_activities.exists():
        # the ties were decided on this record's identity; moving them is a steward's decision
        raise ValidationError(_("This local government is the partner of agreements or "
                                "activities and cannot be merged away; propose a correction of "
                                "its identity instead."))
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
        if keep.is_unresolved and not keep.raw_name and drop.raw_name:
            # only an unidentified record takes raw text: an identified one's raw country would
            # change the country its ties are checked on (policy.selectors.policy_country)
            keep.raw_name, keep.raw_country = drop.raw_name, drop.raw_country
            keep.save()
        drop.delete()
    return keep


# --------------------------------------------------------------------------- resolve CSV
RESOLVE_HEADER = ["name", "country"]
RESOLVE_OUT = ["name", "country", "status", "geonameid", "resolved_name", "country_code",
               "lat", "lng", "confidence"]


def resolve_file(in_path, out_path, resolver: Resolver | None = None) -> dict[str, int]:
    from citydiplomacy.core.exports import safe_cell  # the one formula-neutralisation rule

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
            writer.writerow([safe_cell(cell) for cell in (
                row["name"], row["country"], res.status, res.code,
                best.name if best else "", res.country_code,
                "" if not best or best.latitude is None else f"{best.latitude:.5f}",
                "" if not best or best.longitude is None else f"{best.longitude:.5f}",
                f"{res.confidence:.2f}" if best else "",
            )])
    return counts
