"""Country and region names in the user's language, and country look-up by any name.

The one home for turning an ISO 3166 code into a label (never show a bare code or an English
name in the Turkish UI) and for turning what a user typed ("Almanya", "Germany", "de") into a
code. Names come from pycountry's ISO 3166-1/3166-2 translations; Northern Cyprus, which ISO
does not list, is the pseudo-code XC as the national government sees it.

Also the one home of *country identity as the national government sees it*
(`national_country_code`, `country_of`): the places listed in `data/places/northern_cyprus.csv`
(Girne, Gazimağusa, Güzelyurt, Lapta, İskele, Lefke, the Turkish municipality of Lefkoşa) belong
to the Turkish Republic of Northern Cyprus (XC), although GeoNames files them under CY; so does
any partner whose country text names Northern Cyprus. The resolver, the imports, the registry,
the policy layer and the recommender ask here.
"""

from __future__ import annotations

import csv
import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from citydiplomacy.places.gazetteer import DATA_DIR, NORTHERN_CYPRUS
from citydiplomacy.places.normalize import fold

NORTHERN_CYPRUS_PLACES = DATA_DIR / "places" / "northern_cyprus.csv"
REGION_NAMES = DATA_DIR / "places" / "region_names.csv"

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


@lru_cache(maxsize=1)
def _region_names() -> dict[tuple[str, str], str]:
    with REGION_NAMES.open(encoding="utf-8", newline="") as handle:
        return {(row["region_code"].strip().upper(), row["language"].strip()): row["name"].strip()
                for row in csv.DictReader(handle)}


def region_name(code: str | None, language: str | None = None) -> str:
    """An ISO 3166-2 subdivision's name in `language`; the code itself when unknown."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    vendored = _region_names().get((code, _lang(language)))
    if vendored:
        return vendored
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
    return list(_sorted_countries(_lang(language), include_xc))


@lru_cache(maxsize=16)
def _sorted_countries(lang: str, include_xc: bool) -> tuple[tuple[str, str], ...]:
    # every filter form lists the countries: named and sorted once per language, not per view
    codes = [record.alpha_2 for record in pycountry.countries] + ["XK"]
    if include_xc:
        codes.append(NORTHERN_CYPRUS_CODE)
    pairs = [(code, country_name(code, lang)) for code in codes]
    return tuple(sorted(pairs, key=lambda pair: fold(pair[1])))


# --- country identity as the national government sees it ------------------------------------
@lru_cache(maxsize=1)
def _northern_cyprus() -> tuple[frozenset[int], frozenset[str]]:
    """(GeoNames ids, folded names) of the rows of data/places/northern_cyprus.csv."""
    ids, names = set(), set()
    with NORTHERN_CYPRUS_PLACES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["geonameid"].strip():
                ids.add(int(row["geonameid"]))
            names.update(fold(name) for name in (row["name"], row["name_tr"],
                                                 *(row.get("other_names") or "").split("|"))
                         if name.strip())
    return frozenset(ids), frozenset(names)


def northern_cyprus_geonameids() -> frozenset[int]:
    return _northern_cyprus()[0]


def is_northern_cyprus_name(name: str | None) -> bool:
    """True for a name of a row of northern_cyprus.csv (e.g. "Lefkoşa Türk Belediyesi")."""
    return fold(name or "") in _northern_cyprus()[1]


def northern_cyprus_texts() -> tuple[str, ...]:
    """Lower-case words by which a country text names Northern Cyprus, for database look-ups
    (`names_northern_cyprus` is the same rule in Python)."""
    names = (*_XC_ALIASES, "kuzey kıbrıs", *(name.lower() for name in _XC_NAMES.values()))
    return tuple(dict.fromkeys(names))


def unlisted_northern_cyprus_name(name: str | None, country_code: str,
                                  geonameid: int | None) -> bool:
    """A name of northern_cyprus.csv that is no GeoNames place of its own (the Turkish
    municipality of Lefkoşa): the resolver leaves it unresolved under XC, never the whole
    divided city of Nicosia."""
    return (country_code in ("", "CY", NORTHERN_CYPRUS_CODE) and is_northern_cyprus_name(name)
            and geonameid not in northern_cyprus_geonameids())


@lru_cache(maxsize=4096)  # country texts repeat: exports ask for every row
def names_northern_cyprus(text: str | None) -> bool:
    """True when a country text names Northern Cyprus ("KKTC", "Northern Cyprus (TRNC)", ...)."""
    key = fold(text or "")
    if not key:
        return False
    return any(alias in key for alias in _folded_xc_aliases())


@lru_cache(maxsize=1)
def _folded_xc_aliases() -> tuple[str, ...]:
    """The aliases folded once (a constant of the data files; exports call this per row)."""
    return tuple(fold(alias) for alias in (*_XC_ALIASES, *_XC_NAMES.values()))


def national_country_code(code: str | None, *, geonameid: int | None = None,
                          raw_country: str | None = "", territory: str | None = "",
                          name: str | None = "") -> str:
    """The country code as the national government sees it: XC for a place of
    northern_cyprus.csv (by GeoNames id, or by name where the code says Cyprus), a territory
    flagged "northern_cyprus" or a country text naming Northern Cyprus; otherwise the code
    given (upper case)."""
    code = (code or "").strip().upper()
    if code == NORTHERN_CYPRUS_CODE:
        return code
    if geonameid is not None and geonameid in northern_cyprus_geonameids():
        return NORTHERN_CYPRUS_CODE
    if code in ("", "CY") and name and is_northern_cyprus_name(name):
        return NORTHERN_CYPRUS_CODE
    if (territory or "").lower() == NORTHERN_CYPRUS or names_northern_cyprus(raw_country):
        return NORTHERN_CYPRUS_CODE
    return code


def country_of(record) -> str:
    """`national_country_code` of anything with `country_code` (and optionally `geonameid`,
    `raw_country`, `territory`): a LocalGovernment, a resolver candidate, a sketch."""
    if record is None:
        return ""
    return national_country_code(
        getattr(record, "country_code", ""), geonameid=getattr(record, "geonameid", None),
        raw_country=getattr(record, "raw_country", ""), territory=getattr(record, "territory", ""))
