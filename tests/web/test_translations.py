"""The Turkish catalogue is complete and its compiled .mo matches the .po (no gettext at run time)."""

import gettext
from pathlib import Path

import polib

import citydiplomacy

LOCALE = Path(citydiplomacy.__file__).parent / "locale" / "tr" / "LC_MESSAGES"


def test_every_message_has_a_turkish_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [e.msgid for e in po.translated_entries()
             if not e.msgid_plural and catalogue.gettext(e.msgid) != e.msgstr]
    assert not stale, f"run `make messages`; stale in django.mo: {stale[:10]}"
