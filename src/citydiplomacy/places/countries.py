"""Country and region names in the user's language, and country look-up by any name.

The one home for turning an ISO 3166 code into a label (never show a bare code or an English
name in the Turkish UI) and for turning what a user typed ("Almanya", "Germany", "de") into a
code. Names come from pycountry's ISO 3166-1/3166-2 translations; Northern Cyprus, which ISO
does not list, is the pseudo-code XC as the national government sees it.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from citydiplomacy.places.normalize import fold

NORTHERN_CYPRUS_CODE = "XC"
_XC_NAMES = {
    "tr": "Kuzey Kıbrıs Türk Cumhuriyeti",
    "en": "Turkish Republic of Northern Cyprus",
}
_XC_ALIASES = ("northern cyprus", "turkish republic of northern cyprus", "trnc", "kktc",
               "kuzey kibris", "kuzey kibris turk cumhuriyeti")
# Common short forms that ISO's official names do not carry.
_EXTRA_ALIASES = {
    "russia": "RU", "syria": "SY", "iran": "IR", "south korea": "KR", "north korea": "KP",
    "palestine": "PS", "turkey": "TR", "turkiye": "TR", "bosnia": "BA", "moldova": "MD",
    "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "czech republic": "CZ", "macedonia": "MK", "kosovo": "XK", "usa": "US", "uk": "GB",
    "united states": "US", "united kingdom": "GB", "ingiltere": "GB", "abd": "US",
    "amerika": "US", "hollanda": "NL", "kosova": "XK", "rusya": "RU", "filistin": "PS",
}
_KOSOVO_NAMES = {"tr": "Kosova", "en": "Kosovo"}
# English short names where ISO's name reads like a catalogue entry ("Korea, Republic of").
_ENGLISH_SHORT = {
    "KR": "South Korea", "KP": "North Korea", "SY": "Syria", "PS": "Palestine", "IR": "Iran",
    "RU": "Russia", "LA": "Laos", "MD": "Moldova", "VE": "Venezuela", "BO": "Bolivia",
    "TZ": "Tanzania", "VN": "Vietnam", "FM": "Micronesia", "CD": "DR Congo",
}


def _lang(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0].lower()


@lru_cache(maxsize=8)
def _catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str | None, language: str | None = None) -> str:
    """The country's common name in `language` (default: the active one); '' for no code."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    lang = _lang(language)
    if code == NORTHERN_CYPRUS_CODE:
        return _XC_NAMES.get(lang, _XC_NAMES["en"])
    if code == "XK":
        return _KOSOVO_NAMES.get(lang, _KOSOVO_NAMES["en"])
    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        return code
    if lang == "en" and code in _ENGLISH_SHORT:
        return _ENGLISH_SHORT[code]
    english = getattr(record, "common_name", None) or record.name
    translated = _catalogue("iso3166-1", lang).gettext(english)
    if translated == english and english != record.name:
        translated = _catalogue("iso3166-1", lang).gettext(record.name)
    return translated


def region_name(code: str | None, language: str | None = None) -> str:
    """An ISO 3166-2 subdivision's name in `language`; the code itself when unknown."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    record = pycountry.subdivisions.get(code=code)
    if record is None:
        return code
    return _catalogue("iso3166-2", _lang(language)).gettext(record.name)


@lru_cache(maxsize=4)
def _name_index(lang: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for record in pycountry.countries:
        code = record.alpha_2
        for name in {record.name, getattr(record, "official_name", None),
                     getattr(record, "common_name", None), record.alpha_3}:
            if name:
                index.setdefault(fold(name), code)
        for other in ("tr", lang):
            index.setdefault(fold(country_name(code, other)), code)
    for alias in _XC_ALIASES:
        index[fold(alias)] = NORTHERN_CYPRUS_CODE
    for lang_names in (_XC_NAMES, _KOSOVO_NAMES):
        for name in lang_names.values():
            index[fold(name)] = NORTHERN_CYPRUS_CODE if lang_names is _XC_NAMES else "XK"
    for code, name in _ENGLISH_SHORT.items():
        index.setdefault(fold(name), code)
    for alias, code in _EXTRA_ALIASES.items():
        index.setdefault(fold(alias), code)
    return index


def is_country_code(code: str | None) -> bool:
    """True for a code the registry accepts: ISO 3166-1 alpha-2, Kosovo (XK) or Northern
    Cyprus (XC, the national government's code for the Turkish Republic of Northern Cyprus)."""
    upper = (code or "").strip().upper()
    return upper in (NORTHERN_CYPRUS_CODE, "XK") or (
        len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None)


def country_code_from_text(text: str | None, language: str | None = None) -> str | None:
    """The code for a country typed as a code or a name in Turkish or English; None if unknown."""
    raw = (text or "").strip()
    if not raw:
        return None
    if len(raw) == 2 and raw.isalpha():
        upper = raw.upper()
        if is_country_code(upper):
            return upper
    return _name_index(_lang(language)).get(fold(raw))


def country_choices(language: str | None = None, include_xc: bool = True) -> list[tuple[str, str]]:
    """(code, localised name) for every country, sorted by the localised name."""
    lang = _lang(language)
    codes = [record.alpha_2 for record in pycountry.countries] + ["XK"]
    if include_xc:
        codes.append(NORTHERN_CYPRUS_CODE)
    pairs = [(code, country_name(code, lang)) for code in codes]
    return sorted(pairs, key=lambda pair: fold(pair[1]))
