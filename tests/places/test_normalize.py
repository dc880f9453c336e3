from citydiplomacy.places.normalize import fold, parse_name


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
