"""Find or create the partner LocalGovernment for an imported relation: the one small,
swappable function between the agreements import and the places resolver.

If the places app offers a resolver (`citydiplomacy.places.services.find_or_create_partner`
taking (name, country)), it is used and brings geonameid and coordinates. When it cannot
identify the name (or is absent), the partner is matched on (name, country code) and created
with the country found by pycountry, flagged unresolved with its raw text.
Northern Cyprus is kept apart from the Republic of Cyprus under the pseudo code XC.
"""

from __future__ import annotations

from importlib import import_module

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.places.countries import country_code_from_text, national_country_code


def country_code_for(country: str) -> str:
    """ISO2 code (or XC for Northern Cyprus) for a country name; ValidationError if unknown."""
    text = (country or "").strip()
    code = country_code_from_text(text, "en")
    if code:
        return code
    try:
        return pycountry.countries.search_fuzzy(text)[0].alpha_2
    except LookupError as exc:
        raise ValidationError({"partner_country": _("Unknown country “%(name)s”.") % {"name": country}}) from exc


def _places_resolver():
    try:
        module = import_module("citydiplomacy.places.services")
    except ImportError:
        return None
    return getattr(module, "find_or_create_partner", None)


def find_or_create_partner(name: str, country: str) -> LocalGovernment:
    resolver = _places_resolver()
    if resolver is not None:
        found = resolver(name, country)
        if found is not None:
            return found
    code = national_country_code(country_code_for(country), name=name)
    existing = LocalGovernment.objects.filter(country_code=code, name__iexact=name.strip()).first()
    if existing is None:
        existing = LocalGovernment.objects.filter(country_code=code, raw_name__iexact=name.strip()).first()
    if existing is not None:
        return existing
    return LocalGovernment.objects.create(
        name=name.strip(), country_code=code, kind=GovernmentKind.MUNICIPALITY,
        raw_name=name.strip(), raw_country=country.strip(), is_unresolved=True,
    )
