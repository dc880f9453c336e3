"""Pure text helpers for place-name resolution (no Django).

``fold`` turns any spelling into a comparison key: Unicode NFC, Turkish dotted/dotless I,
diacritics and transliteration via unidecode (Constanța/Constanţa/Constanta, Durrës/Durres
meet), lower case, punctuation to spaces, and a few abbreviations spelt out (St. -> saint).

``parse_name`` splits what real lists write around a name: parenthesised parents and type
words ("Xicheng (Beijing)", "Ostholstein (district)"), dashed parent-district pairs
("Wiesbaden – Mainz-Kostheim"), comma qualifiers ("Lagoa, Algarve"), bilingual slashes
("Albula/Alvra") and administrative prefixes/suffixes ("County Limerick", "Parma Province").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from unidecode import unidecode

_PUNCT = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
}


def fold_letters(text: str) -> str:
    """The one letter folding of the project: Unicode NFC, Turkish dotted/dotless I,
    diacritics and other scripts transliterated (unidecode), lower case. `fold` (names
    compared) and governments.naming.search_key (registry search) build on it."""
    text = text or ""
    if not text.isascii():  # (unidecode is the slow part; ASCII needs none of this)
        text = unicodedata.normalize("NFC", text)
        text = text.replace("İ", "I").replace("ı", "i").replace("ß", "ss")
        text = unidecode(text)
    return text.lower()


def fold(text: str) -> str:
    """Comparison key: ascii, lower case, words separated by single spaces."""
    text = fold_letters(text).replace("'", "").replace("`", "")
    words = _PUNCT.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def is_latin(text: str) -> bool:
    """True when every letter of the text is Latin script (alternate names worth indexing)."""
    if text.isascii():  # (most names; the per-letter check below is the slow path)
        return True
    return all(_is_latin_letter(ch) for ch in text if ch.isalpha())


@lru_cache(maxsize=4096)
def _is_latin_letter(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


# Words that say "this is an administrative unit, not a town".
REGION_WORDS = {
    "county", "province", "provincia", "prefecture", "oblast", "region", "district",
    "kreis", "landkreis", "department", "departement", "voivodeship", "state", "canton",
    "governorate", "krai", "raion", "rayon", "okrug", "municipality", "gmina", "rural gmina",
    "powiat", "regional unit", "island", "islands", "borough", "regency", "area",
    "autonomous region", "autonomous community", "shire", "parish", "council",
}
# Words before "district"/"county" that still name a type; any other name there is the unit the
# town lies in ("Doksy (Kladno District)": the town Doksy of the Kladno okres).
_TYPE_QUALIFIERS = REGION_WORDS | {"local government", "rural", "urban", "municipal", "city",
                                   "metropolitan", "administrative", "regional", "census"}
# Words that say "this is the town itself".
CITY_WORDS = {"city", "town", "village", "municipality", "commune", "urban gmina", "city of"}
_PREFIXES = ("county ", "city of ", "province of ", "district of ", "municipality of ",
             "region of ", "canton of ", "town of ")
_SUFFIXES = (" county", " province", " prefecture", " oblast", " region", " district",
             " city", " municipality", " governorate", " voivodeship", " regional unit",
             " raion", " rayon", " krai", " department", " canton", " town", " borough",
             " shire", " municipal district", " island", " islands", " regency",
             " city district", " urban district", " rural district")
_DASH = re.compile(r"\s+[–—-]\s+")

# Generic words around the names of GeoNames administrative units ("Gemeente Smallingerland",
# "Botkyrka Kommun", "Powiat makowski", "Gangnam-gu", "Partido de San Isidro"): the unit is
# also keyed without them. Folded forms.
ADMIN_PREFIXES = (
    "gemeente ", "powiat ", "municipio de ", "municipio ", "municipality of ", "comune di ",
    "provincia di ", "provincia de ", "departamento de ", "departamento ", "department of ",
    "district de ", "landkreis ", "kreis ", "okres ", "city of ", "shire of ", "borough of ",
    "district of ", "concelho de ", "dimos ", "obshtina ", "opstina ", "opcina ", "gmina ",
    "comarca de ", "partido de ", "municipalite de ", "provincie ", "regional district of ",
    "county of ", "london borough of ", "royal borough of ", "metropolitan borough of ",
    "city and county of ", "town of ", "rural municipality of ", "politischer bezirk ",
    "bezirk ", "statutarstadt ", "gorodskoy okrug ", "municipiul ", "judetul ", "orasul ",
    "comuna ", "kotamadya ", "kabupaten ", "kota ",
)
ADMIN_SUFFIXES = (
    " municipality", " kommune", " kommun", " regional council", " district", " rayon",
    " raion", " county", " shi", " gun", " gu", " si", " ku", " cho", " machi", " mura", " son",
    " city", " province", " prefecture",
    " department", " municipal district", " district council", " borough", " council",
    " shire", " city council", " local council", " regional municipality", " urban district",
    " rural district", " municipal unit", " regional unit", " metropolitan borough",
    " city district", " oblast", " okrug", " linn", " vald", " novads", " savivaldybe",
    " rajono savivaldybe", " miesto savivaldybe", " obcina", " opcina", " opstina", " grad",
    " ilcesi", " belediyesi", " kunta", " kaupunki", " sum", " qu", " xian", " municipio",
    " kreis", " landkreis", " gemeinde", " municipal council", " regional county municipality",
    # the resolver's tails of ISO 3166-2 names
    " sheng", " zizhiqu", " huizu zizhiqu", " zhuangzu zizhiqu", " uygur zizhiqu",
    " weiwu er zizhiqu", " parish", " region", " kray", " krai",
)


_PREFIX_BY_FIRST: dict[str, list[str]] = {}
for _p in ADMIN_PREFIXES:
    _PREFIX_BY_FIRST.setdefault(_p.split()[0], []).append(_p)
_SUFFIX_BY_LAST: dict[str, list[str]] = {}
for _s in ADMIN_SUFFIXES:
    _SUFFIX_BY_LAST.setdefault(_s.split()[-1], []).append(_s)


def admin_keys(name: str) -> frozenset[str]:
    """Folded keys of an administrative unit: the name, and the name without generic words."""
    return admin_keys_folded(fold(name))


@lru_cache(maxsize=200_000)
def admin_keys_folded(key: str) -> frozenset[str]:
    """``admin_keys`` of an already folded name."""
    out = {key} - {""}
    todo = list(out)
    while todo:
        key = todo.pop()
        first, _, _ = key.partition(" ")
        _, _, last = key.rpartition(" ")
        for prefix in _PREFIX_BY_FIRST.get(first, ()):
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                rest = key[len(prefix):]
                if rest not in out:
                    out.add(rest)
                    todo.append(rest)
        for suffix in _SUFFIX_BY_LAST.get(last, ()):
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                rest = key[: -len(suffix)]
                if rest not in out:
                    out.add(rest)
                    todo.append(rest)
    return frozenset(out)


@dataclass
class ParsedName:
    raw: str
    variants: list[tuple[str, str | None]] = field(default_factory=list)  # (key, kind hint)
    parents: list[str] = field(default_factory=list)  # folded parent/context names
    district_of: str | None = None  # folded parent when the name is a district of it


def _strip_affixes(key: str) -> tuple[str, str | None]:
    from .admin_words import UNIT_OR_TOWN, strip_admin_word

    found = strip_admin_word(key)  # data/places/admin_words.csv first
    if found:
        return found[0], "unit" if found[1] == UNIT_OR_TOWN else "region"
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            hint = "city" if prefix.strip() in ("city of", "town of") else "region"
            return key[len(prefix):], hint
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            word = suffix.strip()
            hint = "city" if word in ("city", "town") else "region"
            return key[: -len(suffix)], hint
    return key, None


def parse_name(raw: str) -> ParsedName:
    """Variants to look up, most specific first, with a kind hint and context names."""
    parsed = ParsedName(raw=raw)
    text = unicodedata.normalize("NFC", raw or "").strip()
    hint: str | None = None
    # Parenthesised qualifiers: type words or a parent/disambiguator.
    for inner in re.findall(r"\(([^)]*)\)", text):
        word = fold(inner)
        if word in CITY_WORDS or word in ("urban gmina", "city county"):
            hint = hint or "city"
        elif word in REGION_WORDS or word.endswith((" district", " county")) and (
                word.rpartition(" ")[0] in _TYPE_QUALIFIERS):
            hint = "region"  # "(district)", "(local government district)": the name's own type
        elif word:
            parsed.parents.append(word)
    base = re.sub(r"\([^)]*\)", " ", text).strip()
    base = re.sub(r"\s+", " ", base)

    def add(key: str, kind: str | None) -> None:
        if key and (key, kind) not in parsed.variants:
            parsed.variants.append((key, kind))

    full = fold(base)
    parts = _DASH.split(base)
    if len(parts) > 1:
        # "Parent – District": the district is the partner, the parent its context.
        parent, district = fold(parts[0]), fold(parts[-1])
        parsed.parents.append(parent)
        parent_words = re.sub(r"\s+[ivxlc0-9]+$", "", parent)  # "budapest xviii", "vienna 14"
        if parent_words != parent:
            parsed.parents.append(parent_words)
        parsed.district_of = parent_words
        add(full, hint)
        add(district, hint)
        stripped, h2 = _strip_affixes(district)
        add(stripped, h2 or hint)
        return parsed
    if parsed.parents and not hint:
        parsed.district_of = parsed.parents[0]
    if "," in base:
        head, _, tail = base.partition(",")
        parsed.parents.append(fold(tail))
        full = fold(head)
    # "Halle (Saale)"-style: the qualifier may be part of the GeoNames name; try that first.
    for parent in list(parsed.parents):
        add(f"{full} {parent}", hint)
        add(f"{full} an der {parent}", hint)
        add(f"{full} am {parent}", hint)
    add(full, hint)
    stripped, h2 = _strip_affixes(full)
    if stripped != full:
        if h2 == "unit":  # "Comune di X": the town X when unambiguous, else the unit X
            add(stripped, "strict")
        add(stripped, h2 or hint)
    # "Ebensee am Traunsee", "Affoltern im Emmental": the town without its locator
    m = re.match(r"^(.+?) (am|an der|im|in der|bei|sur|sul|upon|on) .+$", full)
    if m and len(m.group(1)) >= 3:
        add(m.group(1), "strict")
    if "/" in base:
        for piece in base.split("/"):
            add(fold(piece), hint)
    return parsed


# Russian/Belarusian/Kazakh district and oblast names come as adjectives in two
# transliterations ("Yeysky District" / GeoNames "Yeyskiy Rayon", "Kaliningrad Oblast" /
# "Kaliningradskaya oblast'"): both are also keyed by the stem without the adjective ending.
SLAVIC_UNIT_WORDS = (" rayon", " raion", " district", " oblast", " kray", " krai", " region",
                     " gorodskoy okrug")  # Moscow oblast's rayony are urban okrugs since 2017
_SLAVIC_ENDINGS = tuple(sorted(
    ("skaya", "skiye", "skoye", "skoe", "skiy", "skii", "skij", "skyi", "skyy", "sky", "ska",
     "ski"), key=len, reverse=True))


_OBLAST_WORDS = (" oblast", " kray", " krai", " region")


def slavic_level(key: str) -> str:
    """"oblast" for a first-level unit word (oblast, kray, region), else "district"."""
    return "oblast" if key.endswith(_OBLAST_WORDS) else "district"


def slavic_stem(key: str, bare: bool = False) -> str:
    """The folded unit name without its unit word and adjective ending ("yeyskiy rayon" ->
    "yey"), or "" when the name is not of that form; with ``bare`` a name without an
    adjective ending gives its head ("kaliningrad oblast" -> "kaliningrad")."""
    for word in SLAVIC_UNIT_WORDS:
        if key.endswith(word):
            head = key[: -len(word)]
            break
    else:
        return ""
    words = head.split()
    if not words:
        return ""
    for ending in _SLAVIC_ENDINGS:
        if words[-1].endswith(ending) and len(words[-1]) - len(ending) >= 3:
            words[-1] = words[-1][: -len(ending)]
            return " ".join(words)
    return " ".join(words) if bare and len(head) >= 4 else ""
