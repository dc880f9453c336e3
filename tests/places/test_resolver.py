"""The resolver on the full packaged gazetteer (built once per session, ~12 s)."""

from pathlib import Path

import pytest

from tests.places.sample import score_sample

SAMPLE = Path(__file__).with_name("resolver_sample.csv")


@pytest.mark.parametrize("name,country,code", [
    ("Constanța", "Romania", "680963"),
    ("Constanţa", "Romania", "680963"),
    ("Constanta", "Romania", "680963"),
    ("Durres", "Albania", "3185728"),
    ("Saraybosna", "Bosna Hersek", "3191281"),
    ("Köln", "Germany", "2886242"),
    ("Istanbul", "Turkey", "745044"),
    ("Constantinople", "Türkiye", "745044"),
    ("Rotterdam", "Netherlands", "2747891"),
    ("Albany", "New York, United States", "5106834"),
    ("Cleveland", "Ohio, United States", "5150529"),
    ("Zakynthos", "Grece", "251280"),
    ("Manakara", "Madagaskar", "1061605"),
    ("Batumi", "Georgia (country)", "615532"),
    ("Kolpino (Saint Petersburg)", "Russia", "546105"),
    ("County Limerick", "Republic of Ireland", "IE-LK"),
    ("Parma Province", "Italy", "IT-PR"),
    ("Saarland", "Germany", "DE-SL"),
])
def test_messy_patterns_resolve(full_resolver, name, country, code):
    res = full_resolver.resolve(name, country)
    assert res.status == "resolved", res.reason
    assert res.code == code, res.best


@pytest.mark.parametrize("name,country,code", [
    # GeoNames second-level units (data/places/geonames_admin.tsv.gz): municipalities that
    # are no populated place of that name
    ("Meierijstad", "Netherlands", "G11669500"),
    ("Smallingerland", "Netherlands", "G2747091"),  # GeoNames: "Gemeente Smallingerland"
    ("Botkyrka", "Sweden", "G2720114"),  # "Botkyrka Kommun"
    ("Port Phillip", "Australia", "G7839819"),
    ("Gniezno County", "Poland", "G7531081"),  # "Powiat gnieźnieński"
    ("Songpa (Seoul)", "South Korea", "G8349536"),
    ("Seoul – Gangseo", "South Korea", "G1843128"),  # not Gangseo-gu of Busan
    # a GeoNames-only name of a unit does not beat the town ("Masty District" is a rayon)
    ("Masty", "Belarus", "625367"),
    ("Djibouti City", "Djibouti", "223817"),
    # the homonym that names the only municipality of that name (Burwood NSW, not the
    # Melbourne suburb)
    ("Burwood", "Australia", "2172995"),
    # Russian adjectival unit names in two transliterations
    ("Yeysky District", "Russia", "G466879"),  # GeoNames "Yeyskiy Rayon"
    ("Kaliningrad Oblast", "Russia", "RU-KGD"),  # "Kaliningradskaya oblast'"
    # a comma qualifier naming a region narrows homonyms to it
    ("Friedberg, Bavaria", "Germany", "2924803"),
])
def test_administrative_units_and_qualifiers(full_resolver, name, country, code):
    res = full_resolver.resolve(name, country)
    assert res.status == "resolved", (res.reason, res.alternatives)
    assert res.code == code, res.best


def test_namesake_rule_only_where_municipalities_are_geonames_units(full_resolver):
    # Japanese towns are not GeoNames ADM2 units, so Ikeda city (Osaka) does not win over
    # the town Ikeda (Hokkaido) on that ground
    assert full_resolver.resolve("Ikeda", "Japan").status == "ambiguous"


def test_northern_cyprus_is_kept_distinct(full_resolver):
    res = full_resolver.resolve("Kyrenia", "Northern Cyprus")
    assert res.status == "resolved" and res.country_code == "XC"
    assert full_resolver.resolve("Limassol", "Cyprus").country_code == "CY"


def test_administrative_units_never_become_towns(full_resolver):
    res = full_resolver.resolve("Grybów (rural gmina)", "Poland")  # no gmina in the gazetteer
    assert res.status == "unresolved" and res.best is None
    assert [c.name for c in res.alternatives] == ["Grybów"]  # offered, not chosen
    res = full_resolver.resolve("Starnberg (district)", "Germany")  # the Kreis (Destatis)
    assert (res.status, res.best.kind, res.code) == ("resolved", "region", "K09188")


def test_district_not_in_gazetteer_keeps_its_parent(full_resolver):
    res = full_resolver.resolve("Wiesbaden – Mainz-Kostheim", "Germany")
    assert res.status == "unresolved" and res.parent.name == "Wiesbaden"


def test_homonyms_without_a_dominant_one_are_ambiguous(full_resolver):
    res = full_resolver.resolve("Milan", "United States")
    assert res.status == "ambiguous" and len(res.alternatives) >= 2


def test_review_choice_overrides(full_resolver):
    from citydiplomacy.places.normalize import fold

    full_resolver.choices[(fold("Milan"), fold("United States"))] = ("place", "4641630")
    try:
        res = full_resolver.resolve("Milan", "United States")
        assert res.status == "resolved" and res.code == "4641630" and res.how == "choice"
    finally:
        full_resolver.choices.clear()


def test_accuracy_on_hand_checked_sample(full_resolver):
    score = score_sample(full_resolver, SAMPLE)
    assert score.total >= 300
    assert score.accuracy >= 0.98, score.failures
    assert score.wrong == 0, score.failures  # a wrong answer is worse than abstaining
