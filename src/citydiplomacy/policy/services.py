"""Writes to the central-government policy tables.

`load_policy_tables` loads the vendored, sourced tables (data/policy/, see PROVENANCE.md)
idempotently; `record_country_relation` is the oversight role's way to add a dated status,
for a whole country or (`region_code`, ISO 3166-2) for one region of it. Nothing else is
written: the flags a status puts on ties (needs review, policy-blocked, restricted) are
computed on every read from these rows (`policy.rules`).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.places.countries import country_name
from citydiplomacy.policy.models import CountryRelation, PermittingAuthority, RelationStatus


def policy_data_dir() -> Path:
    return Path(settings.DATA_DIR) / "policy"


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def country_code_from_name(name: str) -> str:
    """ISO2 for an English country name or code; ValidationError when unknown."""
    try:
        return pycountry.countries.lookup((name or "").strip()).alpha_2
    except LookupError as exc:
        raise ValidationError({"country_code": _("Unknown country “%(name)s”.") % {"name": name}}) from exc


def validate_country_code(code: str) -> str:
    """A required ISO 3166-1 alpha-2 code (the registry's rule, blank refused)."""
    from citydiplomacy.governments.services import validate_country_code as registry_rule

    if not (code or "").strip():
        raise ValidationError({"country_code": _(
            "Unknown country code “%(code)s”; use ISO 3166-1 alpha-2, e.g. NL.") % {"code": ""}})
    return registry_rule(code)


def validate_region_code(code: str, country_code: str) -> str:
    """Blank, or an ISO 3166-2 code of a region of `country_code` (e.g. UA-43 for UA)."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    region = pycountry.subdivisions.get(code=code)
    if region is None or region.country_code != country_code:
        raise ValidationError({"region_code": _(
            "“%(code)s” is not an ISO 3166-2 region of %(country)s.") % {
            "code": code, "country": country_name(country_code)}})
    return code


def _validate(row: CountryRelation) -> None:
    row.country_code = validate_country_code(row.country_code)
    row.region_code = validate_region_code(row.region_code, row.country_code)
    if row.status not in RelationStatus.values:
        raise ValidationError({"status": _("Unknown relation status.")})
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})


@transaction.atomic
def record_country_relation(*, actor, country_code: str, status: str,
                            valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                            basis: str = "", reference: str = "", source: str = "",
                            region_code: str = "") -> CountryRelation:
    """Add a dated status for a country or one of its regions (oversight only)."""
    if not permissions.can_write_country_relations(actor):
        raise PermissionDenied(_("Only the national oversight role may change the central-government policy table."))
    row = CountryRelation(country_code=country_code, region_code=region_code, status=status,
                          valid_from=valid_from,
                          valid_to=valid_to, basis=basis, reference=reference, source=source,
                          recorded_by=actor)
    _validate(row)
    row.save()
    return row


@transaction.atomic
def load_policy_tables(directory: Path | None = None) -> dict[str, int]:
    """Load data/policy/*.csv (idempotent: rows are matched on their key fields)."""
    directory = directory or policy_data_dir()
    counts = {"country_relations": 0, "permitting_authorities": 0}
    with open(directory / "policy_events.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            row, created = CountryRelation.objects.update_or_create(
                country_code=country_code_from_name(record["country"]),
                region_code=(record.get("region") or "").strip().upper(),
                status=record["status"].strip(), valid_from=_date(record["from"]),
                defaults={"valid_to": _date(record["to"]), "basis": record["note"].strip(),
                          "source": record["source"].strip(),
                          "reference": _("vendored table data/policy/policy_events.csv")},
            )
            _validate(row)
            counts["country_relations"] += created
    with open(directory / "permitting_authorities.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            _row, created = PermittingAuthority.objects.update_or_create(
                valid_from=_date(record["from"]), name_en=record["authority_en"].strip(),
                defaults={"valid_to": _date(record["to"]), "name_tr": record["authority_tr"].strip(),
                          "basis": record["basis"].strip(), "source": record["source"].strip()},
            )
            counts["permitting_authorities"] += created
    return counts
