"""Country names in the user's language and country look-up by any name (places.countries)."""

import pytest

from citydiplomacy.places.countries import (
    country_choices,
    country_code_from_text,
    country_name,
    region_name,
)


@pytest.mark.parametrize("code,tr,en", [
    ("DE", "Almanya", "Germany"), ("AM", "Ermenistan", "Armenia"), ("NL", "Hollanda", "Netherlands"),
    ("XC", "Kuzey Kıbrıs Türk Cumhuriyeti", "Turkish Republic of Northern Cyprus"),
    ("KR", "Güney Kore", "South Korea"), ("XK", "Kosova", "Kosovo"), ("", "", ""),
])
def test_country_name_in_each_language(code, tr, en):
    assert country_name(code, "tr") == tr
    assert country_name(code, "en") == en


@pytest.mark.parametrize("text,code", [
    ("Almanya", "DE"), ("germany", "DE"), ("de", "DE"), ("Rusya", "RU"), ("Russia", "RU"),
    ("Kuzey Kıbrıs", "XC"), ("KKTC", "XC"), ("Bosna-Hersek", "BA"), ("Filistin", "PS"),
    ("South Korea", "KR"), ("ABD", "US"), ("Narnia", None), ("", None), ("zz", None),
])
def test_country_code_from_text(text, code):
    assert country_code_from_text(text, "tr") == code


def test_region_name_and_choices():
    assert region_name("DE-BY", "en") == "Bayern"
    assert region_name("", "tr") == ""
    choices = dict(country_choices("tr"))
    assert choices["DE"] == "Almanya" and choices["XC"].startswith("Kuzey Kıbrıs")
    names = [name for _, name in country_choices("tr")]
    assert names.index("Almanya") < names.index("Ermenistan")
