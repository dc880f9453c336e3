"""Country identity as the national government sees it: the places of
data/places/northern_cyprus.csv resolve as XC (Turkish Republic of Northern Cyprus), whatever
country text a list gives them; the rest of Cyprus stays CY."""

from __future__ import annotations

import pytest

from citydiplomacy.places.countries import (
    country_of,
    is_northern_cyprus_name,
    national_country_code,
)
from citydiplomacy.places.resolver import RESOLVED, UNRESOLVED


@pytest.fixture(scope="module")
def cyprus_resolver():
    from citydiplomacy.places.gazetteer import (
        Gazetteer,
        countries_from_packages,
        places_from_packages,
    )
    from citydiplomacy.places.resolver import build_resolver

    places = [p for p in places_from_packages() if p.country_code == "CY"]
    return build_resolver(Gazetteer(places=places, countries=countries_from_packages()))


@pytest.mark.parametrize("name,country,geonameid", [
    ("Girne", "Northern Cyprus", 146412), ("Kyrenia", "Cyprus", 146412), ("Girne", "", 146412),
    ("Gazimağusa", "KKTC", 146617), ("Famagusta", "Cyprus", 146617),
    ("Güzelyurt", "Kıbrıs", 146286), ("Morphou", "Cyprus", 146286),
    ("Lapta", "KKTC", 146403), ("Lápithos", "Cyprus", 146403),
    ("İskele", "KKTC", 146027), ("Lefke", "KKTC", 146392),
])
def test_places_in_the_north_resolve_as_xc(cyprus_resolver, name, country, geonameid):
    res = cyprus_resolver.resolve(name, country)
    assert res.status == RESOLVED, res.reason
    assert (res.best.geonameid, res.country_code) == (geonameid, "XC")


@pytest.mark.parametrize("name", ["Lefkoşa Türk Belediyesi", "Nicosia Turkish Municipality", "Lefkoşa"])
def test_the_turkish_municipality_of_lefkosa_is_xc_and_never_the_whole_city(cyprus_resolver, name):
    res = cyprus_resolver.resolve(name, "KKTC")
    assert res.status == UNRESOLVED and res.country_code == "XC" and res.best is None


@pytest.mark.parametrize("name,geonameid", [("Nicosia", 146268), ("Limassol", 146384)])
def test_the_republic_of_cyprus_stays_cy(cyprus_resolver, name, geonameid):
    res = cyprus_resolver.resolve(name, "Cyprus")
    assert (res.status, res.best.geonameid, res.country_code) == (RESOLVED, geonameid, "CY")


def test_national_country_code_decides_from_the_data_file():
    assert national_country_code("cy", geonameid=146412) == "XC"
    assert national_country_code("CY", geonameid=146384) == "CY"
    assert national_country_code("", raw_country="Kuzey Kıbrıs Türk Cumhuriyeti") == "XC"
    assert national_country_code("CY", territory="northern_cyprus") == "XC"
    assert is_northern_cyprus_name("Lefkoşa Türk Belediyesi") and not is_northern_cyprus_name("Limassol")

    class Partner:
        country_code, geonameid, raw_country, territory = "CY", 146617, "", ""
    assert country_of(Partner()) == "XC" and country_of(None) == ""


@pytest.mark.django_db
def test_a_twin_town_list_imports_them_as_xc(gazetteer, tmp_path):
    import csv

    from citydiplomacy.agreements.partners import find_or_create_partner
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.places import services

    path = tmp_path / "pairs.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["city1", "country1", "city2", "country2"],
            ["Girne", "Kıbrıs", "İstanbul", "Türkiye"],
            ["Famagusta", "Cyprus", "Istanbul", "Turkey"],
            ["Lefkoşa Türk Belediyesi", "Kıbrıs", "Istanbul", "Turkey"],
            ["Limassol", "Cyprus", "Istanbul", "Turkey"],
        ])
    services.import_pairs(path)
    codes = dict(LocalGovernment.objects.values_list("name", "country_code"))
    assert (codes["Kyrenia"], codes["Famagusta"], codes["Lefkoşa Türk Belediyesi"]) == ("XC", "XC", "XC")
    assert codes["Limassol"] == "CY"
    # the agreements import's partner look-up agrees (an unresolved name still counts as XC)
    assert find_or_create_partner("Lefkoşa Türk Belediyesi", "Cyprus").country_code == "XC"
    assert find_or_create_partner("Girne", "Cyprus").geonameid == 146412
