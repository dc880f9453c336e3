from citydiplomacy.places.normalize import admin_keys, fold, parse_name, slavic_stem


def test_fold_meets_spellings():
    assert fold("Constanța") == fold("Constanţa") == fold("Constanta") == "constanta"
    assert fold("Durrës") == fold("Durres")
    assert fold("İSTANBUL") == fold("istanbul") == fold("İstanbul")
    assert fold("St. Petersburg") == "saint petersburg"
    assert fold("Köln") == "koln"


def test_parse_name_patterns():
    p = parse_name("Xicheng (Beijing)")
    assert ("xicheng", None) in p.variants and p.parents == ["beijing"]
    p = parse_name("Wiesbaden – Mainz-Kostheim")
    assert p.district_of == "wiesbaden" and ("mainz kostheim", None) in p.variants
    assert ("mainz", None) not in p.variants  # never split a district name into another city
    assert ("limerick", "region") in parse_name("County Limerick").variants
    assert ("parma", "region") in parse_name("Parma Province").variants
    assert parse_name("Ostholstein (district)").variants == [("ostholstein", "region")]
    assert parse_name("Halle (Saale)").variants[0] == ("halle saale", None)
    assert ("albula", None) in parse_name("Albula/Alvra").variants


def test_admin_keys_drop_generic_words():
    assert "smallingerland" in admin_keys("Gemeente Smallingerland")
    assert "botkyrka" in admin_keys("Botkyrka Kommun")
    assert "seocho" in admin_keys("Seocho-gu")
    assert "san isidro" in admin_keys("Partido de San Isidro")
    assert "camden" in admin_keys("London Borough of Camden")
    assert admin_keys("Gu") == {"gu"}  # too short to lose a word


def test_slavic_stem_meets_transliterations():
    assert slavic_stem("yeyskiy rayon") == slavic_stem("yeysky district") == "yey"
    assert slavic_stem("kaliningradskaya oblast") == slavic_stem("kaliningrad oblast", bare=True)
    assert slavic_stem("kaliningrad oblast") == ""  # no adjective: only the query side is bare
    assert slavic_stem("sovetsky") == ""  # no unit word

