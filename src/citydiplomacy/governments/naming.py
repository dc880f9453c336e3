"""Name normalisation used for search over local-government names.

Folds case and diacritics (Turkish dotted/dotless i included) so that "İstanbul",
"istanbul" and "ISTANBUL" meet, and "Köln" meets "Koln".
"""

from __future__ import annotations

from citydiplomacy.places.normalize import fold_letters


def search_key(text: str) -> str:
    """Letters folded (places.normalize.fold_letters), words separated by single spaces;
    punctuation is kept, so a prefix typed in a search box still matches."""
    return " ".join(fold_letters(text).split())
