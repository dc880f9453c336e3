"""Writes to the registry of local governments, with their validation rules."""

from __future__ import annotations

from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment

EDITABLE_FIELDS = (
    "name", "official_name", "kind", "country_code", "parent", "wikidata_id",
    "geonameid", "region_code", "latitude", "longitude", "population",
)


def validate_country_code(code: str) -> str:
    code = (code or "").strip().upper()
    # XK: Kosovo (GeoNames, no ISO code yet); XC: Northern Cyprus (places.countries)
    if code and code not in ("XK", "XC") and pycountry.countries.get(alpha_2=code) is None:
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
    government.full_clean(exclude=["search_text"])
    return government


@transaction.atomic
def create_local_government(*, actor, **data) -> LocalGovernment:
    if actor is not None and not permissions.can_edit_registry(actor):
        raise PermissionDenied(_("Only officers and administrators may add local governments."))
    government = _apply(LocalGovernment(), data)
    government.save()
    return government


@transaction.atomic
def update_local_government(government: LocalGovernment, *, actor, **data) -> LocalGovernment:
    if not permissions.can_edit_registry(actor):
        raise PermissionDenied(_("Only officers and administrators may change local governments."))
    government = LocalGovernment.objects.select_for_update().get(pk=government.pk)
    _apply(government, data)
    government.save()
    return government


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
