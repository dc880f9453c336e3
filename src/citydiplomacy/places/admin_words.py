"""Administrative words around a partner's name, as a data table.

Owns the reading of ``data/places/admin_words.csv``: which words ("X Municipality",
"Gmina X", "Landkreis X", "Comune di X", ...) say that a name is an administrative unit,
where they stand (prefix or suffix) and what the name then means:

- ``unit``: the unit only. "Tartu Parish" is never the city of Tartu; when no unit of that
  name is known the name stays unresolved (towns are offered as suggestions only).
- ``unit_or_town``: these units are the town's own local government ("Comune di Lucca",
  "Botkyrka kommun"), so the name means the town of that name when that town is
  unambiguous (the resolver's "strict" lookup), otherwise the municipal unit of that name
  ("Botkyrka kommun": no town Botkyrka, the GeoNames unit). The town is tried first because
  a unit of the bare name can be a bigger one: "Lucca" is also the province IT-LU, which
  "Comune di Lucca" is not. An ambiguous town stays ambiguous.

``normalize.parse_name`` asks ``strip_admin_word`` before its built-in affixes; the resolver
reads the hints it returns ("region" for a unit, "unit" for unit-or-town).
"""

from __future__ import annotations

import csv
from functools import lru_cache

from .gazetteer import DATA_DIR

ADMIN_WORDS = DATA_DIR / "places" / "admin_words.csv"
UNIT, UNIT_OR_TOWN = "unit", "unit_or_town"
MEANINGS = (UNIT, UNIT_OR_TOWN)


@lru_cache(maxsize=1)
def admin_words() -> tuple[tuple[str, str, str], ...]:
    """(folded word, "prefix"|"suffix", meaning), longest words first."""
    from .normalize import fold

    out = []
    with ADMIN_WORDS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["position"] not in ("prefix", "suffix") or row["means"] not in MEANINGS:
                raise ValueError(f"admin_words.csv: bad row {row}")
            out.append((fold(row["word"]), row["position"], row["means"]))
    return tuple(sorted(out, key=lambda w: -len(w[0])))


def strip_admin_word(key: str) -> tuple[str, str] | None:
    """(the name without the word, its meaning) for a folded name, or None."""
    for word, position, means in admin_words():
        if position == "prefix" and key.startswith(word + " ") and len(key) > len(word) + 3:
            return key[len(word) + 1:], means
        if position == "suffix" and key.endswith(" " + word) and len(key) > len(word) + 3:
            return key[: -len(word) - 1], means
    return None
