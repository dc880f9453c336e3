"""Name normalisation used for search over local-government names.

Folds case and diacritics (Turkish dotted/dotless i included) so that "İstanbul",
"istanbul" and "ISTANBUL" meet, and "Köln" meets "Koln".
"""

from __future__ import annotations

import unicodedata

from unidecode import unidecode


def search_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("İ", "I").replace("ı", "i")
    return " ".join(unidecode(text).lower().split())
