"""Writes to the registry of local governments, with their validation rules.

Direct edits change descriptive fields only: a record's identity (models.IDENTITY_FIELDS) is
set when it is created (or identified from the gazetteer by places.services.record_choice)
and changed afterwards only through a steward's decision (governments.corrections)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.governments.models import IDENTITY_FIELDS, GovernmentKind, LocalGovernment
from citydiplomacy.places.countries import is_country_code

EDITABLE_FIELDS = (
    "name", "official_name", "kind", "country_code", "parent", "wikidata_id",
    "geonameid", "region_code", "latitude", "longitude", "population",
)


def validate_country_code(code: str) -> str:
    """ISO 3166-1 alpha-2, or XK / XC (Northern Cyprus) as places.countries accepts them."""
    code = (code or "").strip().upper()
    if code and not is_country_code(code):
        raise ValidationError({"country_code": _("Unknown country code “%(code)s”; use ISO 3166-1 alpha-2, e.g. NL.") % {"code": code}})
    return code


def _apply(government: LocalGovernment, data: dict[str, Any]) -> LocalGovernment:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in data.items():
        setattr(government, field, value)
    government.country_code = validate_country_code(government.country_code)
    if not (government.name or "").strip():
        raise ValidationError({"name": _("A name is required.")})
    if government.kind not in GovernmentKind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    if government.parent_id and government.parent_id == government.pk:
        raise ValidationError({"parent": _("A local government cannot be its own parent.")})
    government.wikidata_id = (government.wikidata_id or "").strip()
    if government.wikidata_id and not re.fullmatch(r"Q[1-9][0-9]*", government.wikidata_id):
        raise ValidationError({"wikidata_id": _("A Wikidata id is Q followed by digits, e.g. Q406.")})
    government.full_clean(exclude=["search_text"])
    return government


@transaction.atomic
def create_local_government(*, actor, **data) -> LocalGovernment:
    if actor is not None and not permissions.can_edit_registry(actor):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    government = _apply(LocalGovernment(), data)
    government.save()
    return government


def identity_value(government: LocalGovernment, field: str):
    """A stored identity value in the form proposals and event facts hold (parent as id)."""
    return government.parent_id if field == "parent" else getattr(government, field)


def _comparable(field: str, value):
    if field == "parent":
        return getattr(value, "pk", value)
    if field == "country_code":
        return (value or "").strip().upper()
    if field in ("latitude", "longitude") and value is not None:
        return float(value)
    return value


def changed_identity(government: LocalGovernment, data: dict[str, Any]) -> dict[str, Any]:
    """The identity fields `data` would change on `government` ({field: new value})."""
    return {field: data[field] for field in IDENTITY_FIELDS if field in data
            and _comparable(field, data[field]) != _comparable(field, identity_value(government, field))}


def identity_locked_error(fields) -> ValidationError:
    message = _("The identity of a local government (country, GeoNames id, kind, parent, region, "
                "coordinates) comes from the gazetteer or from a registry steward's decision and "
                "cannot be edited directly: propose a correction instead.")
    return ValidationError({field: [message] for field in fields})


@transaction.atomic
def update_local_government(government: LocalGovernment, *, actor, **data) -> LocalGovernment:
    """Change a record's descriptive fields. Identity fields may be sent unchanged (a PUT of
    the whole record); a change to any of them is refused, whoever asks."""
    if not permissions.can_edit_registry_record(actor, government):
        if permissions.can_edit_registry(actor):
            raise PermissionDenied(_("Only this organisation's administrator may change its record."))
        raise PermissionDenied(_("Only officers and administrators may change local governments."))
    government = LocalGovernment.objects.select_for_update().get(pk=government.pk)
    locked = changed_identity(government, data)
    if locked:
        raise identity_locked_error(locked)
    _apply(government, data)
    government.save()
    return government


def load_partner_wikidata_ids(path, organisation: LocalGovernment) -> dict[str, int]:
    """Give the organisation's partners the Wikidata ids of a sourced file (columns partner,
    partner_country, wikidata_id, source; partner as in its relations file). A malformed id or a
    row without a source refuses the whole file; an id already set is never overwritten.
    Returns counts: set, already (same id), different (kept, another id), unmatched."""
    import csv
    import re

    from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN

    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if not re.match(WIKIDATA_ID_PATTERN, row.get("wikidata_id") or "") or not (row.get("source") or "").strip():
            raise ValidationError(_("Line %(line)s: a Wikidata id (Q followed by digits) and a source are "
                                    "required.") % {"line": number})
    partners = LocalGovernment.objects.filter(
        partner_agreements__organisation=organisation).distinct()
    by_name: dict[str, list[LocalGovernment]] = {}
    for partner in partners:
        for name in {partner.name, partner.raw_name}:
            if name:
                by_name.setdefault(name, []).append(partner)
    counts = {"set": 0, "already": 0, "different": 0, "unmatched": 0}
    with transaction.atomic():
        for row in rows:
            matches = by_name.get(row["partner"], [])
            if len(matches) != 1:
                counts["unmatched"] += 1
                continue
            partner = matches[0]
            if partner.wikidata_id == row["wikidata_id"]:
                counts["already"] += 1
            elif partner.wikidata_id:
                counts["different"] += 1
            else:
                partner.wikidata_id = row["wikidata_id"]
                partner.save(update_fields=["wikidata_id"])
                counts["set"] += 1
    return counts


@transaction.atomic
def create_from_gazetteer(*, actor, geonameid: int) -> LocalGovernment:
    """The registry entry for a gazetteer place, added from its GeoNames record (name, country,
    region, coordinates, population) so that nobody types coordinates; an entry that already
    carries this GeoNames id is returned unchanged."""
    from citydiplomacy.places.models import Place

    if actor is not None and not permissions.can_edit_registry(actor):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    existing = LocalGovernment.objects.filter(geonameid=geonameid).first()
    if existing is not None:
        return existing
    place = Place.objects.filter(geonameid=geonameid).first()
    if place is None:
        raise ValidationError({"partner": _("This place is not in the gazetteer.")})
    government = _apply(LocalGovernment(), {
        "name": place.name, "kind": GovernmentKind.MUNICIPALITY, "country_code": place.country_code,
        "geonameid": place.geonameid, "region_code": place.region_code,
        "latitude": place.latitude, "longitude": place.longitude,
        "population": place.population or None})
    government.save()
    return government
