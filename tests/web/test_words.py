"""The template filters that turn stored codes and numbers into words and numbers in the
user's language (web/templatetags/words.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from citydiplomacy.web.templatetags import words


@pytest.fixture
def turkish():
    with translation.override("tr"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_numbers_percentages_and_money_in_turkish(turkish):
    assert words.num(17045) == "17.045"
    assert words.num("2351300") == "2.351.300"
    assert words.num(3.3) == "3,3"
    assert words.num(3482932.835558, 1) == "3.482.932,8"
    assert words.percent(40.9) == "%40,9"
    assert words.percent(79.0) == "%79"
    assert words.share_percent(0.409) == "%40,9"
    assert words.money(Decimal(185000)) == "185.000,00 TL"
    assert words.num(None) == "—"


def test_numbers_percentages_and_money_in_english(english):
    assert words.num(17045) == "17,045"
    assert words.percent(40.9) == "40.9%"
    assert words.money(185000) == "TRY 185,000.00"


def test_codes_become_words_in_turkish(turkish):
    assert words.state_label("in_committee") == "Komisyonda"
    assert words.state_label("") == "—"
    assert words.instrument_label("twinning") == "Kardeş şehir"
    assert words.reminder_kind("anniversary") == "Yıl dönümü"
    assert words.reminder_kind("permission_waiting") == "Beklenen izin"
    assert words.country("NL") == "Hollanda"
    assert words.country("XC") != "XC"
    assert words.country("") == "—"


def test_imported_reason_is_one_sentence_in_the_users_language(turkish):
    mixed = "istanbul_relations.csv dosyasından içe aktarıldı; imported, steps not recorded."
    shown = words.import_reason(mixed)
    assert "imported" not in shown and "istanbul_relations.csv" in shown
    assert words.import_reason("Imported from x.csv; imported, steps not recorded.").startswith("x.csv")
    assert words.import_reason("a note") == "a note"


def test_text_language_for_quotations():
    assert words.text_language("terminated unanimously by the metropolitan council") == "en"
    assert words.text_language("Meclis kararı ile sona erdi") == "tr"
    assert words.is_url("https://example.org/x") and not words.is_url("2026/12")


def test_betweenness_method_in_turkish(turkish):
    from citydiplomacy.analytics.templatetags.analytics_tags import betweenness_method

    assert betweenness_method("sampled (1000 sources, seed 1)") == (
        "örneklenen 1000 kaynak şehirden tahmin edildi (tohum 1)")
    assert betweenness_method("exact") == "tam olarak hesaplandı"
