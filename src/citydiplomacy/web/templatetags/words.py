"""Template filters that turn what the database stores into words and numbers in the user's
language: lifecycle, instrument, reminder and policy codes into their labels, country and
region codes into names, and numbers, percentages and money in the locale's format
("17.045", "%40,9", "185.000,00 TL" in Turkish; "17,045", "40.9%", "TRY 185,000.00" in
English). Nothing a user reads should be a raw code (see tests/web/test_every_page_in_turkish.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.places.countries import country_name, region_name
from citydiplomacy.places.world_regions import world_region_name

register = template.Library()

REMINDER_KINDS = {
    "anniversary": gettext_lazy("Anniversary"),
    "expiry": gettext_lazy("Expiry"),
    "renewal": gettext_lazy("Renewal"),
    "permission_waiting": gettext_lazy("Permission awaited"),
}
_TURKISH_LETTERS = re.compile(r"[çğıöşüÇĞİÖŞÜ]")
_TURKISH_WORDS = re.compile(r"\b(ve|ile|bir|için|olarak|belediye\w*|tarihinde|kararı)\b", re.IGNORECASE)


def _turkish() -> bool:
    return (get_language() or "").startswith("tr")


@register.filter
def state_label(code) -> str:
    """A lifecycle state's name ("—" for none)."""
    if not code:
        return "—"
    return str(State(code).label) if code in State.values else str(code)


@register.filter
def instrument_label(code) -> str:
    return str(Instrument(code).label) if code in Instrument.values else str(code or "—")


@register.filter
def reminder_kind(code) -> str:
    return str(REMINDER_KINDS.get(code, code))


@register.filter
def country(code) -> str:
    """A country code as its name in the user's language ("—" for none)."""
    return country_name(code) or "—"


@register.filter
def region(code) -> str:
    return region_name(code) or "—"


@register.filter
def world_region(name) -> str:
    """A UN world region or sub-region ("Western Asia") in the user's language."""
    return world_region_name(name) or "—"


@register.filter
def authority_name(value) -> str:
    """A permitting authority (a record, or its English name as stored on an agreement) in the
    user's language."""
    from citydiplomacy.policy.models import PermittingAuthority

    if not isinstance(value, PermittingAuthority):
        text = str(value or "")
        value = PermittingAuthority.objects.filter(name_en=text).first() or text
        if isinstance(value, str):
            return value
    return value.name_for(get_language())


def _number(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def num(value, decimals=None) -> str:
    """A number with the locale's grouping and decimal mark: 17.045 / 17,045; `decimals`
    fixes the places shown (default: as many as the value has, at most 2)."""
    number = _number(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    if decimals in (None, ""):
        places = 0 if number == number.to_integral_value() else 2
        if places:
            number = number.quantize(Decimal("0.01")).normalize()
            places = max(0, -number.as_tuple().exponent)
    else:
        places = int(decimals)
    return number_format(number, places, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, decimals=1) -> str:
    """A percentage in the locale's form: "%40,9" in Turkish, "40.9%" in English ("%79"
    when the rounded value is whole)."""
    number = _number(value)
    if number is None:
        return "—"
    rounded = round(number, int(decimals))
    places = 0 if rounded == rounded.to_integral_value() else int(decimals)
    shown = number_format(rounded, places, use_l10n=True, force_grouping=True)
    return f"%{shown}" if _turkish() else f"{shown}%"


@register.filter
def share_percent(value, decimals=1) -> str:
    """A share given as a fraction (0.409) as a percentage: "%40,9"."""
    number = _number(value)
    return "—" if number is None else percent(number * 100, decimals)


@register.filter
def money(value) -> str:
    """An amount in Turkish lira: "185.000,00 TL" / "TRY 185,000.00"."""
    number = _number(value)
    if number is None:
        return "—"
    shown = number_format(number, 2, use_l10n=True, force_grouping=True)
    return f"{shown} TL" if _turkish() else f"TRY {shown}"


@register.filter
def text_language(text) -> str:
    """The language a stored text is written in, for `lang` on the quotation that shows it:
    imported sources are in English unless they read as Turkish."""
    text = str(text or "")
    return "tr" if _TURKISH_LETTERS.search(text) or _TURKISH_WORDS.search(text) else "en"


@register.filter
def is_url(text) -> bool:
    return str(text or "").strip().lower().startswith(("http://", "https://"))


@register.simple_tag
def import_reason(reason) -> str:
    """The reason recorded on an import step, in the user's language: the stored sentence was
    written in the language of whoever ran the import ("… dosyasından içe aktarıldı; imported,
    steps not recorded."); the file name is what it carries."""
    match = re.match(r"^(?:Imported from (?P<en>.+?);|(?P<tr>.+?) dosyasından içe aktarıldı;)", reason or "")
    if not match:
        return reason or ""
    return _("Imported from %(file)s; the legal steps were not recorded.") % {
        "file": match.group("en") or match.group("tr")}
